"""招募注册: the real-name registry (seed 003 附件1 §3(二)) through the service functions."""

from __future__ import annotations

import datetime as dt

import pytest
from recruitment_helpers import SAMPLE_X, make_id, minors_programme, person, register, years_ago
from sqlalchemy import func, select

from engine.errors import Conflict, InvalidInput
from engine.stages.recruitment import service
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.stages.recruitment.schemas import VolunteerIn


def _count(eng, model) -> int:  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_published_sample_with_check_character_x_registers(eng, demo):
    reg = register(eng, demo, VolunteerIn(name="样本", id_number=SAMPLE_X.lower(), gender="女",
                                          birth_date=dt.date(1949, 12, 31), phone="+86 138-0013-8000"))
    v = reg.volunteer
    assert (v.id_number, v.gender, v.birth_date, v.phone) == (SAMPLE_X, "female", dt.date(1949, 12, 31), "13800138000")
    assert not reg.existing and reg.enrolment_created and reg.enrolment.source == "coordinator"


def test_gender_and_birth_date_default_to_the_id_number(eng, demo):
    v = register(eng, demo, person(birth=dt.date(1990, 3, 7), seq=5)).volunteer
    assert (v.gender, v.birth_date) == ("male", dt.date(1990, 3, 7))


@pytest.mark.parametrize("id_number, code", [
    ("110105194912310021", "checksum"),   # the sample with a wrong check character
    ("11010519491231002", "length"),
    ("110105194902300021", "birth_date"),  # 30 February
    ("1.10105E+17", "scientific"),
])
def test_invalid_id_numbers_are_refused_naming_the_field(eng, demo, id_number, code):
    with pytest.raises(InvalidInput) as exc:
        register(eng, demo, VolunteerIn(name="甲", id_number=id_number, phone="13800138000"))
    assert exc.value.field == "id_number" and exc.value.details["code"] == code
    assert "身份证号" in exc.value.message and "ID number" in exc.value.message
    assert _count(eng, Volunteer) == 0


def test_gender_inconsistent_with_the_id_number_is_refused(eng, demo):
    with pytest.raises(InvalidInput) as exc:
        register(eng, demo, VolunteerIn(name="甲", id_number=SAMPLE_X, gender="男", phone="13800138000"))
    assert exc.value.field == "gender" and "不符" in exc.value.message


def test_birth_date_inconsistent_with_the_id_number_is_refused(eng, demo):
    with pytest.raises(InvalidInput) as exc:
        register(eng, demo, VolunteerIn(name="甲", id_number=SAMPLE_X, birth_date=dt.date(1949, 12, 30),
                                        phone="13800138000"))
    assert exc.value.field == "birth_date" and "1949-12-31" in exc.value.message


def test_landline_is_refused(eng, demo):
    with pytest.raises(InvalidInput) as exc:
        register(eng, demo, person(phone="0759-3991212"))
    assert exc.value.field == "phone"


def test_registering_twice_finds_the_record_and_reports_differences_without_overwriting(eng, demo):
    first = register(eng, demo, person(name="王五", skills=["急救"], unit="甲街道"))
    again = register(eng, demo, person(name="王五", phone="13900139000", skills=["急救", "翻译"], unit="甲街道"))
    assert again.existing and again.volunteer.id == first.volunteer.id and not again.enrolment_created
    assert {d["field"] for d in again.differences} == {"phone", "skills"}
    phone = next(d for d in again.differences if d["field"] == "phone")
    assert (phone["stored"], phone["submitted"]) == ("13800138000", "13900139000")
    with eng.session() as s:
        v = s.get(Volunteer, first.volunteer.id)
        assert (v.phone, v.skills) == ("13800138000", ["急救"])
    assert _count(eng, Volunteer) == 1 and _count(eng, Enrolment) == 1


def test_same_person_by_legacy_15_digit_number_is_the_same_record(eng, demo):
    first = register(eng, demo, person(birth=dt.date(1970, 1, 2), seq=3))
    legacy = first.volunteer.id_number[:6] + first.volunteer.id_number[8:17]
    again = register(eng, demo, VolunteerIn(name="张三", id_number=legacy, phone="13800138000"))
    assert again.existing and again.volunteer.id == first.volunteer.id


def test_coordinator_can_create_the_volunteers_login(eng, demo):
    reg = register(eng, demo, person(account={"username": "zhang3", "password": "long-enough-1"}), auth=eng.auth)
    assert reg.account_created and reg.volunteer.user_id is not None
    with eng.session() as s:
        user = eng.auth.user(s, "zhang3")
        assert eng.auth.roles(s, user, demo.id) == {"volunteer"}
    with pytest.raises(Conflict):
        register(eng, demo, person(account={"username": "zhang3b", "password": "long-enough-1"}), auth=eng.auth)


def test_self_registration_links_the_login_and_cannot_claim_another_record(eng, demo):
    with eng.session() as s:
        me = eng.auth.create_user(s, "self1", "long-enough-1")
        other = eng.auth.create_user(s, "self2", "long-enough-1")
    reg = register(eng, demo, person(seq=7), self_user=me)
    assert reg.volunteer.user_id == me.id and reg.enrolment.source == "self"
    assert register(eng, demo, person(seq=7), self_user=me).existing
    taken = register(eng, demo, person(seq=7), self_user=other)  # the same person, another login
    assert (taken.pending, taken.volunteer, taken.enrolment) == ("claim", None, None)  # a claim, nothing linked
    with pytest.raises(Conflict):  # my login, another person
        register(eng, demo, person(seq=8), self_user=me)
    by_unit = register(eng, demo, person(name="李四", seq=9))
    wrong_name = register(eng, demo, person(name="冒名", seq=9), self_user=other)
    right_name = register(eng, demo, person(name="李四", seq=9), self_user=other)
    assert wrong_name.pending == right_name.pending == "claim"  # the same answer: nothing told, nothing linked
    with eng.session() as s:
        from engine.stages.recruitment.models import Volunteer
        assert s.get(Volunteer, by_unit.volunteer.id).user_id is None


def test_minor_in_programme_admitting_minors_needs_guardian_consent_and_name(eng):
    prog = minors_programme(eng)
    birth = years_ago(16)
    with pytest.raises(InvalidInput) as exc:
        register(eng, prog, person(birth=birth))
    assert exc.value.field == "guardian_consent" and "第十五条" in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        register(eng, prog, person(birth=birth, guardian_consent=True))
    assert exc.value.field == "guardian_name"
    reg = register(eng, prog, person(birth=birth, guardian_consent=True, guardian_name="张父"))
    assert reg.enrolment.guardian_consent and reg.enrolment.guardian_name == "张父"


def test_minor_in_adult_programme_is_enrolled_with_a_warning(eng, demo):
    reg = register(eng, demo, person(birth=years_ago(17)))
    assert reg.enrolment_created and "不接收未成年人" in reg.warnings[0]


def test_enrolling_a_registered_person_in_a_second_programme(eng, demo):
    other = minors_programme(eng)
    first = register(eng, demo, person())
    reg = register(eng, other, person())
    assert reg.existing and reg.enrolment_created and reg.enrolment.programme_id == other.id
    with eng.session() as s:
        rows, total = service.list_volunteers(s, other.id)
        assert total == 1 and rows[0].id == first.volunteer.id


def test_search_by_name_unit_and_skill(eng, demo):
    register(eng, demo, person(name="王小明", seq=1, unit="莘庄镇综治办", skills=["急救", "摄影"]))
    register(eng, demo, person(name="李%华", seq=2, unit="物业公司", skills=["翻译"]))
    with eng.session() as s:
        def names(**kw):  # type: ignore[no-untyped-def]
            return [v.name for v in service.list_volunteers(s, demo.id, **kw)[0]]
        assert names(q="小明") == ["王小明"]
        assert names(q="%") == ["李%华"]  # wildcards are literal
        assert names(unit="综治") == ["王小明"]
        assert names(skill="急救") == ["王小明"]
        assert names(skill="急") == []  # whole items only
        assert names(skill="翻译", unit="物业") == ["李%华"]


def test_id_number_gives_age_on_the_birthday(eng, demo):
    born = dt.date(2008, 5, 1)
    v = register(eng, demo, VolunteerIn(name="甲", id_number=make_id(born), phone="13800138000")).volunteer
    from engine.stages.recruitment.eligibility import age_on
    assert age_on(v.birth_date, dt.date(2026, 4, 30)) == 17
    assert age_on(v.birth_date, dt.date(2026, 5, 1)) == 18
