"""``volunteer init PLAN_TYPE``: a commented starter programme file.

The plan type may ship its own starter (``PlanType.starter_yaml``); otherwise one is written
from the engine's skeleton and the plan type's rules model (defaults and descriptions).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from engine.plugins import PluginHost


def _rules_lines(model: type[BaseModel], indent: int = 2) -> list[str]:
    """The rules, one key per line under ``rules:``: optional keys commented out with their default
    (uncomment a line as it is and it still checks), required keys written out with an example that
    validates, marked for the admin to replace."""
    lines: list[str] = []
    pad = " " * indent
    required = {name: f for name, f in model.model_fields.items() if f.is_required()}
    schema = model.model_json_schema(by_alias=True)
    example = {(f.alias or n): _example(schema["properties"][f.alias or n], schema) for n, f in required.items()}
    try:
        defaults = model.model_validate(example).model_dump(mode="json", by_alias=True)
    except ValueError:
        defaults = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        about = " ".join((field.description or "").split())
        if name in required:
            lines.append(f"{pad}{key}: {_inline(example[key])}  ## 必填：示例，请按实际修改 / required: an example, "
                         f"replace it{'. ' + about if about else ''}")
        else:
            lines.append(f"{pad}# {key}: {_inline(defaults.get(key))}" + (f"  ## {about}" if about else ""))
    return lines


def _example(node: dict[str, Any], root: dict[str, Any]) -> Any:
    """A small value valid for a JSON Schema node (first variant of a union, lowest allowed number)."""
    if "$ref" in node:
        return _example(root["$defs"][node["$ref"].split("/")[-1]], root)
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    if "default" in node:
        return node["default"]
    disc = node.get("discriminator") or {}
    if disc.get("mapping"):
        tag, ref = next(iter(disc["mapping"].items()))
        value = _example({"$ref": ref}, root)
        return {disc["propertyName"]: tag, **value} if isinstance(value, dict) else value
    for key in ("oneOf", "anyOf", "allOf"):
        options = [o for o in node.get(key, []) if o.get("type") != "null"]
        if options:
            return _example(options[0], root)
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        return {k: _example(props[k], root) for k in node.get("required", []) if k in props}
    if kind == "array":
        return [_example(node.get("items", {}), root) for _ in range(int(node.get("minItems", 0)))]
    if kind in ("integer", "number"):
        low = node.get("minimum", node.get("exclusiveMinimum", 0) + (1 if "exclusiveMinimum" in node else 0))
        value = max(low, 1)
        return min(value, node.get("maximum", value))
    if kind == "boolean":
        return False
    if kind == "string":
        if node.get("format") == "date":
            return f"{dt.date.today().year}-01-01"
        return "示例 example"
    return None


def _inline(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def starter_yaml(host: PluginHost, plan_type: str) -> str:
    info = host.plan_types.items[plan_type]
    if info.plan_type.starter_yaml is not None:
        return Path(info.plan_type.starter_yaml).read_text(encoding="utf-8")
    year = dt.date.today().year
    lines = [
        f"## {info.plan_type.title} — programme file. Check it with: volunteer check <this file>",
        "## Keys are English; names and titles may be Chinese. Layering: engine defaults → plan type → this file.",
        "## Mappings merge key by key; a list or a value here replaces the default; `key: null` removes it.",
        "## Lines starting with '# ' are examples: delete the '# ' and the line works as it is ('## ' is prose).",
        f"id: my-{plan_type.replace('_', '-')}-{year}        # lowercase, used in URLs",
        "name: 我的志愿服务项目",
        f"plan_type: {plan_type}",
        "organisation:",
        "  name: 某某志愿服务站",
        "period:",
        f"  start: {year}-01-01",
        f"  end: {year}-12-31",
        "",
        "# roles:            # extra roles beyond admin, coordinator, team_leader, supervisor, volunteer",
        "#   guide: {title: 引导员}",
        "",
        "# workflows:        # change a default workflow, e.g. let team leaders open recruitment:",
        "#   lifecycle:",
        "#     transitions:",
        "#       open_recruitment: {roles: [admin, coordinator, team_leader]}",
        "",
        "## Rules of this plan type; every figure has a default from the source documents: uncomment a line",
        "## to change it (keep it indented under rules:).",
        "rules:",
        *_rules_lines(info.plan_type.rules_model),
        "",
    ]
    return "\n".join(lines)
