"""HTTP routes of the rewards stage (under /api/v1/programmes/{programme_id}/…).

Why thin: every rule lives in :mod:`engine.stages.rewards.service` (and ``ledger``/``levels``);
these routes only decide who may call what and which volunteer a caller may reach.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from fastapi import APIRouter
from sqlalchemy import select

from engine.errors import Conflict, GuardsFailed, InvalidInput
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Limit, Offset
from engine.stages.recruitment.models import Volunteer
from engine.stages.recruitment.visibility import visible_volunteer
from engine.stages.rewards import ledger, levels, service
from engine.stages.rewards.level_policy import standing
from engine.stages.rewards.models import Balance, CatalogueItem, Honour, LedgerEntry, Redemption
from engine.stages.rewards.schemas import (
    BalanceOut,
    CatalogueIn,
    CatalogueOut,
    CataloguePatch,
    FireIn,
    HonourIn,
    HonourOut,
    LedgerEntryOut,
    LevelCount,
    LevelOut,
    ManualEntryIn,
    RedeemIn,
    RedemptionOut,
    ResetIn,
    ResetOut,
    ReverseIn,
)
from engine.store.models import WorkflowInstance
from engine.timeutil import aware

router = APIRouter(prefix="/programmes/{programme_id}", tags=["rewards"])

STAFF = ("admin", "coordinator", "supervisor", "team_leader")
MANAGERS = ("admin", "coordinator")
T = TypeVar("T")


def done(session: Any, value: T) -> T:
    """Commit before FastAPI serialises the answer: the routes that move balances hold the balance
    row lock until commit, and FastAPI validates a sync route's response in a worker thread. With
    every worker busy in requests queued on that lock, the holder would wait for a worker forever
    (seen with 50 parallel redemptions on PostgreSQL). A failure raises before this point and the
    session rolls back as usual."""
    session.commit()
    return value


def own_volunteer_id(session: Any, access: Access) -> int | None:
    """The caller's own Volunteer row (``user_id`` link), if any."""
    vid: int | None = session.scalar(select(Volunteer.id).where(Volunteer.user_id == access.user.id))
    return vid


def reachable_volunteer(session: Any, access: Access, volunteer_id: int | None, *, staff: tuple[str, ...] = STAFF,
                        what: str) -> int:
    """Which volunteer this caller may reach: staff any (given), everyone else only themselves."""
    mine = own_volunteer_id(session, access)
    if volunteer_id is None or volunteer_id == mine:
        if mine is None:
            raise InvalidInput(f"你的账号未关联志愿者，请指定 volunteer_id / your account is not linked to a volunteer: "
                               f"give volunteer_id ({what})", field="volunteer_id")
        return mine
    access.require(*staff, what=f"{what} of another volunteer")
    visible_volunteer(session, access.programme.id, volunteer_id)
    return volunteer_id


# ------------------------------------------------------------------ ledger and balances
@router.get("/ledger", response_model=list[LedgerEntryOut])
def list_ledger(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None, unit: str | None = None,
                kind: str | None = None, since: dt.datetime | None = None, until: dt.datetime | None = None,
                limit: Limit = 100, offset: Offset = 0) -> list[LedgerEntry]:
    """Ledger entries, newest first. A volunteer sees only their own; staff see any (filter by volunteer)."""
    q = select(LedgerEntry).where(LedgerEntry.programme_id == access.programme.id)
    if not access.has(*STAFF) or volunteer_id is not None:
        q = q.where(LedgerEntry.volunteer_id == reachable_volunteer(session, access, volunteer_id, what="the ledger"))
    if unit:
        q = q.where(LedgerEntry.unit == unit)
    if kind:
        q = q.where(LedgerEntry.kind == kind)
    tz = access.programme.config.timezone
    if since:
        q = q.where(LedgerEntry.created_at >= aware(since, tz))
    if until:
        q = q.where(LedgerEntry.created_at < aware(until, tz))
    return list(session.scalars(q.order_by(LedgerEntry.id.desc()).limit(limit).offset(offset)))


@router.post("/ledger", response_model=LedgerEntryOut, status_code=201)
def credit(body: ManualEntryIn, access: AccessDep, session: SessionDep) -> LedgerEntryOut:
    """A one-off credit by admin/coordinator (e.g. 老带新 pairing bonus); idempotent by ``ref``."""
    access.require(*MANAGERS, what="crediting the ledger")
    reachable_volunteer(session, access, body.volunteer_id, staff=MANAGERS, what="crediting the ledger")
    entry = ledger.append(session, programme_id=access.programme.id, volunteer_id=body.volunteer_id, unit=body.unit,
                          amount=body.amount, kind=body.kind, reason=body.reason, actor=access.actor,
                          ref=f"{access.programme.id}:{body.ref}" if body.ref else None)
    if entry is None:
        raise Conflict(f"该记录已入账（ref {body.ref}）/ already credited under ref {body.ref!r}", field="ref")
    return done(session, LedgerEntryOut.model_validate(entry))


@router.post("/ledger/{entry_id}/reverse", response_model=LedgerEntryOut, status_code=201)
def reverse_entry(entry_id: Id, body: ReverseIn, access: AccessDep, session: SessionDep) -> LedgerEntryOut:
    """Reverse an entry with an opposite one (admin only, with a reason); reversing twice is refused."""
    access.require("admin", what="reversing a ledger entry")
    entry = ledger.reverse(session, access.programme.id, entry_id, reason=body.reason, actor=access.actor)
    return done(session, LedgerEntryOut.model_validate(entry))


@router.post("/ledger/reset", response_model=ResetOut)
def reset(body: ResetIn, access: AccessDep, session: SessionDep) -> ResetOut:
    """Yearly reset of a spendable unit (admin only); once per (unit, period)."""
    access.require("admin", what="resetting balances")
    n = ledger.reset_unit(session, access.programme.id, body.unit, body.period, actor=access.actor)
    return done(session, ResetOut(unit=body.unit, period=body.period, volunteers=n))


@router.get("/balances", response_model=list[BalanceOut])
def my_balances(access: AccessDep, session: SessionDep) -> list[Balance]:
    """The caller's own balances, one per unit."""
    vid = reachable_volunteer(session, access, own_volunteer_id(session, access), what="balances")
    return _balances(session, access, vid)


@router.get("/balances/{volunteer_id}", response_model=list[BalanceOut])
def volunteer_balances(volunteer_id: Id, access: AccessDep, session: SessionDep) -> list[Balance]:
    """A volunteer's balances (staff, or the volunteer themselves)."""
    return _balances(session, access, reachable_volunteer(session, access, volunteer_id, what="balances"))


def _balances(session: Any, access: Access, volunteer_id: Id) -> list[Balance]:
    return list(session.scalars(select(Balance).where(Balance.programme_id == access.programme.id,
                                                      Balance.volunteer_id == volunteer_id).order_by(Balance.unit)))


# ------------------------------------------------------------------ catalogue
@router.post("/catalogue", response_model=CatalogueOut, status_code=201)
def add_item(body: CatalogueIn, access: AccessDep, session: SessionDep) -> CatalogueItem:
    access.require(*MANAGERS, what="adding a catalogue item")
    return service.create_item(session, access.programme, actor=access.actor, **body.model_dump())


@router.get("/catalogue", response_model=list[CatalogueOut])
def list_items(access: AccessDep, session: SessionDep, include_inactive: bool = False) -> list[CatalogueItem]:
    """The catalogue. Every member sees the active items (to choose what to redeem); admin and
    coordinator may also list inactive ones."""
    q = select(CatalogueItem).where(CatalogueItem.programme_id == access.programme.id)
    if not (include_inactive and access.has(*MANAGERS)):
        q = q.where(CatalogueItem.active.is_(True))
    return list(session.scalars(q.order_by(CatalogueItem.code)))


@router.patch("/catalogue/{item_id}", response_model=CatalogueOut)
def patch_item(item_id: Id, body: CataloguePatch, access: AccessDep, session: SessionDep) -> CatalogueItem:
    access.require(*MANAGERS, what="changing a catalogue item")
    changes = body.model_dump(exclude_unset=True, exclude={"unlimited"})
    if body.unlimited:
        changes["stock"] = None
    return service.update_item(session, access.programme, item_id, changes, actor=access.actor)


# ------------------------------------------------------------------ redemptions
def redemption_view(session: Any, row: Redemption) -> RedemptionOut:
    item = session.get(CatalogueItem, row.item_id)
    inst = session.scalar(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == row.programme_id, WorkflowInstance.workflow == service.REDEMPTION_WORKFLOW,
        WorkflowInstance.subject_type == "redemption", WorkflowInstance.subject_id == str(row.id)))
    return RedemptionOut(id=row.id, volunteer_id=row.volunteer_id, item_id=row.item_id, item_code=item.code,
                         item_title=item.title, unit=row.unit, cost=Decimal(row.cost), debit_id=row.debit_id,
                         created_at=row.created_at, instance_id=inst.id if inst else None,
                         state=inst.state if inst else None, version=inst.version if inst else None)


@router.post("/redemptions", response_model=RedemptionOut, status_code=201)
def redeem(body: RedeemIn, access: AccessDep, engine: EngineDep, session: SessionDep) -> RedemptionOut:
    """Redeem an item: a volunteer for themselves, admin/coordinator for a volunteer. The cost is
    debited at once (refused with the balance and the cost when short)."""
    vid = reachable_volunteer(session, access, body.volunteer_id, staff=MANAGERS, what="redeeming")
    row = service.redeem(session, access.programme, engine.host, vid, body.item_id, actor=access.actor)
    return done(session, redemption_view(session, row))


@router.get("/redemptions", response_model=list[RedemptionOut])
def list_redemptions(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None,
                     limit: Limit = 100, offset: Offset = 0) -> list[RedemptionOut]:
    q = select(Redemption).where(Redemption.programme_id == access.programme.id)
    if not access.has(*STAFF) or volunteer_id is not None:
        q = q.where(Redemption.volunteer_id == reachable_volunteer(session, access, volunteer_id, what="redemptions"))
    return [redemption_view(session, r) for r in session.scalars(q.order_by(Redemption.id.desc()).limit(limit)
                                                                 .offset(offset))]


@router.get("/redemptions/{redemption_id}", response_model=RedemptionOut)
def show_redemption(redemption_id: Id, access: AccessDep, session: SessionDep) -> RedemptionOut:
    row = service.get_redemption(session, access.programme, redemption_id)
    reachable_volunteer(session, access, row.volunteer_id, what="a redemption")
    return redemption_view(session, row)


@router.post("/redemptions/{redemption_id}/fire", response_model=RedemptionOut)
def fire_redemption(redemption_id: Id, body: FireIn, access: AccessDep, engine: EngineDep,
                    session: SessionDep) -> RedemptionOut:
    """approve / fulfil (admin, coordinator) or cancel (also the volunteer, only their own; refunds)."""
    row = service.get_redemption(session, access.programme, redemption_id)
    if not access.has(*MANAGERS):
        reachable_volunteer(session, access, row.volunteer_id, staff=MANAGERS, what="this redemption")
    result = service.fire_redemption(session, access.programme, engine.host, redemption_id, body.trigger,
                                     actor=access.actor, roles=access.roles, payload=body.payload,
                                     expected_version=body.expected_version)
    if not result.ok:
        session.commit()  # keep the refusal in the log
        raise GuardsFailed(body.trigger, result.reasons)
    return done(session, redemption_view(session, row))


# ------------------------------------------------------------------ honours
@router.post("/honours", response_model=HonourOut, status_code=201)
def add_honour(body: HonourIn, access: AccessDep, session: SessionDep) -> Honour:
    """Award a title with its evidence (admin, coordinator)."""
    access.require(*MANAGERS, what="awarding an honour")
    return service.award_honour(session, access.programme, body.volunteer_id, title=body.title, level=body.level,
                                awarded_on=body.awarded_on, evidence=body.evidence, note=body.note, actor=access.actor)


@router.get("/honours", response_model=list[HonourOut])
def list_honours(access: AccessDep, session: SessionDep, volunteer_id: Id | None = None,
                 limit: Limit = 100, offset: Offset = 0) -> list[Honour]:
    """Honours, newest first: a volunteer sees their own; staff see any."""
    q = select(Honour).where(Honour.programme_id == access.programme.id)
    if not access.has(*STAFF) or volunteer_id is not None:
        q = q.where(Honour.volunteer_id == reachable_volunteer(session, access, volunteer_id, what="honours"))
    return list(session.scalars(q.order_by(Honour.id.desc()).limit(limit).offset(offset)))


# ------------------------------------------------------------------ levels
@router.get("/levels", response_model=list[LevelCount])
def level_distribution(access: AccessDep, session: SessionDep) -> list[dict[str, Any]]:
    """How many volunteers hold each level (staff)."""
    access.require(*STAFF, what="the level distribution")
    return levels.distribution(session, access.programme)


@router.get("/levels/{volunteer_id}", response_model=LevelOut)
def volunteer_level(volunteer_id: Id, access: AccessDep, session: SessionDep) -> LevelOut:
    """A volunteer's hours, level and what the next level needs (staff, or the volunteer)."""
    vid = reachable_volunteer(session, access, volunteer_id, what="the level")
    return LevelOut(**standing(session, access.programme, vid))


def _include_rules_routes() -> None:
    from engine.stages.rewards import rules_routes

    router.include_router(rules_routes.router)


_include_rules_routes()
