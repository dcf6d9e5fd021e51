"""HTTP for the rule policies: the dry run of a rule change (and applying it), nominations for a
level, the annual level batch, the yearly points reset, and time-bank accounts and transfers. Included by the rewards
router (same prefix, same error bodies)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine import timeutil
from engine.errors import Forbidden
from engine.http.deps import AccessDep, EngineDep, SessionDep
from engine.inputs import Id, Year
from engine.rules.replay import apply_replay, replay_programme, to_csv
from engine.stages.recruitment.models import Volunteer
from engine.stages.rewards import level_policy, timebank, yearly_reset
from engine.stages.rewards.points_policy import yearly_policy

router = APIRouter(tags=["rules"])
MANAGERS = ("admin", "coordinator")
ACCOUNT = r"^(v:[1-9][0-9]{0,9}|pool:[^\s:]{1,60}|partner:[a-z0-9_-]{1,60})$"


class ReplayIn(BaseModel):
    programme_yaml: str = Field(min_length=1, max_length=200_000, description="the changed programme file (same id)")
    apply: bool = Field(default=False, description="write the adjusting entries and adopt the file (logged)")
    reason: str | None = Field(default=None, max_length=2000, description="why; required to apply")
    limit: int = Field(default=1000, ge=1, le=10_000, description="changes listed")


class ReplayOut(BaseModel):
    summary: dict[str, Any]
    changes: list[dict[str, Any]]
    timebank: list[dict[str, Any]] = Field(default_factory=list, description="time-bank accounts that change")
    rule_change_id: int | None = None


class NominationIn(BaseModel):
    level: str = Field(min_length=1, max_length=63)
    note: str | None = Field(default=None, max_length=2000)


class BatchIn(BaseModel):
    year: Year


class PointsResetIn(BaseModel):
    year: Year | None = Field(default=None, description="default: the points year now running")


class TransferIn(BaseModel):
    source: str = Field(pattern=ACCOUNT, max_length=80, description="v:<volunteer id>, pool:<name>, partner:<code>")
    target: str = Field(pattern=ACCOUNT, max_length=80)
    hours: Decimal = Field(gt=0, le=10_000, max_digits=8, decimal_places=2, allow_inf_nan=False)
    reason: str = Field(min_length=1, max_length=2000)
    donation: bool = False


@router.post("/rules/replay", response_model=ReplayOut,
             responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def replay(body: ReplayIn, access: AccessDep, session: SessionDep, engine: EngineDep,
           format: Literal["json", "csv"] = "json") -> Any:
    """规则变更试算 Recompute everyone's hours, levels and points under the changed file, without writing;
    with ``apply`` (and a reason) write the adjusting entries and adopt the file (admin only)."""
    access.require("admin", what="replaying a rule change")
    changed = engine.parse(body.programme_yaml, "changed.yaml")
    report = replay_programme(session, access.programme, changed)
    log_id = None
    if body.apply:
        log = apply_replay(session, access.programme, changed, actor=access.actor, reason=body.reason or "",
                           host=engine.host)
        engine.load(body.programme_yaml, filename="changed.yaml", actor=access.actor, session=session)
        session.commit()
        log_id = log.id
    if format == "csv":
        return PlainTextResponse(to_csv(report), media_type="text/csv; charset=utf-8")
    return ReplayOut(summary=report.summary(), changes=[c.as_row() for c in report.changes[:body.limit]],
                     timebank=[b.as_row() for b in report.bank[:body.limit]], rule_change_id=log_id)


@router.post("/levels/{volunteer_id}/nominations", status_code=201)
def nominate(volunteer_id: Id, body: NominationIn, access: AccessDep, session: SessionDep,
             engine: EngineDep) -> dict[str, Any]:
    """Nominate a volunteer for a level (refused when the level below must come first)."""
    access.require(*MANAGERS, what="nominating for a level")
    row = level_policy.nominate(session, access.programme, engine.host, volunteer_id, body.level,
                                actor=access.actor, note=body.note)
    session.commit()
    return {"id": row.id, "volunteer_id": volunteer_id, "level": row.level,
            **level_policy.standing(session, access.programme, volunteer_id)}


@router.post("/levels/batch")
def level_batch(body: BatchIn, access: AccessDep, session: SessionDep, engine: EngineDep) -> list[dict[str, Any]]:
    """Run the annual level batch for a year (hours up to the cut-off; admin only)."""
    access.require("admin", what="running the level batch")
    risen = level_policy.run_level_batch(session, access.programme, engine.host, body.year, actor=access.actor)
    session.commit()
    return risen


@router.post("/points/reset")
def points_reset(body: PointsResetIn, access: AccessDep, session: SessionDep, engine: EngineDep) -> dict[str, Any]:
    """The yearly reset of ``rules.points`` now (admin): what was earned before the year began. The
    scheduled path runs it by itself at the year's first tick; a year already reset takes nothing."""
    access.require("admin", what="the yearly points reset")
    ctx = engine.host.context(session, access.programme, actor=access.actor, roles=access.roles)
    policy = yearly_policy(access.programme)
    year = body.year or timeutil.year_of(policy.reset.year_start, access.programme.config.timezone, ctx.now)
    volunteers_now, _ = yearly_reset.reset_year(ctx, policy, year)
    volunteers, total = yearly_reset.year_totals(session, access.programme.id, policy.unit, year)
    session.commit()
    return {"year": year, "unit": policy.unit, "volunteers": volunteers, "total": str(total),
            "reset_now": volunteers_now}


def _own_or_staff(session: Any, access: Any, account: str) -> None:
    if access.has(*MANAGERS):
        return
    mine = session.scalar(select(Volunteer.id).where(Volunteer.user_id == access.user.id))
    if mine is None or account != f"v:{mine}":
        raise Forbidden("只能查看或转出自己的时间账户 / you may use only your own time-bank account", account=account)


@router.get("/timebank/{account}")
def timebank_balance(account: Annotated[str, PathParam(max_length=80, pattern=ACCOUNT)], access: AccessDep,
                     session: SessionDep) -> dict[str, Any]:
    """An account's balance in hours (and the part that may only be donated)."""
    _own_or_staff(session, access, account)
    total, donate_only = timebank.balance(session, access.programme.id, account)
    return {"account": account, "hours": str(total), "donate_only": str(donate_only)}


@router.post("/timebank/transfers", status_code=201)
def timebank_transfer(body: TransferIn, access: AccessDep, session: SessionDep) -> dict[str, Any]:
    """Move hours between accounts, zero-sum (a member from their own account; staff any)."""
    _own_or_staff(session, access, body.source)
    out = timebank.transfer(session, access.programme, body.source, body.target, body.hours, actor=access.actor,
                            reason=body.reason, donation=body.donation)
    session.commit()
    return out
