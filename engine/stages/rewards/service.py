"""激励嘉许、适度回馈 Rewards: the rules as functions (no HTTP), run inside the caller's transaction.

Why functions over the ledger module: every path that moves points (awards, redemptions,
refunds, reversals) goes through :func:`engine.stages.rewards.ledger.append`, so the ledger and
the balance cache can never disagree and a balance can never go below zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import timeutil
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound, PluginError
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.records.models import ServiceRecord
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.visibility import visible_volunteer
from engine.stages.rewards import referral
from engine.stages.rewards.awards import Award
from engine.stages.rewards.ledger import append, fmt
from engine.stages.rewards.levels import update_level
from engine.stages.rewards.models import CatalogueItem, Honour, LedgerEntry, Redemption
from engine.stages.rewards.points_policy import check_limits, engine_awards
from engine.stages.rewards.timebank import earn as timebank_earn
from engine.workflow import stagegate as gate
from engine.workflow.service import FireResult, WorkflowService

REDEMPTION_WORKFLOW = "redemption"


# ------------------------------------------------------------------ awards and levels
def after_record_verified(session: Session, programme: LoadedProgramme, host: PluginHost, record: ServiceRecord,
                          actor: str) -> list[LedgerEntry]:
    """Write what a just-verified (or transferred-in) record earns, then recompute the level.

    Called once per record by the records stage, after it has updated ``VolunteerTotal``. The
    plan type's ``volunteer_compute_awards`` answers decide the entries; an award with a ``ref``
    already in the ledger is skipped (idempotent). Returns the entries written.
    """
    if record.programme_id != programme.id:
        raise InvalidInput(f"服务记录 {record.id} 不属于项目 {programme.id} / service record {record.id} belongs to "
                           f"programme {record.programme_id!r}, not {programme.id!r}", field="record")
    awards = host.call_flat("volunteer_compute_awards", plan_type=programme.plan_type_id, record=record,
                            programme=programme, session=session)
    awards += engine_awards(session, programme, record)
    written: list[LedgerEntry] = []
    for award in awards:
        if not isinstance(award, Award):
            raise PluginError(f"volunteer_compute_awards 应返回 Award，得到 {award!r} / volunteer_compute_awards must "
                              f"return engine.Award objects, got {award!r}", hook="volunteer_compute_awards")
        if Decimal(str(award.amount)) == 0:  # nothing earned: no entry (the ledger holds movements)
            continue
        entry = append(session, programme_id=programme.id, volunteer_id=record.volunteer_id, unit=award.unit,
                       amount=Decimal(str(award.amount)), kind=award.kind, reason=award.reason, actor=actor,
                       record_id=record.id, ref=award.ref, data=dict(award.data))
        if entry is not None:
            written.append(entry)
    timebank_earn(session, programme, record, actor=actor)
    referral.on_service(session, programme, record, actor=actor)  # the recommender's points, after N services
    update_level(session, programme, host, record.volunteer_id, actor=actor, record_id=record.id)
    return written


# ------------------------------------------------------------------ catalogue
def get_item(session: Session, programme: LoadedProgramme, item_id: int) -> CatalogueItem:
    item = session.get(CatalogueItem, item_id)
    if item is None or item.programme_id != programme.id:
        raise NotFound(f"没有兑换项目 {item_id} / no catalogue item {item_id} in programme {programme.id!r}",
                       item=item_id)
    return item


def create_item(session: Session, programme: LoadedProgramme, *, code: str, title: str, cost: Decimal,
                unit: str = "points", stock: int | None = None, flags: list[str] | None = None,
                active: bool = True, actor: str) -> CatalogueItem:
    """Add a catalogue item (e.g. 100 points → 50-yuan supermarket voucher); ``stock=None`` is unlimited."""
    if session.scalar(select(CatalogueItem.id).where(CatalogueItem.programme_id == programme.id,
                                                     CatalogueItem.code == code)) is not None:
        raise Conflict(f"兑换项目编码 {code} 已存在 / catalogue code {code!r} already exists", field="code")
    if Decimal(str(cost)) <= 0:
        raise InvalidInput(f"兑换所需积分必须大于 0 / cost must be above 0, got {cost}", field="cost")
    item = CatalogueItem(programme_id=programme.id, code=code, title=title, unit=unit, cost=Decimal(str(cost)),
                         stock=stock, flags=list(flags or []), active=active)
    session.add(item)
    session.flush()
    return item


def update_item(session: Session, programme: LoadedProgramme, item_id: int, changes: dict[str, Any],
                actor: str) -> CatalogueItem:
    """Change title, cost, stock, flags or active; the code and unit stay (past redemptions name them)."""
    item = get_item(session, programme, item_id)
    for key in ("title", "cost", "stock", "flags", "active"):
        if key in changes:
            setattr(item, key, changes[key])
    session.flush()
    return item


# ------------------------------------------------------------------ redemptions
def check_redemption(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer: Volunteer,
                     item: CatalogueItem) -> list[str]:
    """The plan type's objections (e.g. love_reward only for backbone volunteers)."""
    reasons = host.call_flat("volunteer_check_redemption", plan_type=programme.plan_type_id, volunteer=volunteer,
                             item=item, programme=programme, session=session)
    return [str(r) for r in reasons if r]


def redeem(session: Session, programme: LoadedProgramme, host: PluginHost, volunteer_id: int, item_id: int, *,
           actor: str) -> Redemption:
    """Redeem one catalogue item: debit the cost now, take one from stock, start the workflow.

    Both the debit and the stock are conditional UPDATEs, so neither the balance nor the stock can
    go below zero however many requests race. The balance row is taken first, then the item row,
    always in that order, so two redemptions cannot deadlock.
    """
    gate.require_open(session, programme, "rewards")
    item = get_item(session, programme, item_id)
    if not item.active:
        raise Conflict(f"兑换项目 {item.code} 已下架 / catalogue item {item.code!r} is not active", item=item.id)
    volunteer = visible_volunteer(session, programme.id, volunteer_id)
    check_limits(session, programme, volunteer_id, item)
    reasons = check_redemption(session, programme, host, volunteer, item)
    if reasons:
        raise Forbidden(f"不能兑换 {item.title}：{'；'.join(reasons)} / may not redeem {item.code!r}: "
                        f"{'; '.join(reasons)}", reasons=reasons)
    cost = Decimal(item.cost)
    debit = append(session, programme_id=programme.id, volunteer_id=volunteer_id, unit=item.unit, amount=-cost,
                   kind="redemption", reason=f"兑换 {item.title} / redeemed {item.code}", actor=actor,
                   data={"item": item.code}, what=(f"兑换 {item.title}", f"redeeming {item.code!r}"))
    assert debit is not None
    if item.stock is not None:
        taken = session.execute(update(CatalogueItem).where(CatalogueItem.id == item.id, CatalogueItem.stock > 0)
                                .values(stock=CatalogueItem.stock - 1).execution_options(synchronize_session=False))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"{item.title} 已兑完（库存 0）/ {item.code!r} is out of stock (0 left)", item=item.id)
    row = Redemption(programme_id=programme.id, volunteer_id=volunteer_id, item_id=item.id, unit=item.unit,
                     cost=cost, debit_id=debit.id)
    session.add(row)
    session.flush()
    WorkflowService(host).start(session, programme, REDEMPTION_WORKFLOW, "redemption", row.id, actor=actor)
    return row


def get_redemption(session: Session, programme: LoadedProgramme, redemption_id: int) -> Redemption:
    row = session.get(Redemption, redemption_id)
    if row is None or row.programme_id != programme.id:
        raise NotFound(f"没有兑换记录 {redemption_id} / no redemption {redemption_id} in programme {programme.id!r}",
                       redemption=redemption_id)
    return row


def fire_redemption(session: Session, programme: LoadedProgramme, host: PluginHost, redemption_id: int,
                    trigger: str, *, actor: str, roles: frozenset[str], payload: dict[str, Any] | None = None,
                    expected_version: int | None = None) -> FireResult:
    """Approve, fulfil or cancel (the workflow's roles decide who may; cancel refunds via its action)."""
    get_redemption(session, programme, redemption_id)
    workflows = WorkflowService(host)
    inst = workflows.find(session, programme.id, REDEMPTION_WORKFLOW, "redemption", str(redemption_id))
    if inst is None:
        raise NotFound(f"兑换 {redemption_id} 没有工作流实例 / redemption {redemption_id} has no workflow instance")
    return workflows.fire(session, programme, inst, trigger, actor=actor, roles=roles, payload=payload,
                          expected_version=expected_version)


def refund_redemption(session: Session, programme: LoadedProgramme, redemption_id: int, actor: str) -> LedgerEntry | None:
    """Return a cancelled redemption's cost and its stock, exactly once (ledger ref ``refund:redemption:<id>``).

    Used by the workflow action ``stages.refund_redemption``. A second call finds the ref and
    changes nothing (returns ``None``).
    """
    row = get_redemption(session, programme, redemption_id)
    entry = append(session, programme_id=programme.id, volunteer_id=row.volunteer_id, unit=row.unit,
                   amount=Decimal(row.cost), kind="refund", reason=f"取消兑换 {redemption_id}，退还 {fmt(row.cost)} "
                   f"/ redemption {redemption_id} cancelled, refunded", actor=actor,
                   ref=f"refund:redemption:{redemption_id}", data={"redemption": redemption_id, "debit": row.debit_id})
    if entry is not None:
        session.execute(update(CatalogueItem).where(CatalogueItem.id == row.item_id, CatalogueItem.stock.is_not(None))
                        .values(stock=CatalogueItem.stock + 1).execution_options(synchronize_session=False))
    return entry


# ------------------------------------------------------------------ honours
def award_honour(session: Session, programme: LoadedProgramme, volunteer_id: int, *, title: str,
                 level: str | None = None, awarded_on: dt.date | None = None,
                 evidence: dict[str, Any] | None = None, note: str | None = None, actor: str) -> Honour:
    """Award a title (优秀志愿者 …) with its evidence; record ids in the evidence must be the volunteer's."""
    gate.require_open(session, programme, "rewards")
    visible_volunteer(session, programme.id, volunteer_id)
    evidence = dict(evidence or {})
    ids = [int(i) for i in evidence.get("record_ids", [])]
    if ids:
        found = set(session.scalars(select(ServiceRecord.id).where(
            ServiceRecord.id.in_(ids), ServiceRecord.programme_id == programme.id,
            ServiceRecord.volunteer_id == volunteer_id)))
        missing = sorted(set(ids) - found)
        if missing:
            raise InvalidInput(f"证据中的服务记录不属于该志愿者：{missing} / evidence record(s) {missing} are not this "
                               f"volunteer's service records in programme {programme.id!r}", field="evidence.record_ids")
    row = Honour(programme_id=programme.id, volunteer_id=volunteer_id, title=title, level=level,
                 awarded_on=awarded_on or timeutil.today(programme.config.tz), evidence=evidence, note=note,
                 awarded_by=actor)
    session.add(row)
    session.flush()
    return row
