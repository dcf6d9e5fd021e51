"""The redemption catalogue from the programme YAML, and who may redeem a love reward.

Items (seed 001 §1(二): 100 分兑换 50 元超市代金券, 50 分兑换健身房 1 小时, 200 分兑换 8 折保洁服务) are
written to the engine's catalogue when the programme loads; the engine's ``redemption`` workflow
and ledger then do the rest (debit at request, refund on cancel). On a reload an item keeps its
stock (redemptions have used it): the YAML's ``stock`` is the initial stock. Items the YAML no
longer lists are deactivated, not deleted (past redemptions name them). Items added by hand
through the API are left alone.

Love rewards (爱心回馈, seed 003 附件4 第四条 "志愿者骨干可以依据个人志愿服务时长兑换社区提供的爱心回馈")
are flagged ``love_reward``; only a backbone volunteer of the current community year may redeem one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.sdk import PlanContext
from engine.sdk.tables import CatalogueItem
from plugins.community.backbone import current_year, is_backbone, year_minutes
from plugins.community.rules import CatalogueEntry, CommunityRules

FROM_YAML = "programme_yaml"


def flags_of(entry: CatalogueEntry, rules: CommunityRules) -> list[str]:
    return [FROM_YAML, *([rules.backbone.love_reward_flag] if entry.love_reward else [])]


def sync_catalogue(ctx: PlanContext) -> None:
    """Write ``rules.catalogue`` to the engine's catalogue through the facade (as ``ctx.actor``)."""
    rules: CommunityRules = ctx.programme.rules
    existing = {i.code: (i.id, i.active, list(i.flags or [])) for i in ctx.session.scalars(select(CatalogueItem).where(
        CatalogueItem.programme_id == ctx.programme.id))}
    listed = set()
    for entry in rules.catalogue:
        listed.add(entry.code)
        item = existing.get(entry.code)
        if item is None:
            ctx.create_catalogue_item(entry.code, entry.title, entry.cost, stock=entry.stock,
                                      flags=flags_of(entry, rules), active=entry.active)
            continue
        ctx.update_catalogue_item(item[0], title=entry.title, cost=entry.cost, flags=flags_of(entry, rules),
                                  active=entry.active)
    for code, (item_id, active, flags) in existing.items():
        if code not in listed and FROM_YAML in flags and active:
            ctx.update_catalogue_item(item_id, active=False)
    ctx.session.flush()


def redemption_objections(session: Session, programme: Any, volunteer: Any, item: Any) -> list[str]:
    rules: CommunityRules = programme.rules
    if rules.backbone.love_reward_flag not in (item.flags or []):
        return []
    tz = programme.config.timezone
    year = current_year(rules, tz)
    if is_backbone(session, rules, tz, programme.id, volunteer.id, year):
        return []
    hours = year_minutes(session, rules, tz, programme.id, volunteer.id, year) / 60
    return [f"「{item.title}」是爱心回馈，仅限骨干志愿者（{year} 年度在本社区服务满 {rules.backbone.min_hours:g} 小时）兑换，"
            f"{volunteer.name} 本年度已服务 {hours:.2f} 小时 / {item.code!r} is a love reward, only for backbone volunteers "
            f"(≥ {rules.backbone.min_hours:g} h in this community in {year}, seed 003 附件4 第四条); "
            f"{volunteer.name} has {hours:.2f} h"]
