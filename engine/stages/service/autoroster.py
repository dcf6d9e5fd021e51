"""自动排班 The auto-roster over the store: who may take which shift, the CP-SAT model
(:mod:`engine.stages.service.autoroster_model`), the writes, and why each unfilled place is empty.

Who may take a shift: a volunteer of the programme with an agreed application to the shift's post,
eligible for the post on the shift's day (age, skills, languages, courses valid that day — the same
:func:`check_eligibility` as a manual assignment), under the no-show cap, inside the duty window,
and free that day (``available``, when the caller knows people's days) and outside every window
they said they are not free (``unavailable``: volunteer → (start, end) spans). Locked assignments are a
coordinator's (any assignment not written by the auto-roster): never moved. The auto-roster's own
earlier assignments (``assigned_by`` starting with ``autoroster``) are the *previous* roster: kept
where possible, so a re-roster after drop-outs changes few places. Every write goes through
:func:`engine.stages.service.roster.assign` / ``cancel``, so all of the roster's rules run again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from engine.errors import GuardsFailed
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post, Shift
from engine.stages.recruitment.eligibility import check_eligibility
from engine.stages.recruitment.models import Application, Volunteer
from engine.stages.service import roster, shift_rules
from engine.stages.service.autoroster_model import Problem, Slot, solve
from engine.stages.service.models import Assignment
from engine.store.base import utcnow
from engine.store.models import WorkflowInstance
from engine.workflow import stagegate as gate

AUTO = "autoroster"


def _agreed(session: Session, programme: LoadedProgramme) -> dict[int, set[int]]:
    """post → volunteers with an agreed application to it."""
    rows = session.execute(select(Application.post_id, Application.volunteer_id).join(
        WorkflowInstance, (WorkflowInstance.subject_id == cast(Application.id, String))
        & (WorkflowInstance.workflow == "application") & (WorkflowInstance.subject_type == "application")
        & (WorkflowInstance.programme_id == programme.id)).where(
        Application.programme_id == programme.id, WorkflowInstance.state.in_(roster.AGREED_STATES))).all()
    out: dict[int, set[int]] = defaultdict(set)
    for post_id, vid in rows:
        out[post_id].add(vid)
    return out


def build(session: Session, programme: LoadedProgramme, host: PluginHost, *, now: dt.datetime,
          shift_ids: list[int] | None = None, available: dict[int, set[dt.date]] | None = None,
          preferred: set[tuple[int, int]] | dict[tuple[int, int], int] | None = None,
          unavailable: dict[int, list[tuple[dt.datetime, dt.datetime]]] | None = None,
          ) -> tuple[Problem, dict[int, int]]:
    """The problem for the programme's open shifts (or ``shift_ids``), and shift → qualified count."""
    tz = programme.config.tz
    q = select(Shift).where(Shift.programme_id == programme.id, Shift.cancelled_at.is_(None), Shift.ends_at > now)
    if shift_ids:
        q = q.where(Shift.id.in_(shift_ids))
    shifts = list(session.scalars(q.order_by(Shift.starts_at, Shift.id)))
    ids = {s.id for s in shifts}
    active = session.execute(select(Assignment.volunteer_id, Assignment.shift_id, Assignment.assigned_by,
                                    Shift.starts_at, Shift.ends_at).join(Shift, Shift.id == Assignment.shift_id).where(
        Assignment.programme_id == programme.id, Assignment.status == roster.ACTIVE)).all()
    locked: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    taken: dict[int, int] = defaultdict(int)
    previous: set[tuple[int, int]] = set()
    for vid, sid, by, s0, s1 in active:
        if sid in ids and (by or "").startswith(AUTO):
            previous.add((vid, sid))
        else:
            locked[vid].append((s0, s1))
            if sid in ids:
                taken[sid] += 1
    agreed = _agreed(session, programme)
    rules = shift_rules.policy_of(programme)
    cap = programme.config.service.max_no_shows
    no_shows = dict(session.execute(select(Assignment.volunteer_id, func.count()).where(
        Assignment.programme_id == programme.id, Assignment.status == "no_show").group_by(Assignment.volunteer_id)).all())
    vols = {v.id: v for v in session.scalars(select(Volunteer).where(
        Volunteer.id.in_({v for vs in agreed.values() for v in vs})))}
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.programme_id == programme.id))}
    venue = shift_rules.venue_lookup(session, programme, rules)
    ok_cache: dict[tuple[int, int, dt.date], bool] = {}
    eligible: dict[int, set[int]] = defaultdict(set)
    qualified: dict[int, int] = {}
    for sh in shifts:
        day = sh.starts_at.astimezone(tz).date()
        n = 0
        for vid in agreed.get(sh.post_id, ()):
            if cap is not None and no_shows.get(vid, 0) > cap:
                continue
            if available is not None and day not in available.get(vid, set()):
                continue
            if unavailable and any(a < sh.ends_at and sh.starts_at < b for a, b in unavailable.get(vid, ())):
                continue  # --- added for event: a window the volunteer said they are not free ---
            key = (vid, sh.post_id, day)
            if key not in ok_cache:
                ok_cache[key] = not check_eligibility(session, programme, host, vols[vid], posts[sh.post_id], day,
                                                      include_courses=True)
            if not ok_cache[key]:
                continue
            if rules is not None and shift_rules.violations(rules, [], (sh.starts_at, sh.ends_at), tz, **venue(sh.post_id)):
                continue
            eligible[vid].add(sh.id)
            n += 1
        qualified[sh.id] = n
    slots = [Slot(s.id, s.starts_at, s.ends_at, max(0, s.capacity - taken[s.id])) for s in shifts]
    rest = programme.config.service.min_rest_minutes
    day_cap = programme.config.service.max_minutes_per_day
    week_cap = consecutive = per_day = None
    if rules is not None:
        if rules.min_rest_hours is not None:
            rest = max(rest, int(rules.min_rest_hours * 60))
        if rules.max_hours_per_day is not None:
            day_cap = min(day_cap or 10**6, int(rules.max_hours_per_day * 60))
        if rules.max_hours_per_week is not None:
            week_cap = int(rules.max_hours_per_week * 60)
        consecutive, per_day = rules.max_consecutive_days, rules.max_shifts_per_day
    return Problem(slots, dict(eligible), tz, rest_minutes=rest, max_day_minutes=day_cap, max_week_minutes=week_cap,
                   max_consecutive_days=consecutive, max_shifts_per_day=per_day, locked=dict(locked), previous=previous,
                   preferred=set(preferred or ()),
                   preference_weight=dict(preferred) if isinstance(preferred, dict) else {}), qualified


def explain(slot: Slot, filled: int, qualified: int) -> str:
    missing = slot.need - filled
    if qualified == 0:
        return (f"缺 {missing} 人：没有合格且有空的志愿者（已签协议、符合岗位条件与培训、在值守期内）/ {missing} missing: "
                "nobody qualified is free — agreed, eligible, trained, inside the duty window and available")
    if qualified < slot.need:
        return (f"缺 {missing} 人：只有 {qualified} 名合格志愿者，岗位需要 {slot.need} 人 / {missing} missing: only "
                f"{qualified} qualified volunteers for {slot.need} places (capacity)")
    return (f"缺 {missing} 人：{qualified} 名合格志愿者均已排在其他班次或受轮班规则所限（休息、每日/每周时长、连续天数）/ "
            f"{missing} missing: the {qualified} qualified volunteers are on other shifts or blocked by the shift "
            "rules (rest, hours per day or week, consecutive days)")


def run(session: Session, programme: LoadedProgramme, host: PluginHost, *, actor: str, now: dt.datetime | None = None,
        shift_ids: list[int] | None = None, available: dict[int, set[dt.date]] | None = None,
        preferred: set[tuple[int, int]] | dict[tuple[int, int], int] | None = None, time_limit: float = 5.0,
        write: bool = True,
        unavailable: dict[int, list[tuple[dt.datetime, dt.datetime]]] | None = None) -> dict[str, Any]:
    """Roster the open shifts; returns what was filled, changed and why places stay empty."""
    gate.require_open(session, programme, "roster")
    now = now or utcnow()
    problem, qualified = build(session, programme, host, now=now, shift_ids=shift_ids, available=available,
                               preferred=preferred, unavailable=unavailable)
    sol = solve(problem, time_limit=time_limit)
    keep = problem.previous & sol.pairs
    drop, add = problem.previous - sol.pairs, sol.pairs - problem.previous
    refused: list[dict[str, Any]] = []
    if sol.status == "INFEASIBLE":
        keep, drop, add = set(problem.previous), set(), set()  # nothing found: nobody loses a place
    if write and sol.status != "INFEASIBLE":
        by = f"{AUTO}:{actor}"
        for vid, sid in sorted(drop):
            a = session.scalars(select(Assignment).where(Assignment.shift_id == sid, Assignment.volunteer_id == vid,
                                                         Assignment.status == roster.ACTIVE)).one()
            roster.cancel(session, programme, a.id, actor=by)
        for vid, sid in sorted(add, key=lambda p: (p[1], p[0])):
            try:
                with session.begin_nested():
                    roster.assign(session, programme, host, sid, vid, actor=by, now=now)
            except GuardsFailed as exc:
                refused.append({"shift_id": sid, "volunteer_id": vid, "reasons": exc.reasons})
    per_slot: dict[int, int] = defaultdict(int)
    for _, sid in sol.pairs:
        per_slot[sid] += 1
    unfilled = [{"shift_id": s.id, "needed": s.need, "filled": per_slot[s.id],
                 "reason": explain(s, per_slot[s.id], qualified.get(s.id, 0))}
                for s in problem.slots if per_slot[s.id] < s.need]
    return {"needed": sum(s.need for s in problem.slots), "filled": sol.filled, "bound": sol.bound, "gap": sol.gap,
            "status": sol.status, "seconds": round(sol.seconds, 3), "kept": len(keep), "added": len(add),
            "removed": len(drop), "refused": refused, "unfilled": unfilled, "levels": sol.levels}
