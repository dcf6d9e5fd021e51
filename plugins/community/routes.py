"""HTTP API of the community plan type: ``/api/v1/programmes/{programme_id}/community/…``.

Thin on purpose: every rule is in the service modules; these routes decide who may call what and
which volunteer a caller may reach (a volunteer: only themselves). A programme of another plan
type answers 404 here, so the routes exist only where the rules do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select

from engine.errors import Forbidden, GuardsFailed, InvalidInput, NotFound
from engine.http.deps import Access, AccessDep, EngineDep, SessionDep
from engine.stages.recruitment.models import Volunteer
from engine.stages.rewards import levels
from plugins.community import appeals, dismissal, mentoring, network, reset, standing, timebank
from plugins.community.backbone import backbone_volunteers, current_year
from plugins.community.models import Mentorship, StarNomination

router = APIRouter(prefix="/programmes/{programme_id}/community", tags=["community"])
MANAGERS = ("admin", "coordinator")
STAFF = ("admin", "coordinator", "supervisor", "team_leader", "grid_leader")
BOARD = ("review_board", "admin", "coordinator", "supervisor")


def community_access(access: AccessDep) -> Access:
    if access.programme.plan_type_id != "community":
        raise NotFound(f"项目 {access.programme.id} 不是社区志愿服务项目 / programme {access.programme.id!r} is of plan type "
                       f"{access.programme.plan_type_id!r}, not community")
    return access


CommunityDep = Annotated[Access, Depends(community_access)]


def own_id(session: Any, access: Access) -> int | None:
    return session.scalar(select(Volunteer.id).where(Volunteer.user_id == access.user.id))


def reach(session: Any, access: Access, volunteer_id: int | None, *, staff: tuple[str, ...] = STAFF, what: str) -> int:
    """The volunteer this caller may act for: staff anyone, everyone else only themselves."""
    mine = own_id(session, access)
    if volunteer_id is None or volunteer_id == mine:
        if mine is None:
            raise InvalidInput(f"你的账号未关联志愿者，请指定 volunteer_id / your login is not linked to a volunteer ({what})",
                               field="volunteer_id")
        return mine
    access.require(*staff, what=f"{what} of another volunteer")
    return volunteer_id


def done(session: Any, value: Any) -> Any:
    """Commit before the answer is serialised, as the engine's rewards routes do: these routes hold
    balance-row locks until commit, and a commit left to the dependency's exit needs a worker thread
    that requests queued on the same lock may all be holding."""
    session.commit()
    return value


def _fired(session: Any, result: Any, trigger: str) -> None:
    if not result.ok:
        session.commit()  # keep the refusal in the transition log
        raise GuardsFailed(trigger, result.reasons)


class FireIn(BaseModel):
    trigger: str = Field(min_length=1, max_length=63)
    payload: dict[str, Any] = Field(default_factory=dict)


# ------------------------------------------------------------------ standing, network, backbone
@router.get("/standing")
def my_standing(access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    """The caller's own points, lifetime points, hours this year, backbone status, star and streak."""
    return standing.standing(session, access.programme, reach(session, access, None, what="standing"))


@router.get("/standing/{volunteer_id}")
def volunteer_standing(volunteer_id: int, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    return standing.standing(session, access.programme, reach(session, access, volunteer_id, what="standing"))


@router.get("/network")
def get_network(access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    """The station → grid → building tree with hours, needs and volunteers, rolled up."""
    return {"network": network.tree(session, access.programme)}


@router.get("/backbone")
def list_backbone(access: CommunityDep, session: SessionDep, year: int | None = None) -> dict[str, Any]:
    access.require(*STAFF, what="the backbone list")
    rules, tz = access.programme.rules, access.programme.config.timezone
    year = year or current_year(rules, tz)  # type: ignore[arg-type]
    rows = backbone_volunteers(session, rules, tz, access.programme.id, year)  # type: ignore[arg-type]
    return {"year": year, "volunteers": [{"volunteer_id": v, "name": n, "hours": round(m / 60, 2)} for v, n, m in rows]}


# ------------------------------------------------------------------ mentoring
class PairIn(BaseModel):
    mentor_id: int = Field(ge=1)
    mentee_id: int = Field(ge=1)


@router.post("/mentorships", status_code=201)
def pair(body: PairIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="pairing a mentor")
    row = mentoring.pair(session, access.programme, body.mentor_id, body.mentee_id, actor=access.actor)
    return _pair_view(row)


@router.get("/mentorships")
def list_pairs(access: CommunityDep, session: SessionDep) -> list[dict[str, Any]]:
    access.require(*STAFF, what="the mentoring pairs")
    rows = session.scalars(select(Mentorship).where(Mentorship.programme_id == access.programme.id).order_by(Mentorship.id))
    return [_pair_view(r) for r in rows]


@router.post("/mentorships/{mentorship_id}/end")
def end_pair(mentorship_id: int, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="ending a mentoring pair")
    return _pair_view(mentoring.end(session, access.programme, mentorship_id, actor=access.actor))


def _pair_view(m: Mentorship) -> dict[str, Any]:
    return {"id": m.id, "mentor_id": m.mentor_id, "mentee_id": m.mentee_id, "status": m.status,
            "started_at": m.started_at, "completed_at": m.completed_at, "bonus_entry_id": m.bonus_entry_id}


# ------------------------------------------------------------------ appeals
class AppealIn(BaseModel):
    entry_id: int = Field(ge=1)
    reason: str = Field(min_length=2, max_length=2000)
    claimed_amount: Decimal | None = Field(default=None, description="what the volunteer believes is right")


def _appeal_view(a: Any, state: str | None) -> dict[str, Any]:
    return {"id": a.id, "volunteer_id": a.volunteer_id, "entry_id": a.entry_id, "reason": a.reason,
            "claimed_amount": a.claimed_amount, "period": a.period, "review_by": a.review_by, "state": state,
            "decision": a.decision, "decision_note": a.decision_note, "corrected_amount": a.corrected_amount,
            "correction_entries": a.correction_entries, "decided_by": a.decided_by, "filed_at": a.filed_at}


@router.post("/appeals", status_code=201)
def file_appeal(body: AppealIn, access: CommunityDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """A volunteer disputes one of their own ledger entries (seed 001 §1(三))."""
    vid = reach(session, access, None, what="an appeal")
    row = appeals.file_appeal(session, access.programme, engine.host, entry_id=body.entry_id, volunteer_id=vid,
                              reason=body.reason, claimed_amount=body.claimed_amount, actor=access.actor)
    return _appeal_view(row, "filed")


@router.get("/appeals")
def list_appeals(access: CommunityDep, session: SessionDep, period: str | None = None) -> list[dict[str, Any]]:
    """The board's queue (filter by period, e.g. 2026Q1); a volunteer sees only their own appeals."""
    vid = None if access.has(*BOARD) else reach(session, access, None, what="appeals")
    return [_appeal_view(a, s) for a, s in appeals.list_appeals(session, access.programme.id, volunteer_id=vid,
                                                                 period=period)]


@router.post("/appeals/{appeal_id}/fire")
def fire_appeal(appeal_id: int, body: FireIn, access: CommunityDep, engine: EngineDep,
                session: SessionDep) -> dict[str, Any]:
    """review / uphold / correct (board; payload note, corrected_amount) or withdraw (the appellant)."""
    row = appeals.get_appeal(session, access.programme, appeal_id)
    if not access.has(*BOARD) and row.volunteer_id != own_id(session, access):
        raise Forbidden(f"只能处理自己的申诉 / you may act only on your own appeal ({appeal_id})")
    result = appeals.fire(session, access.programme, engine.host, appeal_id, body.trigger, actor=access.actor,
                          roles=access.roles, payload=body.payload)
    _fired(session, result, body.trigger)
    return done(session, _appeal_view(row, result.instance.state))


# ------------------------------------------------------------------ dismissals
class DismissalIn(BaseModel):
    volunteer_id: int = Field(ge=1)
    ground: str = Field(description=", ".join(dismissal.GROUNDS))
    description: str = Field(min_length=2, max_length=4000)


class EvidenceIn(BaseModel):
    kind: str = Field(description=", ".join(dismissal.EVIDENCE_KINDS))
    description: str = Field(min_length=2, max_length=4000)
    ref: str | None = Field(default=None, max_length=200)


def _case_view(session: Any, access: Access, case: Any) -> dict[str, Any]:
    inst = dismissal.state_of(session, access.programme.id, case.id)
    zh, en = dismissal.GROUNDS[case.ground]
    return {"id": case.id, "volunteer_id": case.volunteer_id, "ground": case.ground, "ground_text": f"{zh} / {en}",
            "description": case.description, "state": inst.state if inst else None, "decision": case.decision,
            "decision_note": case.decision_note, "decided_by": case.decided_by, "reported_to": case.reported_to,
            "evidence": [{"id": e.id, "kind": e.kind, "description": e.description, "ref": e.ref,
                          "added_by": e.added_by, "added_at": e.added_at} for e in dismissal.evidence(session, case.id)]}


@router.post("/dismissals", status_code=201)
def propose_dismissal(body: DismissalIn, access: CommunityDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="proposing a dismissal")
    case = dismissal.propose(session, access.programme, engine.host, volunteer_id=body.volunteer_id, ground=body.ground,
                             description=body.description, actor=access.actor)
    return _case_view(session, access, case)


@router.get("/dismissals/{dismissal_id}")
def show_dismissal(dismissal_id: int, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    case = dismissal.get_case(session, access.programme, dismissal_id)
    if not access.has(*BOARD):
        reach(session, access, case.volunteer_id, staff=BOARD, what="a dismissal case")
    return _case_view(session, access, case)


@router.post("/dismissals/{dismissal_id}/evidence", status_code=201)
def add_evidence(dismissal_id: int, body: EvidenceIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="adding evidence")
    dismissal.add_evidence(session, access.programme, dismissal_id, kind=body.kind, description=body.description,
                           ref=body.ref, actor=access.actor)
    return _case_view(session, access, dismissal.get_case(session, access.programme, dismissal_id))


@router.post("/dismissals/{dismissal_id}/fire")
def fire_dismissal(dismissal_id: int, body: FireIn, access: CommunityDep, engine: EngineDep,
                   session: SessionDep) -> dict[str, Any]:
    """review (needs evidence) / dismiss / clear / report_upstream — each decision with a note."""
    result = dismissal.fire(session, access.programme, engine.host, dismissal_id, body.trigger, actor=access.actor,
                            roles=access.roles, payload=body.payload)
    _fired(session, result, body.trigger)
    return _case_view(session, access, dismissal.get_case(session, access.programme, dismissal_id))


# ------------------------------------------------------------------ stars
class NominationIn(BaseModel):
    volunteer_id: int = Field(ge=1)
    stars: int = Field(ge=1, le=10)
    reason: str = Field(min_length=2, max_length=2000)


@router.post("/stars/nominations", status_code=201)
def nominate(body: NominationIn, access: CommunityDep, engine: EngineDep, session: SessionDep) -> dict[str, Any]:
    """Record a nomination a star level needs, then re-evaluate the volunteer's level."""
    access.require(*MANAGERS, what="nominating for a star level")
    from plugins.community.stars import nominate as record

    record(session, access.programme, body.volunteer_id, body.stars, reason=body.reason, actor=access.actor)
    old, new = levels.update_level(session, access.programme, engine.host, body.volunteer_id, actor=access.actor)
    return done(session, {"volunteer_id": body.volunteer_id, "stars": body.stars, "level_before": old, "level": new})


@router.get("/stars/nominations")
def list_nominations(access: CommunityDep, session: SessionDep) -> list[dict[str, Any]]:
    access.require(*STAFF, what="star nominations")
    rows = session.scalars(select(StarNomination).where(StarNomination.programme_id == access.programme.id)
                           .order_by(StarNomination.id))
    return [{"id": r.id, "volunteer_id": r.volunteer_id, "stars": r.stars, "reason": r.reason,
             "nominated_by": r.nominated_by, "created_at": r.created_at} for r in rows]


# ------------------------------------------------------------------ yearly reset
class ResetIn(BaseModel):
    year: int | None = Field(default=None, ge=2000, le=2200, description="default: the current community year")


def _reset_view(row: Any, ran: bool) -> dict[str, Any]:
    return {"year": row.year, "reset_at": row.reset_at, "volunteers": row.volunteers, "total": row.total,
            "run_by": row.run_by, "run_at": row.run_at, "ran_now": ran}


@router.post("/resets")
def run_reset(body: ResetIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    """The yearly reset of spendable points (admin); a second call for a year changes nothing."""
    access.require("admin", what="the yearly points reset")
    year = body.year or reset.due_year(access.programme)
    row, ran = reset.reset_points(session, access.programme, year, actor=access.actor)
    return done(session, _reset_view(row, ran))


@router.get("/resets")
def list_resets(access: CommunityDep, session: SessionDep) -> list[dict[str, Any]]:
    return [_reset_view(r, False) for r in reset.list_resets(session, access.programme.id)]


# ------------------------------------------------------------------ time bank
class InboundIn(BaseModel):
    partner: str = Field(min_length=1, max_length=63)
    source_ref: str = Field(min_length=1, max_length=200, description="the partner's id of these points")
    volunteer_id: int = Field(ge=1)
    amount: Decimal = Field(gt=0, description="in the partner's points")
    origin: str | None = Field(default=None, max_length=63, description="where they were earned (default: partner)")
    earned_on: dt.date | None = None
    note: str | None = Field(default=None, max_length=2000)


class OutboundIn(BaseModel):
    partner: str = Field(min_length=1, max_length=63)
    volunteer_id: int = Field(ge=1)
    amount: Decimal = Field(gt=0)
    note: str | None = Field(default=None, max_length=2000)


class TransferIn(BaseModel):
    to_volunteer: int = Field(ge=1)
    amount: Decimal = Field(gt=0)
    from_volunteer: int | None = Field(default=None, ge=1, description="default: the caller")
    note: str | None = Field(default=None, max_length=2000)


def _transfer_view(session: Any, t: Any, created: bool = True) -> dict[str, Any]:
    return {"id": t.id, "kind": t.kind, "amount": t.amount, "partner": t.partner_code, "original_amount": t.original_amount,
            "rate": t.rate, "source_ref": t.source_ref, "origin": t.origin, "earned_on": t.earned_on, "created": created,
            "legs": [{"account": g.account, "amount": g.amount, "entry_id": g.entry_id} for g in timebank.legs_of(session, t.id)]}


@router.get("/time-bank")
def time_bank(access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*STAFF, what="the time bank")
    return {"community": timebank.our_code(access.programme), "partners": timebank.partner_balances(session, access.programme),
            "unbalanced_transfers": timebank.unbalanced_transfers(session, access.programme.id)}


@router.post("/time-bank/inbound")
def receive(body: InboundIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    """Points earned with a partner arrive (idempotent per partner and source_ref)."""
    access.require(*MANAGERS, what="receiving time-bank points")
    t, created = timebank.inbound(session, access.programme, partner=body.partner, source_ref=body.source_ref,
                                  volunteer_id=body.volunteer_id, amount=body.amount, origin=body.origin,
                                  earned_on=body.earned_on, note=body.note, actor=access.actor)
    return done(session, _transfer_view(session, t, created))


@router.post("/time-bank/outbound", status_code=201)
def send(body: OutboundIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    access.require(*MANAGERS, what="sending points to a partner")
    t = timebank.outbound(session, access.programme, volunteer_id=body.volunteer_id, partner=body.partner,
                          amount=body.amount, note=body.note, actor=access.actor)
    return done(session, _transfer_view(session, t))


@router.post("/time-bank/transfers", status_code=201)
def give(body: TransferIn, access: CommunityDep, session: SessionDep) -> dict[str, Any]:
    """A volunteer gives some of their points to another (staff may record it for them)."""
    giver = reach(session, access, body.from_volunteer, staff=MANAGERS, what="a time-bank transfer")
    t = timebank.person_transfer(session, access.programme, from_volunteer=giver, to_volunteer=body.to_volunteer,
                                 amount=body.amount, note=body.note, actor=access.actor)
    return done(session, _transfer_view(session, t))
