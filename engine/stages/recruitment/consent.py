"""Guardian consent as a workflow of its own: requested → given / refused / withdrawn.

Programmes choose it with ``recruitment.guardian_consent: workflow`` (the ``youth`` plan type does);
the default, ``at_enrolment``, keeps the older rule (a minor's enrolment carries the consent or is
refused). In workflow mode (WAVE2: a minor without consent is *held as pending with the reason*,
not refused or silently accepted):

* enrolling a minor writes a ``requested`` event (or ``given``, by paper form, when the enrolment
  form carried the guardian's name and consent);
* a guardian gives, refuses or withdraws consent with their own account (they must be linked to the
  student: :func:`link_guardian`), or a staff member records the paper form (its signer's name and
  who recorded it are kept);
* until consent is given, applying is accepted but the application stays ``applied`` with the
  reason (the screen and offer guards name it), and rostering is refused with it;
* withdrawing consent after rostering takes the student off every shift that has not started and
  has no check-in (returned, so the caller can say which).

Who may consent: the age band of the region's minors policy (``rules.minors.consent_below``,
default 18 — 未成年人保护法 第二条). Every event is kept (append-only); the latest is the state.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.programme import LoadedProgramme
from engine.stages.recruitment.consent_models import VIA, ConsentEvent, GuardianLink, GuardianPresence
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.store.base import utcnow

ART = "未成年人保护法 第二条; 志愿服务条例 第十五条"
#: which state may follow which (None: nothing recorded yet)
NEXT: dict[str | None, tuple[str, ...]] = {
    None: ("requested", "given", "refused"),
    "requested": ("given", "refused"),
    "given": ("withdrawn",),
    "refused": ("requested", "given"),
    "withdrawn": ("requested", "given"),
}
ZH = {"requested": "已请求，待监护人答复", "given": "已同意", "refused": "已拒绝", "withdrawn": "已撤回",
      None: "尚未请求"}


def workflow_mode(programme: LoadedProgramme) -> bool:
    return getattr(programme.config.recruitment, "guardian_consent", "at_enrolment") == "workflow"


def consent_below(programme: LoadedProgramme) -> int:
    minors = programme.rules_policy.minors
    return minors.consent_below if minors is not None else 18


def presence_allowed(programme: LoadedProgramme) -> bool:
    minors = programme.rules_policy.minors
    return bool(minors is not None and minors.presence_instead)


# ---------------------------------------------------------------- guardians


def link_guardian(session: Session, volunteer_id: int, user_id: int, *, relationship: str,
                  created_by: str) -> GuardianLink:
    """Link a guardian's login to a student (idempotent)."""
    rel = (relationship or "").strip()
    if not rel or len(rel) > 30:
        raise InvalidInput("请填写与学生的关系（不超过 30 字）/ give the relationship to the student (≤ 30 characters)",
                           field="relationship")
    found = session.scalars(select(GuardianLink).where(GuardianLink.volunteer_id == volunteer_id,
                                                       GuardianLink.user_id == user_id)).one_or_none()
    if found is not None:
        return found
    row = GuardianLink(volunteer_id=volunteer_id, user_id=user_id, relationship=rel, created_by=created_by)
    session.add(row)
    session.flush()
    return row


def wards_of(session: Session, user_id: int) -> list[int]:
    """The students (volunteer ids) this login is a guardian of."""
    return list(session.scalars(select(GuardianLink.volunteer_id).where(GuardianLink.user_id == user_id)
                                .order_by(GuardianLink.volunteer_id)))


def guardians_of(session: Session, volunteer_id: int) -> list[GuardianLink]:
    return list(session.scalars(select(GuardianLink).where(GuardianLink.volunteer_id == volunteer_id)
                                .order_by(GuardianLink.id)))


# ---------------------------------------------------------------- the consent's states


def history(session: Session, programme_id: str, volunteer_id: int) -> list[ConsentEvent]:
    return list(session.scalars(select(ConsentEvent).where(
        ConsentEvent.programme_id == programme_id, ConsentEvent.volunteer_id == volunteer_id)
        .order_by(ConsentEvent.id)))


def current(session: Session, programme_id: str, volunteer_id: int) -> ConsentEvent | None:
    return session.scalars(select(ConsentEvent).where(
        ConsentEvent.programme_id == programme_id, ConsentEvent.volunteer_id == volunteer_id)
        .order_by(ConsentEvent.id.desc()).limit(1)).first()


def record(session: Session, programme: LoadedProgramme, volunteer_id: int, status: str, *, actor: str,
           via: str | None = None, guardian_user_id: int | None = None, guardian_name: str | None = None,
           note: str | None = None, now: dt.datetime | None = None) -> tuple[ConsentEvent, list[int]]:
    """Append one consent event; returns it and the assignment ids taken off (on withdrawal).

    ``via="account"``: ``guardian_user_id`` is the guardian acting, who must be linked to the
    student. ``via="paper"``: ``guardian_name`` is the signer and ``actor`` who recorded it.
    A request needs neither. Refuses a step the current state does not allow (409).
    """
    if session.scalars(select(Enrolment.id).where(Enrolment.programme_id == programme.id,
                                                  Enrolment.volunteer_id == volunteer_id)).first() is None:
        raise NotFound(f"学生 {volunteer_id} 未在本项目登记 / volunteer {volunteer_id} is not enrolled here",
                       volunteer_id=volunteer_id)
    last = current(session, programme.id, volunteer_id)
    state = last.status if last is not None else None
    if status not in NEXT.get(state, ()):
        raise Conflict(f"监护人同意当前为「{ZH.get(state, state)}」，不能改为 {status} / consent is "
                       f"{state or 'not requested'}; it cannot become {status!r} (allowed: "
                       f"{', '.join(NEXT.get(state, ())) or 'nothing'})", field="status")
    name = (guardian_name or "").strip() or None
    if status != "requested":
        if via not in VIA:
            raise InvalidInput(f"请说明方式：{' 或 '.join(VIA)} / say how: one of {', '.join(VIA)}", field="via")
        if via == "account":
            if guardian_user_id is None or volunteer_id not in wards_of(session, guardian_user_id):
                raise Forbidden("只有该学生登记的监护人可以用自己的账号答复 / only a guardian linked to this student "
                                "may answer with their own account")
            link = session.scalars(select(GuardianLink).where(GuardianLink.user_id == guardian_user_id,
                                                              GuardianLink.volunteer_id == volunteer_id)).one()
            name = name or link.relationship
        elif not name:
            raise InvalidInput("纸质同意书须填写签字的监护人姓名 / a paper form needs the name of the guardian who "
                               "signed it", field="guardian_name")
    event = ConsentEvent(programme_id=programme.id, volunteer_id=volunteer_id, status=status,
                         via=via if status != "requested" else None,
                         guardian_user_id=guardian_user_id if via == "account" else None,
                         guardian_name=name, recorded_by=actor, note=(note or None), created_at=now or utcnow())
    session.add(event)
    session.flush()
    removed = _off_future_shifts(session, programme, volunteer_id, now or utcnow()) if status == "withdrawn" else []
    return event, removed


def _off_future_shifts(session: Session, programme: LoadedProgramme, volunteer_id: int,
                       now: dt.datetime) -> list[int]:
    """Cancel the student's assignments on shifts not yet started and without a check-in."""
    from engine.stages.design.models import Shift
    from engine.stages.service.models import Assignment, Checkin

    rows = session.scalars(select(Assignment).join(Shift, Shift.id == Assignment.shift_id).where(
        Assignment.programme_id == programme.id, Assignment.volunteer_id == volunteer_id,
        Assignment.status == "assigned", Shift.starts_at > now)).all()
    out = []
    for a in rows:
        if session.scalar(select(Checkin.id).where(Checkin.assignment_id == a.id)) is None:
            a.status = "cancelled"
            out.append(a.id)
    session.flush()
    return out


def on_enrol(session: Session, programme: LoadedProgramme, volunteer: Volunteer, age: int, *, actor: str,
             guardian_name: str | None, given: bool) -> None:
    """Workflow mode: a minor's enrolment opens the consent (given by paper if the form carried it)."""
    if age >= consent_below(programme) or current(session, programme.id, volunteer.id) is not None:
        return
    if given and guardian_name:
        record(session, programme, volunteer.id, "given", actor=actor, via="paper", guardian_name=guardian_name,
               note="登记时提交 / submitted with the enrolment")
    else:
        record(session, programme, volunteer.id, "requested", actor=actor)


def consent_reasons(session: Session, programme: LoadedProgramme, volunteer: Volunteer, age: int) -> list[str]:
    """Workflow mode: why this minor is held (empty once consent is given, or for the age band above)."""
    if age >= consent_below(programme):
        return []
    last = current(session, programme.id, volunteer.id)
    state = last.status if last is not None else None
    if state == "given":
        return []
    if presence_allowed(programme) and state != "refused":
        return []  # checked per activity: consent or a guardian's recorded presence (陪同)
    return [f"待定：未成年人（{age} 岁）的监护人同意{ZH[state]} / pending: a minor (aged {age}) whose guardian's "
            f"consent is {state or 'not requested'} ({ART})"]


def held_notes(session: Session, programme: LoadedProgramme, volunteer: Volunteer, age: int) -> list[str]:
    """What applying tells a minor's coordinator: the pending reason, or — where a guardian's presence
    may stand in — that each activity needs consent or a recorded presence."""
    reasons = consent_reasons(session, programme, volunteer, age)
    if reasons or age >= consent_below(programme) or not presence_allowed(programme):
        return reasons
    last = current(session, programme.id, volunteer.id)
    if last is not None and last.status == "given":
        return []
    return [f"待定：未成年人（{age} 岁）尚无监护人同意，每次活动须监护人陪同并登记 / pending: a minor (aged {age}) "
            f"without a guardian's consent may serve only accompanied by a guardian, recorded for each activity"]


# ---------------------------------------------------------------- presence (陪同) and activity checks


def record_presence(session: Session, programme: LoadedProgramme, shift_id: int, volunteer_id: int, *,
                    guardian_name: str, actor: str) -> GuardianPresence:
    name = (guardian_name or "").strip()
    if not name:
        raise InvalidInput("请填写陪同的监护人姓名 / name the guardian who accompanied", field="guardian_name")
    found = session.scalars(select(GuardianPresence).where(GuardianPresence.shift_id == shift_id,
                                                           GuardianPresence.volunteer_id == volunteer_id)).first()
    if found is not None:
        return found
    row = GuardianPresence(programme_id=programme.id, shift_id=shift_id, volunteer_id=volunteer_id,
                           guardian_name=name, recorded_by=actor)
    session.add(row)
    session.flush()
    return row


def cleared_for_shift(session: Session, programme: LoadedProgramme, volunteer_id: int, shift_id: int,
                      age: int) -> str | None:
    """None when this student may serve on the shift as far as consent goes, else the reason."""
    if age >= consent_below(programme):
        return None
    last = current(session, programme.id, volunteer_id)
    state = last.status if last is not None else None
    if state == "given":
        return None
    if presence_allowed(programme) and state != "refused" and session.scalars(select(GuardianPresence.id).where(
            GuardianPresence.shift_id == shift_id, GuardianPresence.volunteer_id == volunteer_id)).first():
        return None
    return f"监护人同意{ZH[state]} / guardian's consent is {state or 'not requested'}"
