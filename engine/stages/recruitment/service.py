"""招募注册 The volunteer registry: register (self or by a coordinator), enrol in a programme, find.

A person is one ``Volunteer`` across programmes, identified by the resident ID number: registering
the same number again finds that record and reports which submitted fields differ instead of
overwriting them (the stored data may be the verified one). Enrolment ties the person to one
programme; a minor's needs guardian consent and the guardian's name where the programme admits
minors (003 附件4 第二条, 志愿服务条例 第十五条).

Services run in the caller's transaction and never commit; refusals raise ``engine.errors``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from engine import timeutil
from engine.auth.service import AuthService
from engine.errors import Conflict, InvalidInput
from engine.people import mask_phone
from engine.programme import LoadedProgramme
from engine.stages.recruitment.claims import start_claim
from engine.stages.recruitment.eligibility import ADULT_AGE, ART15, age_on
from engine.stages.recruitment.models import Enrolment, Volunteer, id_number_index
from engine.stages.recruitment.people import check_identity, clean_list
from engine.stages.recruitment.schemas import VolunteerIn
from engine.stages.recruitment.visibility import not_found, visible_to_organisation, visible_volunteer
from engine.stages.rewards import referral
from engine.store.base import utcnow
from engine.store.models import User

COMPARED = ("name", "phone", "skills", "languages", "qualifications", "availability", "unit")


@dataclass
class Registration:
    """What registering did: the record, whether it existed, what differs, the enrolment."""

    volunteer: Volunteer | None
    existing: bool
    enrolment: Enrolment | None
    enrolment_created: bool
    differences: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    account_created: bool = False
    #: set when nothing was enrolled: the record exists but this organisation may not see it (the
    #: person was invited to join), or a self-registration became a claim that needs a code
    pending: str | None = None
    claim_id: int | None = None


def programme_today(programme: LoadedProgramme) -> dt.date:
    """Today where the programme runs (ages and expiries are counted in local days)."""
    return timeutil.today(programme.config.tz)


def find_by_id_number(session: Session, id_number: str) -> Volunteer | None:
    return session.scalars(select(Volunteer).where(
        Volunteer.id_number_index == id_number_index(id_number))).one_or_none()


def own_volunteer(session: Session, user_id: int) -> Volunteer | None:
    """The registry record linked to a login, if any."""
    return session.scalars(select(Volunteer).where(Volunteer.user_id == user_id)).one_or_none()


def register_volunteer(session: Session, programme: LoadedProgramme, data: VolunteerIn, *, actor: str,
                       self_user: User | None = None, auth: AuthService | None = None,
                       on: dt.date | None = None) -> Registration:
    """Register a person and enrol them in ``programme``.

    ``self_user``: the logged-in volunteer registering themselves (the record is linked to their
    login). Otherwise a coordinator registers someone, optionally creating their login
    (``data.account``). Every check runs before anything is written.
    """
    today = on or programme_today(programme)
    ident = check_identity(data.id_number, gender=data.gender, birth_date=data.birth_date, phone=data.phone,
                           today=today)
    existing = find_by_id_number(session, ident.id_number)
    if self_user is not None:
        _check_self(session, existing, data, self_user)
        if existing is not None and existing.user_id != self_user.id:
            claim = start_claim(session, programme, self_user, existing, data.name, data.node)
            return Registration(None, False, None, False, pending="claim", claim_id=claim.id)
    elif existing is not None and visible_to_organisation(session, programme, existing.id) is None:
        _invite(session, programme, existing)
        return Registration(None, False, None, False, pending="invited")
    elif data.account is not None:
        _check_account(session, existing, data.account.username)
    minor = age_on(ident.birth_date, today) < ADULT_AGE
    _check_guardian(programme, minor, data.guardian_consent, data.guardian_name)
    if data.referred_by is not None:
        referral.check_referrer(session, programme, existing.id if existing else None, data.referred_by)

    if existing is not None:
        vol, differences = existing, differences_from(existing, data, ident.phone)
    else:
        vol, differences = _new_volunteer(data, ident.id_number, ident.gender, ident.birth_date, ident.phone), []
        session.add(vol)
        session.flush()
    account_created = False
    if self_user is not None and vol.user_id is None:
        vol.user_id = self_user.id
    elif data.account is not None:
        auth = auth or AuthService()
        user = auth.create_user(session, data.account.username, data.account.password, display_name=vol.name)
        auth.grant(session, user, programme.id, "volunteer", known_roles=set(programme.config.roles))
        vol.user_id, account_created = user.id, True
    source = "self" if self_user is not None else "coordinator"
    enrolment, created, warnings = enrol(session, programme, vol, source=source, node=data.node,
                                         guardian_consent=data.guardian_consent, guardian_name=data.guardian_name,
                                         on=today, guardian_relationship=data.guardian_relationship,
                                         guardian_phone=data.guardian_phone, referred_by=data.referred_by, actor=actor)
    if data.consent and enrolment.consent_at is None:
        enrolment.consent_at = utcnow()
    session.flush()
    return Registration(vol, existing is not None, enrolment, created, differences, warnings, account_created)


def _check_self(session: Session, existing: Volunteer | None, data: VolunteerIn, user: User) -> None:
    """A login belongs to one person and may not take over someone else's record."""
    if data.account is not None:
        raise InvalidInput("自行注册不能再创建账号 / self-registration cannot create another account", field="account")
    mine = own_volunteer(session, user.id)
    if mine is not None and (existing is None or existing.id != mine.id):
        raise Conflict("你的账号已登记为另一身份证号的志愿者 / your login is already registered as a volunteer with "
                       "another ID number; ask a coordinator to correct it", field="id_number")
    # Anyone else's record (login-less or not, same name or not) becomes a claim: claims.py.


def _invite(session: Session, programme: LoadedProgramme, vol: Volunteer) -> None:
    """Tell the person that this programme wants them; they join by their own action."""
    from engine.notify.outbox import enqueue

    enqueue(session, programme_id=programme.id, template="recruitment.invitation",
            key=f"invitation:{programme.id}:{vol.id}", data={}, to_volunteer_id=vol.id)


def _check_account(session: Session, existing: Volunteer | None, username: str) -> None:
    if existing is not None and existing.user_id is not None:
        raise Conflict("此人已有登录账号，未再创建 / this person already has a login; no account was created",
                       field="account", volunteer_id=existing.id)
    if session.scalars(select(User.id).where(User.username == username.strip())).first() is not None:
        raise InvalidInput(f"用户名已存在 / username {username!r} is taken", field="account.username")


def _check_guardian(programme: LoadedProgramme, minor: bool, consent: bool, guardian: str | None) -> None:
    from engine.stages.recruitment.consent import workflow_mode  # --- added for youth (issue 13)

    if workflow_mode(programme):
        return  # the minor is enrolled and held as pending until a guardian consents (consent.py)
    if minor and programme.config.recruitment.minors_allowed and not (consent and guardian):
        raise InvalidInput(f"未成年人登记需监护人同意并填写监护人姓名 / a minor's enrolment needs the guardian's "
                           f"consent and name ({ART15})", field="guardian_consent" if not consent else "guardian_name")


def _new_volunteer(data: VolunteerIn, id_number: str, gender: str, birth: dt.date, phone: str | None) -> Volunteer:
    return Volunteer(name=data.name, gender=gender, birth_date=birth, id_number=id_number, phone=phone,
                     skills=clean_list(data.skills), languages=clean_list(data.languages),
                     qualifications=clean_list(data.qualifications), availability=data.availability,
                     unit=data.unit)


def differences_from(v: Volunteer, data: VolunteerIn, phone: str | None) -> list[dict[str, Any]]:
    """Submitted fields that differ from the stored record (stored values are kept).

    Lists compare as sets (order carries no meaning); fields not submitted are not compared.
    """
    submitted: dict[str, Any] = {"name": data.name, "phone": phone, "skills": clean_list(data.skills),
                                 "languages": clean_list(data.languages),
                                 "qualifications": clean_list(data.qualifications),
                                 "availability": data.availability, "unit": data.unit}
    out = []
    for name in COMPARED:
        new, old = submitted[name], getattr(v, name)
        if new in (None, []):
            continue
        same = set(new) == set(old or []) if isinstance(new, list) else new == old
        if not same:
            out.append({"field": name, "stored": old, "submitted": new})
    return out


def mask_differences(diffs: list[dict[str, Any]], *, reveal: bool) -> list[dict[str, Any]]:
    if reveal:
        return diffs
    return [{**d, "stored": mask_phone(d["stored"] or ""), "submitted": mask_phone(d["submitted"])}
            if d["field"] == "phone" else d for d in diffs]


def enrol(session: Session, programme: LoadedProgramme, volunteer: Volunteer, *, source: str,
          node: str | None = None, guardian_consent: bool = False, guardian_name: str | None = None,
          on: dt.date | None = None, guardian_relationship: str | None = None,
          guardian_phone: str | None = None, referred_by: int | None = None,
          actor: str | None = None) -> tuple[Enrolment, bool, list[str]]:
    """Enrol ``volunteer`` (idempotent): returns the enrolment, whether it is new, and warnings.

    An existing enrolment is not changed, except that a guardian's consent missing from it is
    recorded (filling a gap, not overwriting). ``referred_by`` (the recommender) is kept on a new
    enrolment and may earn them referral points (:mod:`engine.stages.rewards.referral`).
    """
    today = on or programme_today(programme)
    if referred_by is not None:
        referral.check_referrer(session, programme, volunteer.id, referred_by)
    age = age_on(volunteer.birth_date, today)
    rec = programme.config.recruitment
    if age < ADULT_AGE:
        _check_guardian(programme, True, guardian_consent, guardian_name)
    warnings = []
    if age < ADULT_AGE and not rec.minors_allowed:
        warnings.append(f"{volunteer.name} 未满 18 岁（{age} 岁），本项目不接收未成年人，报名岗位将被拒绝 / "
                        f"{volunteer.name} is a minor (aged {age}) and this programme does not admit minors: "
                        f"applications will be refused ({ART15})")
    found = session.scalars(select(Enrolment).where(
        Enrolment.programme_id == programme.id, Enrolment.volunteer_id == volunteer.id)).one_or_none()
    from engine.stages.recruitment import consent  # --- added for youth (issue 13)

    if consent.workflow_mode(programme) and rec.minors_allowed and age < ADULT_AGE:
        row = found
        if row is None:
            row = Enrolment(programme_id=programme.id, volunteer_id=volunteer.id, source=source, node=node,
                            guardian_consent=False, enrolled_at=utcnow(), referred_by=referred_by)
            session.add(row)
            session.flush()
            referral.on_enrolment(session, programme, row, actor=actor or source)
        # a minor registering themselves cannot vouch for their guardian: that stays a request
        consent.on_enrol(session, programme, volunteer, age, actor=source, guardian_name=guardian_name,
                         given=guardian_consent and source != "self")
        reasons = consent.consent_reasons(session, programme, volunteer, age)
        return row, found is None, warnings + reasons
    if found is not None:
        if guardian_consent and guardian_name and not found.guardian_consent:
            found.guardian_consent, found.guardian_name = True, guardian_name
            found.guardian_relationship, found.guardian_phone = guardian_relationship, guardian_phone
            found.guardian_consent_at = utcnow()
        return found, False, warnings
    given = guardian_consent and bool(guardian_name)
    row = Enrolment(programme_id=programme.id, volunteer_id=volunteer.id, source=source, node=node,
                    guardian_consent=guardian_consent, guardian_name=guardian_name, enrolled_at=utcnow(),
                    guardian_relationship=guardian_relationship if given else None,
                    guardian_phone=guardian_phone if given else None, guardian_consent_at=utcnow() if given else None,
                    referred_by=referred_by)
    session.add(row)
    session.flush()
    referral.on_enrolment(session, programme, row, actor=actor or source)
    return row, True, warnings


def enrolled_volunteer(session: Session, programme_id: str, volunteer_id: int) -> Volunteer:
    """The volunteer, if enrolled in the programme; otherwise 404 (``visibility.visible_volunteer``)."""
    return visible_volunteer(session, programme_id, volunteer_id)


def list_volunteers(session: Session, programme_id: str, *, q: str | None = None, unit: str | None = None,
                    skill: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[Volunteer], int]:
    """Volunteers enrolled in the programme, searched by name, unit (substring) and skill (exact item).

    Skills are a JSON list: matched as the JSON text of the item, which is the same on SQLite and
    PostgreSQL because both store what ``json.dumps`` wrote.
    """
    import json

    cond = [Enrolment.programme_id == programme_id]
    if q:
        cond.append(Volunteer.name.contains(q, autoescape=True))
    if unit:
        cond.append(Volunteer.unit.contains(unit, autoescape=True))
    if skill:
        cond.append(cast(Volunteer.skills, String).contains(json.dumps(skill.strip()), autoescape=True))
    base = select(Volunteer).join(Enrolment, Enrolment.volunteer_id == Volunteer.id).where(*cond)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = list(session.scalars(base.order_by(Volunteer.id).limit(limit).offset(offset)))
    return rows, total


def enrolment_of(session: Session, programme_id: str, volunteer_id: int) -> Enrolment | None:
    return session.scalars(select(Enrolment).where(
        Enrolment.programme_id == programme_id, Enrolment.volunteer_id == volunteer_id)).one_or_none()


def list_enrolments(session: Session, programme_id: str, *, source: str | None = None, node: str | None = None,
                    limit: int = 100, offset: int = 0) -> tuple[list[tuple[Enrolment, Volunteer]], int]:
    cond = [Enrolment.programme_id == programme_id]
    if source:
        cond.append(Enrolment.source == source)
    if node:
        cond.append(Enrolment.node == node)
    total = session.scalar(select(func.count()).select_from(Enrolment).where(*cond)) or 0
    rows = session.execute(select(Enrolment, Volunteer).join(Volunteer, Volunteer.id == Enrolment.volunteer_id)
                           .where(*cond).order_by(Enrolment.id).limit(limit).offset(offset)).all()
    return list(rows), total


def organisation_volunteer(session: Session, programme: LoadedProgramme, volunteer_id: int) -> Volunteer:
    """Someone who joined a programme of this organisation (to enrol them here); 404 for anyone else."""
    vol = visible_to_organisation(session, programme, volunteer_id)
    if vol is None:
        raise not_found(programme.id, volunteer_id)
    return vol
