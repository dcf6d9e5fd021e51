"""经费预算 The event's budget lines (seed 000 篇3 经费保障: 服装、餐饮、交通、保险、培训 …): planned and
actual per category, Decimal amounts with a currency, recorded by HQ; and the budget view the
routes and the post-event report show — per line planned, actual, difference (actual − planned,
positive means over budget) and the totals per currency (amounts of different currencies are never
added together). A line without an actual yet counts in the planned total only and is named as open.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from engine import ReportSection
from engine.errors import Conflict, NotFound

from .models_day import BudgetLine

CATEGORIES = {
    "uniforms": "服装 Uniforms", "meals": "餐饮 Meals", "transport": "交通 Transport",
    "insurance": "保险 Insurance", "training": "培训 Training", "equipment": "装备 Equipment",
    "accommodation": "住宿 Accommodation", "communication": "通讯 Communication", "publicity": "宣传 Publicity",
    "medical": "医疗 Medical", "recognition": "表彰 Recognition", "other": "其他 Other",
}
CENT = Decimal("0.01")


def add(ctx: Any, category: str, item: str, currency: str, planned: Decimal, actual: Decimal | None) -> BudgetLine:
    pid = ctx.programme.id
    if ctx.session.scalars(select(BudgetLine.id).where(BudgetLine.programme_id == pid, BudgetLine.category == category,
                                                        BudgetLine.item == item)).first() is not None:
        raise Conflict(f"预算行 {category}/{item or '-'} 已存在，请修改该行 / budget line {category}/{item!r} exists: "
                       "change it instead", field="item")
    row = BudgetLine(programme_id=pid, category=category, item=item, currency=currency, planned=planned,
                     actual=actual, updated_by=ctx.actor)
    ctx.session.add(row)
    ctx.session.flush()
    return row


def get(ctx: Any, line_id: int) -> BudgetLine:
    row = ctx.session.get(BudgetLine, line_id)
    if row is None or row.programme_id != ctx.programme.id:
        raise NotFound(f"没有预算行 {line_id} / no budget line {line_id} in programme {ctx.programme.id!r}",
                       field="line_id")
    return row


def _money(v: Decimal | None) -> str | None:
    return None if v is None else str(Decimal(v).quantize(CENT))


def line_view(row: BudgetLine) -> dict[str, Any]:
    diff = None if row.actual is None else row.actual - row.planned
    return {"id": row.id, "category": row.category, "category_title": CATEGORIES.get(row.category, row.category),
            "item": row.item, "currency": row.currency, "planned": _money(row.planned), "actual": _money(row.actual),
            "difference": _money(diff), "updated_by": row.updated_by}


def summary(session: Any, programme_id: str) -> dict[str, Any]:
    rows = list(session.scalars(select(BudgetLine).where(BudgetLine.programme_id == programme_id)
                                .order_by(BudgetLine.currency, BudgetLine.category, BudgetLine.item)))
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in rows:
        t = totals[r.currency]
        t["planned"] += r.planned
        if r.actual is not None:
            t["actual"] += r.actual
            t["planned_recorded"] += r.planned
    return {"lines": [line_view(r) for r in rows],
            "totals": {cur: {"planned": _money(t["planned"]), "actual": _money(t["actual"]),
                             "difference": _money(t["actual"] - t["planned_recorded"])} for cur, t in totals.items()},
            "open": [r.id for r in rows if r.actual is None]}


def budget_section(programme: Any, session: Any) -> ReportSection:
    """预算执行 The post-event report's budget section: each line and a total row per currency."""
    s = summary(session, programme.id)
    rows = [[ln["category_title"], ln["item"], ln["currency"], ln["planned"], ln["actual"], ln["difference"]]
            for ln in s["lines"]]
    rows += [["合计 Total", "", cur, t["planned"], t["actual"], t["difference"]] for cur, t in s["totals"].items()]
    figures = {f"计划 Planned ({cur})": t["planned"] for cur, t in s["totals"].items()}
    figures |= {f"实际 Actual ({cur})": t["actual"] for cur, t in s["totals"].items()}
    figures |= {f"差额 Difference ({cur})": t["difference"] for cur, t in s["totals"].items()}
    notes = ["差额 = 实际 − 计划，正数为超支；未记实际的行只计入计划合计 / difference = actual − planned, positive is "
             "over budget; lines without an actual count in the planned total only"]
    if s["open"]:
        notes.append(f"未记实际 / no actual yet: {len(s['open'])} 行 lines")
    return ReportSection(title="预算执行 Budget", figures=figures,
                         columns=["category", "item", "currency", "planned", "actual", "difference"], rows=rows,
                         notes=notes, source="event.budget")
