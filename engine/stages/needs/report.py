"""《需求分析报告》 The needs-analysis report (seed 000 篇1): totals and the ranked needs.

``build_report`` gives the JSON; ``render_markdown`` renders it with the jinja2 template next to
this file (``templates/needs_report.md.j2``), so wording changes need no code change. Totals are
SQL aggregates; the ranking is :func:`engine.stages.needs.service.rank_needs`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.needs.models import Need
from engine.stages.needs.schemas import SOURCE_TITLES
from engine.stages.needs.service import FACTORS, rank_needs
from engine.timeutil import local, now

TEMPLATES = Path(__file__).with_name("templates")

METHOD = ("score = 100 · (w_f·(frequency−1)/4 + w_u·(urgency−1)/4 + w_p·ln(1+people)/ln(1+max_people)) "
          "/ (w_f + w_u + w_p); max_people = the programme's largest need")


def _totals(session: Session, programme_id: str, column: Any) -> list[dict[str, Any]]:
    """Needs and people per value of ``column`` (one GROUP BY), most needs first."""
    rows = session.execute(
        select(column, func.count(Need.id), func.coalesce(func.sum(Need.people_affected), 0))
        .where(Need.programme_id == programme_id).group_by(column).order_by(func.count(Need.id).desc(), column))
    return [{"key": key, "needs": int(n), "people_affected": int(people)} for key, n, people in rows]


def build_report(session: Session, programme: LoadedProgramme, host: PluginHost) -> dict[str, Any]:
    """The report as JSON-ready data: totals by group, category, source and state; needs ranked."""
    ranked = rank_needs(session, programme, host)
    by_source = _totals(session, programme.id, Need.source)
    for row in by_source:
        row["title"] = SOURCE_TITLES.get(row["key"], row["key"])
    by_state: dict[str, int] = {}
    for r in ranked:
        by_state[r.state or "-"] = by_state.get(r.state or "-", 0) + 1
    weights = programme.config.needs.priority_weights
    return {
        "programme": {"id": programme.id, "name": programme.config.name,
                      "organisation": programme.config.organisation.name},
        "generated_at": local(now(), programme.config.timezone).isoformat(timespec="minutes"),
        "weights": {k: float(weights.get(k, 0.0)) for k in FACTORS},
        "method": METHOD,
        "scored_by_plan_type": sum(1 for r in ranked if r.scored_by == "plan_type"),
        "totals": {
            "needs": len(ranked),
            "people_affected": sum(r.need.people_affected for r in ranked),
            "answered": sum(1 for r in ranked if r.projects),
            "by_beneficiary_group": _totals(session, programme.id, Need.beneficiary_group),
            "by_category": _totals(session, programme.id, Need.category),
            "by_source": by_source,
            "by_state": by_state,
        },
        "ranked": [{
            "rank": r.rank, "id": r.need.id, "title": r.need.title, "beneficiary_group": r.need.beneficiary_group,
            "category": r.need.category, "source": r.need.source, "place": r.need.place, "node": r.need.node,
            "frequency": r.need.frequency, "urgency": r.need.urgency, "people_affected": r.need.people_affected,
            "score": round(r.score, 2), "scored_by": r.scored_by, "state": r.state, "state_title": r.state_title,
            "projects": [{"id": pid, "name": name} for pid, name in r.projects],
        } for r in ranked],
    }


def _cell(value: Any) -> str:
    """A value safe inside one Markdown table cell."""
    return " ".join(str("" if value is None else value).split()).replace("|", "\\|")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, trim_blocks=True, lstrip_blocks=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["cell"] = _cell
    return env


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown (tables escape ``|`` and line breaks of user text)."""
    return _environment().get_template("needs_report.md.j2").render(r=report)
