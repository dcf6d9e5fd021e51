"""换班 Swaps between two volunteers, with approval.

A volunteer on a seat (an assignment) asks a colleague on another shift to swap: :func:`propose`
names the colleague's shift and volunteer number. The colleague accepts or declines; a team leader,
coordinator or admin who is not one of the two approves or refuses; whoever proposed it (or staff)
may withdraw it until then. State lives in the engine's ``swap`` workflow (``engine/config/
defaults.yaml``; a programme may change its roles or add guards like any workflow).

On approval both seats change in one transaction with every check a coordinator's rostering makes
(:func:`roster.assign`: capacity, overlap and rest, the day's cap, the shift rules, an agreed
application to the post, eligibility on the day, the no-show cap): the colleague's shift for the
proposer, the proposer's for the colleague. Accepting and approving first try the exchange in a
savepoint and refuse with every reason, naming the rule and the person; nothing changes before
approval. Both shifts must not have started, both seats must still be held by the two, and one
request per pair of seats may be open at a time. A request nobody settled in time is closed by the
scheduled path (:func:`expire_stale`: ``expired``) and both are told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, GuardsFailed, InvalidInput, NotFound
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Shift
from engine.stages.recruitment.models import Volunteer
from engine.stages.service import roster
from engine.stages.service.models import Assignment, SwapRequest
from engine.store.models import User, WorkflowInstance
from engine.workflow import stagegate as gate
from engine.workflow.context import GuardContext
from engine.workflow.service import WorkflowService

WORKFLOW = "swap"
OPEN = ("proposed", "accepted")
ACTIVE = "assigned"


def propose(session: Session, programme: LoadedProgramme, host: PluginHost, assignment_id: int, proposer_id: int,
            *, shift_id: int, with_volunteer_id: int, note: str | None, actor: str, now: dt.datetime) -> SwapRequest:
    """Ask the volunteer ``with_volunteer_id`` on ``shift_id`` to swap with seat ``assignment_id``."""
    gate.require_open(session, programme, "roster")
    mine = roster.get_assignment(session, programme, assignment_id)
    if mine.volunteer_id != proposer_id:
        raise Forbidden(f"排班 {assignment_id} 不是你的 / assignment {assignment_id} is not yours")
    if mine.status != ACTIVE:
        raise InvalidInput(f"排班 {assignment_id} 状态为 {mine.status} / assignment {assignment_id} is {mine.status!r}",
                           field="assignment_id")
    other = session.scalar(select(Assignment).where(
        Assignment.programme_id == programme.id, Assignment.shift_id == shift_id,
        Assignment.volunteer_id == with_volunteer_id, Assignment.status == ACTIVE))
    if other is None:
        raise NotFound(f"志愿者 {with_volunteer_id} 没有排在班次 {shift_id} / volunteer {with_volunteer_id} is not "
                       f"rostered on shift {shift_id}", field="with_volunteer_id")
    if other.volunteer_id == proposer_id or other.shift_id == mine.shift_id:
        raise InvalidInput("须与另一班次上的另一位志愿者换班 / a swap is with someone else on another shift",
                           field="with_volunteer_id")
    late = _started(session, programme, (mine, other), now)
    if late:
        raise InvalidInput("; ".join(late), field="shift_id")
    pair = (mine.id, other.id)
    clash = session.scalar(select(SwapRequest.id).join(WorkflowInstance, on_instance()).where(
        SwapRequest.programme_id == programme.id, WorkflowInstance.state.in_(OPEN),
        or_(SwapRequest.assignment_id.in_(pair), SwapRequest.other_assignment_id.in_(pair))))
    if clash is not None:
        raise Conflict(f"这两个排班已有未完成的换班申请 {clash} / swap request {clash} for one of these seats is "
                       "still open", swap=clash)
    row = SwapRequest(programme_id=programme.id, assignment_id=mine.id, other_assignment_id=other.id,
                      proposer_id=proposer_id, counterparty_id=other.volunteer_id, note=note, proposed_by=actor)
    session.add(row)
    session.flush()
    WorkflowService(host).start(session, programme, WORKFLOW, "swap", row.id, actor=actor)
    _notify(session, programme, host, row, "swap.requested", row.counterparty_id, key=f"swap:{row.id}:requested")
    return row


def _notify(session: Session, programme: LoadedProgramme, host: PluginHost, row: SwapRequest, template: str,
            to: int, *, key: str, **extra: str) -> None:
    """Queue a message about the request for one of the two (sent by the scheduled path)."""
    from engine.notify import enqueue

    seats, names = seats_and_names(session, [row])
    (mine, post), (theirs, other_post) = seats[row.assignment_id], seats[row.other_assignment_id]
    enqueue(session, programme_id=programme.id, template=template, key=key, to_volunteer_id=to, host=host, data={
        "proposer": names.get(row.proposer_id, ""), "post": post, "starts_at": mine.starts_at,
        "other_post": other_post, "other_starts_at": theirs.starts_at, "note": row.note or "",
        "other": names.get(row.counterparty_id if to == row.proposer_id else row.proposer_id, ""), **extra})


def announce(session: Session, programme: LoadedProgramme, host: PluginHost, row: SwapRequest, state: str,
             actor_volunteer: int | None) -> None:
    """Tell the two (not whoever acted) what became of the request."""
    label = state_title(programme, state)
    for who in (row.proposer_id, row.counterparty_id):
        if who != actor_volunteer:
            _notify(session, programme, host, row, "swap.update", who, key=f"swap:{row.id}:{state}:{who}", state=label)


def on_instance() -> Any:
    """The join condition from a swap request to its ``swap`` workflow instance (its state)."""
    return and_(WorkflowInstance.programme_id == SwapRequest.programme_id, WorkflowInstance.workflow == WORKFLOW,
                WorkflowInstance.subject_type == "swap", WorkflowInstance.subject_id == cast(SwapRequest.id, String))


def instances(session: Session, programme_id: str, ids: list[int]) -> dict[int, WorkflowInstance]:
    """Request id → its workflow instance, in one read."""
    if not ids:
        return {}
    rows = session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme_id, WorkflowInstance.workflow == WORKFLOW,
        WorkflowInstance.subject_type == "swap", WorkflowInstance.subject_id.in_([str(i) for i in ids])))
    return {int(r.subject_id): r for r in rows}


def state_title(programme: LoadedProgramme, state: str | None) -> str:
    """A state's title from the programme's ``swap`` workflow (e.g. 已换班 Approved and swapped)."""
    found = programme.workflow(WORKFLOW).definition.states.get(state or "")
    return found.title if found is not None and found.title else (state or "")


def seats_and_names(session: Session, rows: list[SwapRequest]) -> tuple[dict[int, tuple[Shift, str]], dict[int, str]]:
    """For these requests: assignment id → (its shift, its post's name), and volunteer id → name (two reads)."""
    from engine.stages.design.models import Post

    seats = {a: (sh, post) for a, sh, post in session.execute(
        select(Assignment.id, Shift, Post.name).join(Shift, Shift.id == Assignment.shift_id)
        .join(Post, Post.id == Shift.post_id).where(
            Assignment.id.in_([i for r in rows for i in (r.assignment_id, r.other_assignment_id)])))}
    names = dict(session.execute(select(Volunteer.id, Volunteer.name).where(
        Volunteer.id.in_([i for r in rows for i in (r.proposer_id, r.counterparty_id)]))).all())
    return seats, names


def get(session: Session, programme: LoadedProgramme, swap_id: int) -> SwapRequest:
    row = session.get(SwapRequest, swap_id)
    if row is None or row.programme_id != programme.id:
        raise NotFound(f"没有换班申请 {swap_id} / programme {programme.id!r} has no swap request {swap_id}")
    return row


def _started(session: Session, programme: LoadedProgramme, seats: Iterable[Assignment], now: dt.datetime) -> list[str]:
    out = []
    for seat in seats:
        shift = session.get(Shift, seat.shift_id)
        if shift is None or shift.cancelled_at is not None or shift.starts_at <= now:
            when = "" if shift is None else shift.starts_at.astimezone(programme.config.tz).strftime(" %Y-%m-%d %H:%M")
            out.append(f"班次 {seat.shift_id} 已开始或已取消{when} / shift {seat.shift_id} has started or was cancelled")
    return out


def expire_stale(session: Session, programme: LoadedProgramme, host: PluginHost, now: dt.datetime) -> list[int]:
    """Close every open request that can no longer be approved — one of its shifts has begun or was
    cancelled, or a seat is no longer its party's — as ``system``, and tell both. A programme whose
    ``swap`` workflow has no ``expire`` trigger keeps them open. Returns the request ids closed."""
    if "expire" not in programme.workflow(WORKFLOW).definition.transitions:
        return []
    mine, theirs = Assignment.__table__.alias("mine"), Assignment.__table__.alias("theirs")
    s1, s2 = Shift.__table__.alias("s1"), Shift.__table__.alias("s2")
    stale = or_(s1.c.starts_at <= now, s2.c.starts_at <= now, s1.c.cancelled_at.is_not(None),
                s2.c.cancelled_at.is_not(None), mine.c.status != ACTIVE, theirs.c.status != ACTIVE,
                mine.c.volunteer_id != SwapRequest.proposer_id, theirs.c.volunteer_id != SwapRequest.counterparty_id)
    rows = list(session.scalars(
        select(SwapRequest).join(WorkflowInstance, on_instance())
        .join(mine, mine.c.id == SwapRequest.assignment_id).join(theirs, theirs.c.id == SwapRequest.other_assignment_id)
        .join(s1, s1.c.id == mine.c.shift_id).join(s2, s2.c.id == theirs.c.shift_id)
        .where(SwapRequest.programme_id == programme.id, WorkflowInstance.state.in_(OPEN), stale)
        .order_by(SwapRequest.id)))
    found = instances(session, programme.id, [r.id for r in rows])
    closed = []
    for row in rows:
        result = WorkflowService(host).fire(session, programme, found[row.id], "expire", actor="system",
                                            roles={"system"})
        if result.ok:
            announce(session, programme, host, row, "expired", None)
            closed.append(row.id)
    return closed


def _exchange(session: Session, programme: LoadedProgramme, host: PluginHost, row: SwapRequest, *, actor: str,
              now: dt.datetime) -> tuple[Assignment, Assignment]:
    """Free both seats and take the other's, every rostering check applied; GuardsFailed naming who."""
    mine, other = session.get(Assignment, row.assignment_id), session.get(Assignment, row.other_assignment_id)
    assert mine is not None and other is not None
    held = [f"排班 {seat.id} 已不由志愿者 {who} 持有 / seat {seat.id} is no longer held by volunteer {who}"
            for seat, who in ((mine, row.proposer_id), (other, row.counterparty_id))
            if seat.status != ACTIVE or seat.volunteer_id != who]
    held += _started(session, programme, (mine, other), now)
    if held:
        raise GuardsFailed("swap", held)
    roster.cancel(session, programme, mine.id, actor=actor)
    roster.cancel(session, programme, other.id, actor=actor)
    taken: list[Assignment] = []
    reasons: list[str] = []
    for shift_id, who in ((other.shift_id, row.proposer_id), (mine.shift_id, row.counterparty_id)):
        try:
            taken.append(roster.assign(session, programme, host, shift_id, who, actor=actor, now=now))
        except GuardsFailed as refused:
            reasons += [f"志愿者 {who} 换到班次 {shift_id} / volunteer {who} onto shift {shift_id}: {r}"
                        for r in refused.reasons]
    if reasons:
        raise GuardsFailed("swap", reasons)
    return taken[0], taken[1]


def trial(session: Session, programme: LoadedProgramme, host: PluginHost, row: SwapRequest,
          now: dt.datetime) -> list[str]:
    """Every reason the swap could not be made now (empty: it could); changes nothing."""
    savepoint = session.begin_nested()
    try:
        _exchange(session, programme, host, row, actor="swap-trial", now=now)
        return []
    except GuardsFailed as refused:
        return list(refused.reasons)
    finally:
        savepoint.rollback()


# ------------------------------------------------------------------ the workflow's guards and action
def _acting_volunteer(ctx: GuardContext) -> int | None:
    return ctx.session.scalar(select(Volunteer.id).join(User, User.id == Volunteer.user_id).where(
        User.username == ctx.actor))


def _host(ctx: GuardContext) -> PluginHost:
    from engine.plugins import default_host

    return ctx.host or default_host()


def swap_by_counterparty(ctx: GuardContext) -> Iterable[str]:
    """Only the colleague asked answers a swap request."""
    row = get(ctx.session, ctx.programme, int(ctx.subject_id))
    if _acting_volunteer(ctx) != row.counterparty_id:
        yield f"只有被邀请的志愿者 {row.counterparty_id} 可以答复 / only volunteer {row.counterparty_id}, who was asked, may answer"


def swap_by_proposer_or_staff(ctx: GuardContext) -> Iterable[str]:
    """Whoever proposed the swap, or an admin or coordinator, withdraws it."""
    row = get(ctx.session, ctx.programme, int(ctx.subject_id))
    if not ctx.roles & {"admin", "coordinator"} and _acting_volunteer(ctx) != row.proposer_id:
        yield f"只有提出换班的志愿者 {row.proposer_id} 可以撤回 / only volunteer {row.proposer_id}, who proposed it, may withdraw"


def swap_not_by_party(ctx: GuardContext) -> Iterable[str]:
    """Neither of the two approves or refuses their own swap."""
    row = get(ctx.session, ctx.programme, int(ctx.subject_id))
    if _acting_volunteer(ctx) in (row.proposer_id, row.counterparty_id):
        yield "换班当事人不能审批自己的换班 / a party to the swap may not decide on it"


def swap_possible(ctx: GuardContext) -> Iterable[str]:
    """The exchange passes every rostering check now (tried in a savepoint)."""
    row = get(ctx.session, ctx.programme, int(ctx.subject_id))
    yield from trial(ctx.session, ctx.programme, _host(ctx), row, ctx.now)


def apply_swap(ctx: GuardContext) -> None:
    """Action: make the exchange (both seats, one transaction)."""
    row = get(ctx.session, ctx.programme, int(ctx.subject_id))
    mine, other = _exchange(ctx.session, ctx.programme, _host(ctx), row, actor=ctx.actor, now=ctx.now)
    row.swapped_to, row.swapped_to_other = mine.id, other.id
    ctx.session.flush()


GUARDS = (swap_by_counterparty, swap_by_proposer_or_staff, swap_not_by_party, swap_possible)
