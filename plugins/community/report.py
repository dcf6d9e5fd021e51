"""The community's part of the programme report (``volunteer_report_sections``).

Three sections, each from set-based queries: points issued and redeemed (by ledger kind), stars and
the year's backbone volunteers, and hours by service category and by grid (rolled up the network).
Seed 003 §3(五)/(六): the ledger (台账) is "为表彰激励提供依据"; seed 000 篇1 asks for hours and
activities as the year-end report's quantitative indicators.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import ReportSection
from engine.sdk.policies import levels_of
from engine.sdk.tables import LedgerEntry, ServiceRecord, VolunteerTotal, utcnow
from plugins.community.appeals import list_appeals
from plugins.community.backbone import backbone_volunteers, current_year
from plugins.community.models import CommunityNode
from plugins.community.network import UNASSIGNED, minutes_by_grid
from plugins.community.rules import CommunityRules
from plugins.community.units import units

SOURCE = "community"


def _by_kind(session: Session, programme_id: str, unit: str) -> dict[str, Decimal]:
    return {k: Decimal(a) for k, a in session.execute(select(LedgerEntry.kind, func.sum(LedgerEntry.amount)).where(
        LedgerEntry.programme_id == programme_id, LedgerEntry.unit == unit).group_by(LedgerEntry.kind))}


def points_section(session: Session, programme: Any) -> ReportSection:
    points, life = units(programme)
    k = _by_kind(session, programme.id, points)
    z = Decimal(0)
    lifetime = sum(_by_kind(session, programme.id, life).values(), z) if life else z
    figures: dict[str, Any] = {
        "积分发放 points issued": k.get("award", z) + k.get("bonus", z) + k.get("mentoring", z),
        "其中奖励 of which bonuses": k.get("bonus", z) + k.get("mentoring", z),
        "积分兑换 points redeemed": -(k.get("redemption", z) + k.get("refund", z)),
        "年度清零 points reset": -k.get("reset", z),
        "申诉更正及冲正 corrections and reversals": k.get("correction", z) + k.get("reversal", z),
        "时间银行净转入 time bank net in": k.get("transfer", z),
        "可用积分余额 points outstanding": sum(k.values(), z),
        "终身积分 lifetime points": lifetime,
    }
    today = utcnow().astimezone(programme.config.tz).date()
    open_appeals = [a for a, state in list_appeals(session, programme.id) if state in ("filed", "under_review")]
    figures["未决申诉 open appeals"] = len(open_appeals)
    figures["逾期未审申诉 appeals past their review date"] = sum(1 for a in open_appeals if a.review_by < today)
    rows = [[kind, amount] for kind, amount in sorted(k.items())]
    return ReportSection(title="社区积分 Community points", figures=figures, columns=["kind 类型", "points 积分"],
                         rows=rows, source=SOURCE,
                         notes=["积分规则见 seed 001 §1(一)(三)；年度清零以台账冲减记录体现，终身积分不清零 / "
                                "the yearly reset is a ledger entry; lifetime points never reset"])


def stars_section(session: Session, programme: Any) -> ReportSection:
    rules: CommunityRules = programme.rules
    counts = dict(session.execute(select(VolunteerTotal.level, func.count()).where(
        VolunteerTotal.programme_id == programme.id).group_by(VolunteerTotal.level)).all())
    rows: list[list[Any]] = [[lv.name, float(lv.hours), int(counts.get(lv.name, 0))] for lv in levels_of(programme).scheme]
    rows.append(["无星级 none", 0, int(counts.get(None, 0))])
    year = current_year(rules, programme.config.timezone)
    backbones = backbone_volunteers(session, rules, programme.config.timezone, programme.id, year)
    return ReportSection(
        title="星级与骨干志愿者 Stars and backbone volunteers", source=SOURCE,
        figures={"年度 year": year, "骨干志愿者 backbone volunteers": len(backbones),
                 "骨干门槛（小时）backbone threshold (h)": float(rules.backbone.min_hours),
                 "骨干名单 backbone list": [f"{name} ({m / 60:.1f} h)" for _, name, m in backbones]},
        columns=["level 星级", "min hours 起点小时", "volunteers 人数"], rows=rows,
        notes=[f"星级方案 scheme: {_scheme_name(programme)}; 骨干: seed 003 附件4 第四条 每年在本社区服务满 48 小时"])


def _scheme_name(programme: Any) -> str:
    """The pack the levels come from (``rules.pack``), else the programme's own ``rules.levels``."""
    return programme.pack.name if programme.pack is not None else "rules.levels"


def hours_section(session: Session, programme: Any) -> ReportSection:
    by_cat = session.execute(select(ServiceRecord.category, func.sum(ServiceRecord.minutes)).where(
        ServiceRecord.programme_id == programme.id, ServiceRecord.verified_at.is_not(None))
        .group_by(ServiceRecord.category).order_by(ServiceRecord.category)).all()
    names = dict(session.execute(select(CommunityNode.code, CommunityNode.name).where(
        CommunityNode.programme_id == programme.id, CommunityNode.level == "grid")).all())
    by_grid = minutes_by_grid(session, programme.id)
    rows: list[list[Any]] = [["category 类别", c, round(int(m or 0) / 60, 2)] for c, m in by_cat]
    rows += [["grid 网格", f"{names.get(g, g)}", round(m / 60, 2)] for g, m in sorted(by_grid.items()) if g != UNASSIGNED]
    if by_grid.get(UNASSIGNED):
        rows.append(["grid 网格", "总站及未归属 station / unassigned", round(by_grid[UNASSIGNED] / 60, 2)])
    total = sum(int(m or 0) for _, m in by_cat)
    return ReportSection(title="服务时长 Hours by category and grid", source=SOURCE,
                         figures={"总时长（小时）total hours": round(total / 60, 2)},
                         columns=["by 维度", "name 名称", "hours 小时"], rows=rows,
                         notes=["网格汇总含其下楼栋小组 / a grid's hours include its building groups (seed 001 §2(一))"])


def sections(session: Session, programme: Any) -> list[ReportSection]:
    return [points_section(session, programme), stars_section(session, programme), hours_section(session, programme)]
