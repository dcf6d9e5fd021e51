"""组织架构 HQ → functional groups → teams (seed 000 篇3: 总指挥部、功能组、小组).

The structure is data in ``rules.organisation``; posts (the engine's) name their team in their
``node`` (project node) or are listed per team by the plan type's routes. :func:`tree` is what the
organisation page and API show; :func:`chain_of` is who is asked, in order, when an incident at a
team goes up (team leader → group head → HQ).
"""

from __future__ import annotations

from typing import Any

from .rules import EventRules

DEFAULT_GROUPS = (
    ("coordination", "综合协调组 Coordination"), ("recruitment_training", "招募培训组 Recruitment & training"),
    ("logistics", "后勤保障组 Logistics"), ("publicity", "宣传组 Publicity"),
    ("reception", "接待组 Reception"), ("order", "会场秩序组 Order"), ("info_desk", "信息咨询组 Information desk"),
    ("media", "媒体服务组 Media"), ("language", "语言服务组 Language"), ("medical", "医疗救助组 Medical aid"),
    ("rapid_response", "机动应急组 Rapid response"),
)


def tree(rules: EventRules) -> dict[str, Any]:
    return {"hq": rules.organisation.hq, "groups": [
        {"code": g.code, "name": g.name, "kind": g.kind, "head": g.head,
         "teams": [{"code": t.code, "name": t.name, "leader": t.leader} for t in g.teams]}
        for g in rules.organisation.groups]}


def chain_of(rules: EventRules, team_code: str) -> list[tuple[str, str | None]]:
    """(level, who) from the team up to HQ; unknown team → HQ only."""
    for g in rules.organisation.groups:
        for t in g.teams:
            if t.code == team_code:
                return [("team_leader", t.leader), ("group_head", g.head), ("hq", None)]
    return [("hq", None)]
