"""Legal-aid volunteers: their profile on top of the engine's registry, duties signed, interests declared.

A profile reuses the engine's :class:`~engine.stages.recruitment.models.Volunteer` (one person across
programmes, identified by the resident ID number) and enrols them in the programme. Every profile also
gets a ``self`` declaration in the conflict index, so a case in which the volunteer is a party is found.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound
from engine.people import IdNumberError, PhoneError, normalise_mobile, parse_id_number
from engine.programme import LoadedProgramme
from engine.stages.recruitment.models import Enrolment, Volunteer, id_number_index
from engine.store.models import User

from .cases import rules_of
from .conflict_rules import DeclarationKind
from .conflicts import index_declaration
from .models import InterestDeclaration
from .models import LegalVolunteerProfile as Profile
from .qualifications import today_in
from .rules import VolunteerKind
from .schemas import AgreementsIn, DeclarationIn, ProfileIn, ProfileUpdate

__all__ = ["add_declaration", "create_profile", "record_agreements", "update_profile"]


def _volunteer(session: Session, data: ProfileIn) -> Volunteer:
    if data.volunteer_id is not None:
        vol = session.get(Volunteer, data.volunteer_id)
        if vol is None:
            raise NotFound(f"志愿者登记中没有 {data.volunteer_id} / no volunteer {data.volunteer_id}", field="volunteer_id")
        return vol
    if data.person is None:
        raise InvalidInput("请给出 volunteer_id 或 person（姓名、身份证号）/ give volunteer_id or person", field="person")
    try:
        idn = parse_id_number(data.person.id_number)
    except IdNumberError as exc:
        raise InvalidInput(f"身份证号无效：{exc.zh} / invalid ID number: {exc.en}", field="person.id_number") from exc
    try:
        phone = normalise_mobile(data.person.phone) if data.person.phone else None
    except PhoneError as exc:
        raise InvalidInput(f"手机号无效 / invalid phone: {exc}", field="person.phone") from exc
    vol = session.scalars(select(Volunteer).where(Volunteer.id_number_index == id_number_index(idn.number))).first()
    if vol is None:
        vol = Volunteer(name=data.person.name.strip(), gender=idn.gender, birth_date=idn.birth_date,
                        id_number=idn.number, phone=phone)
        session.add(vol)
        session.flush()
    return vol


def _check(programme: LoadedProgramme, kind: VolunteerKind, expertise: list[str], licence: tuple[object, ...]) -> None:
    unknown = [e for e in expertise if e not in rules_of(programme).case_types]
    if unknown:
        raise InvalidInput(f"未知的专长（案件类型）/ unknown expertise (case types): {', '.join(unknown)}",
                           field="expertise")
    if kind == VolunteerKind.LAWYER and not all(licence):
        raise InvalidInput("律师须登记执业证号、发证机关和有效期 / a lawyer needs licence_no, issuing_body and "
                           "licence_valid_until (《律师法》第五条)", field="licence_no")


def create_profile(session: Session, programme: LoadedProgramme, data: ProfileIn, *, actor: str) -> Profile:
    _check(programme, data.kind, data.expertise, (data.licence_no, data.issuing_body, data.licence_valid_until))
    vol = _volunteer(session, data)
    if data.username:
        user = session.scalars(select(User).where(User.username == data.username)).first()
        if user is None:
            raise NotFound(f"没有用户 / no user {data.username!r}", field="username")
        if vol.user_id not in (None, user.id):
            raise Conflict("该志愿者已关联其他账号 / the volunteer is linked to another account", field="username")
        vol.user_id = user.id
    if session.scalars(select(Profile).where(Profile.programme_id == programme.id,
                                             Profile.volunteer_id == vol.id)).first() is not None:
        raise Conflict(f"{vol.name} 已登记为本项目法律援助志愿者 / already registered in this programme",
                       field="volunteer_id")
    if session.scalars(select(Enrolment).where(Enrolment.programme_id == programme.id,
                                               Enrolment.volunteer_id == vol.id)).first() is None:
        session.add(Enrolment(programme_id=programme.id, volunteer_id=vol.id, source="legal_aid"))
    prof = Profile(programme_id=programme.id, volunteer_id=vol.id, created_by=actor,
                   **data.model_dump(exclude={"volunteer_id", "person", "username"}))
    session.add(prof)
    session.flush()
    me = InterestDeclaration(programme_id=programme.id, profile_id=prof.id, kind=DeclarationKind.SELF.value,
                             party_kind="person", name=vol.name, aliases=[], id_number=vol.id_number,
                             relation="本人", declared_on=today_in(programme), created_by=actor)
    session.add(me)
    session.flush()
    index_declaration(session, me)
    return prof


def update_profile(session: Session, programme: LoadedProgramme, prof: Profile, data: ProfileUpdate) -> Profile:
    values = data.model_dump(exclude_unset=True)
    for key, value in values.items():
        setattr(prof, key, value)
    _check(programme, VolunteerKind(prof.kind), prof.expertise or [],
           (prof.licence_no, prof.issuing_body, prof.licence_valid_until))
    return prof


def record_agreements(session: Session, programme: LoadedProgramme, prof: Profile, data: AgreementsIn) -> Profile:
    """The confidentiality agreement (《法律援助法》第二十一条) and no-payment declaration (第二十条)."""
    today = today_in(programme)
    for key in ("confidentiality_signed_on", "no_payment_signed_on"):
        value = getattr(data, key)
        if value is not None:
            if value > today:
                raise InvalidInput(f"签署日期晚于今天 / {key} is in the future", field=key)
            setattr(prof, key, value)
    return prof


def add_declaration(session: Session, programme: LoadedProgramme, prof: Profile, data: DeclarationIn, *,
                    actor: str) -> InterestDeclaration:
    """Declare an interest; it is indexed at once, so the next conflict check finds it."""
    if data.kind == DeclarationKind.SELF:
        raise InvalidInput("本人申报由系统自动生成 / the 'self' declaration is written automatically", field="kind")
    if data.kind == DeclarationKind.FORMER_CLIENT and data.ended_on is None:
        raise InvalidInput("原委托人须写明委托关系终止日期 ended_on（规范第五十二条第五项：一年内）/ a former client needs "
                           "ended_on", field="ended_on")
    idn = data.id_number.strip().upper() if data.id_number and data.id_number.strip() else None
    if idn and data.party_kind == "person":
        try:
            idn = parse_id_number(idn).number
        except IdNumberError as exc:
            raise InvalidInput(f"身份证号无效：{exc.zh} / invalid ID number: {exc.en}", field="id_number") from exc
    row = InterestDeclaration(programme_id=programme.id, profile_id=prof.id, kind=data.kind.value,
                              party_kind=data.party_kind, name=data.name.strip(),
                              aliases=[a.strip() for a in data.aliases if a.strip()], id_number=idn,
                              relation=data.relation, note=data.note, ended_on=data.ended_on,
                              declared_on=today_in(programme), created_by=actor)
    session.add(row)
    session.flush()
    index_declaration(session, row)
    return row
