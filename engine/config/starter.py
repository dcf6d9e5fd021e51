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
    lines: list[str] = []
    pad = " " * indent
    defaults = model().model_dump(mode="json", by_alias=True)
    for name, field in model.model_fields.items():
        key = field.alias or name
        if field.description:
            lines.append(f"{pad}# {field.description}")
        lines.append(f"{pad}# {key}: {_inline(defaults.get(key))}")
    return lines


def _inline(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def starter_yaml(host: PluginHost, plan_type: str) -> str:
    info = host.plan_types.items[plan_type]
    if info.plan_type.starter_yaml is not None:
        return Path(info.plan_type.starter_yaml).read_text(encoding="utf-8")
    year = dt.date.today().year
    lines = [
        f"# {info.plan_type.title} — programme file. Check it with: volunteer check <this file>",
        "# Keys are English; names and titles may be Chinese. Layering: engine defaults → plan type → this file.",
        "# Mappings merge key by key; a list or a value here replaces the default; `key: null` removes it.",
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
        "# Rules of this plan type; every figure has a default from the source documents.",
        "rules: {}",
        *_rules_lines(info.plan_type.rules_model),
        "",
    ]
    return "\n".join(lines)
