"""JSON Schema for programme files, with each installed plan type's ``rules:`` section.

The schema says: if ``plan_type`` is X then ``rules`` follows X's rules model.
"""

from __future__ import annotations

from typing import Any

from engine.config.models import ProgrammeConfig
from engine.plugins import PluginHost


def programme_schema(host: PluginHost) -> dict[str, Any]:
    schema = ProgrammeConfig.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Volunteer Engine programme"
    schema["properties"]["plan_type"]["enum"] = host.plan_type_ids()
    branches = []
    defs = schema.setdefault("$defs", {})
    for pid in host.plan_type_ids():
        model = host.plan_types.items[pid].plan_type.rules_model
        sub = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(sub.pop("$defs", {}))
        name = f"rules_{pid}"
        defs[name] = sub
        branches.append({"if": {"properties": {"plan_type": {"const": pid}}},
                         "then": {"properties": {"rules": {"$ref": f"#/$defs/{name}"}}}})
    if branches:
        schema["allOf"] = branches
    return schema
