"""Walk an OpenAPI document and list every request value without bounds the store can hold.

Integers must have a minimum and a maximum inside PostgreSQL's ``integer`` range, numbers a
maximum, strings of a body a maximum length (an enum or a date format bounds them too; query
strings only filter, and their characters are checked by the input guard). Used by
``tests/engine/http/test_hardening.py``; run it directly to print the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

INT_MAX = 2_147_483_647


def _resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def unbounded(schema: dict[str, Any], doc: dict[str, Any], where: str, seen: frozenset[str] = frozenset()
              ) -> Iterator[str]:
    ref = schema.get("$ref")
    if ref in seen:
        return
    seen = seen | {ref} if ref else seen
    schema = _resolve(schema, doc)
    for key in ("anyOf", "oneOf", "allOf"):
        subs = [_resolve(sub, doc) for sub in schema.get(key, [])]
        numeric = any(sub.get("type") == "number" for sub in subs)
        for sub in subs:
            if numeric and sub.get("type") == "string":  # a Decimal's text form: the number branch bounds it
                continue
            yield from unbounded(sub, doc, where, seen)
    kind = schema.get("type")
    if "enum" in schema or "const" in schema:
        return
    if kind == "integer":
        lo, hi = schema.get("minimum", schema.get("exclusiveMinimum")), schema.get("maximum",
                                                                                   schema.get("exclusiveMaximum"))
        if lo is None or hi is None or lo < -INT_MAX - 1 or hi > INT_MAX:
            yield f"{where}: integer without bounds in the integer column range"
    elif kind == "number":
        if schema.get("maximum", schema.get("exclusiveMaximum")) is None:
            yield f"{where}: number without a maximum"
    elif kind == "string":
        upload = "contentMediaType" in schema
        if ("maxLength" not in schema and not upload and " query." not in where
                and schema.get("format") not in ("date", "date-time", "time", "binary")):
            yield f"{where}: string without maxLength"
    elif kind == "array":
        yield from unbounded(schema.get("items", {}), doc, f"{where}[]", seen)
    elif kind == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            yield from unbounded(sub, doc, f"{where}.{name}", seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            yield from unbounded(extra, doc, f"{where}.*", seen)


def audit(doc: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            label = f"{method.upper()} {path}"
            for p in op.get("parameters", []):
                found += unbounded(p.get("schema", {}), doc, f"{label} {p['in']}.{p['name']}")
            for media, content in (op.get("requestBody") or {}).get("content", {}).items():
                found += unbounded(content.get("schema", {}), doc, f"{label} body({media})")
    return found


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    os.environ.setdefault("VOLUNTEER_DATABASE_URL", "sqlite://")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from engine.http.app import create_app

    for line in audit(create_app().openapi()):
        print(line)
