"""Applications through the ``application`` workflow: eligibility on applying, the agreement guard."""

from __future__ import annotations

import datetime as dt

import pytest
from recruitment_helpers import add_post, local_today, minors_programme, person, register, years_ago
from sqlalchemy import select

from engine.errors import Conflict, Forbidden, InvalidInput, WrongState
from engine.stages.recruitment import applications as apps
from engine.stages.recruitment.applications import NotEligible
from engine.stages.recruitment.models import Application, Volunteer
from engine.store.models import TransitionLog

STAFF = frozenset({"coordinator"})


def _apply(eng, programme, volunteer_id, post_id):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        vol = s.get(Volunteer, volunteer_id)
        app, inst, reminders = apps.apply(s, programme, eng.host, vol, post_id, actor="coord1")
        return app.id, inst.state, reminders


def _fire(eng, programme, app_id, trigger, roles=STAFF, own=False):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        app = s.get(Application, app_id)
        return apps.fire(s, programme, eng.host, app, trigger, actor="coord1", roles=roles, own=own)


def _agree_on(eng, programme, app_id, **kw):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        app = s.get(Application, app_id)
        return apps.record_agreement(s, programme, app, actor="coord1", **kw)


def test_full_flow_applied_to_active_with_the_agreement_guard(eng, demo, post_id):
    vid = register(eng, demo, person()).volunteer.id
    app_id, state, _ = _apply(eng, demo, vid, post_id)
    assert state == "applied"
    for trigger, to in (("screen", "screened"), ("interview", "interviewed"), ("offer", "offered")):
        result = _fire(eng, demo, app_id, trigger)
        assert result.ok and result.instance.state == to
    refused = _fire(eng, demo, app_id, "agree")
    assert not refused.ok and "志愿服务协议书" in refused.reasons[0]
    with eng.session() as s:  # the refusal is logged
        assert s.scalars(select(TransitionLog.outcome).where(TransitionLog.trigger == "agree")).all() == ["refused"]
    agreement = _agree_on(eng, demo, app_id, signed_on=local_today() - dt.timedelta(days=1))
    assert agreement.volunteer_id == vid and agreement.title == "志愿服务协议书"
    assert _fire(eng, demo, app_id, "agree", roles=frozenset({"volunteer"}), own=True).instance.state == "agreed"
    assert _fire(eng, demo, app_id, "activate").instance.state == "active"
    with pytest.raises(WrongState):
        _fire(eng, demo, app_id, "offer")


def test_volunteer_role_acts_only_on_own_application(eng, demo, post_id):
    vid = register(eng, demo, person()).volunteer.id
    app_id, _, _ = _apply(eng, demo, vid, post_id)
    with pytest.raises(Forbidden):
        _fire(eng, demo, app_id, "withdraw", roles=frozenset({"volunteer"}), own=False)
    with pytest.raises(Forbidden):  # the YAML gives screening to admin and coordinator only
        _fire(eng, demo, app_id, "screen", roles=frozenset({"volunteer"}), own=True)
    assert _fire(eng, demo, app_id, "withdraw", roles=frozenset({"volunteer"}), own=True).instance.state == "withdrawn"


def test_team_leader_may_interview_but_not_screen(eng, demo, post_id):
    vid = register(eng, demo, person()).volunteer.id
    app_id, _, _ = _apply(eng, demo, vid, post_id)
    with pytest.raises(Forbidden):
        _fire(eng, demo, app_id, "screen", roles=frozenset({"team_leader"}))
    _fire(eng, demo, app_id, "screen")
    assert _fire(eng, demo, app_id, "interview", roles=frozenset({"team_leader"})).instance.state == "interviewed"


def test_aged_17_refused_when_minimum_is_18(eng, demo, post_id):
    vid = register(eng, demo, person(birth=years_ago(18, days=1))).volunteer.id  # 18 tomorrow
    with pytest.raises(NotEligible) as exc:
        _apply(eng, demo, vid, post_id)
    assert exc.value.http_status == 422 and exc.value.field == "post_id"
    assert "17" in exc.value.reasons[0] and "第十五条" in exc.value.reasons[0]
    with eng.session() as s:
        assert s.scalars(select(Application)).all() == []


def test_eighteenth_birthday_is_eligible(eng, demo, post_id):
    vid = register(eng, demo, person(birth=years_ago(18))).volunteer.id
    assert _apply(eng, demo, vid, post_id)[1] == "applied"


def test_minor_with_guardian_consent_is_eligible_where_minors_are_admitted(eng):
    prog = minors_programme(eng)
    post = add_post(eng, prog.id)
    vid = register(eng, prog, person(birth=years_ago(17), guardian_consent=True, guardian_name="张父")).volunteer.id
    app_id, state, _ = _apply(eng, prog, vid, post)
    assert state == "applied"
    for trigger in ("screen", "offer"):
        _fire(eng, prog, app_id, trigger)
    with pytest.raises(InvalidInput) as exc:  # a minor's agreement is signed by the guardian
        _agree_on(eng, prog, app_id, signed_on=local_today())
    assert exc.value.field == "guardian_name"
    assert _agree_on(eng, prog, app_id, signed_on=local_today(), guardian_name="张父").guardian_name == "张父"


def test_minor_without_consent_refused_and_floor_below_18_applies(eng):
    prog = minors_programme(eng, min_age=14)
    post = add_post(eng, prog.id)
    with eng.session() as s:  # enrolled before this rule, or consent withdrawn: no consent on record
        v = Volunteer(name="乙", gender="male", birth_date=years_ago(15), id_number=person(birth=years_ago(15)).id_number)
        s.add(v)
        s.flush()
        from engine.stages.recruitment.models import Enrolment
        s.add(Enrolment(programme_id=prog.id, volunteer_id=v.id, source="coordinator"))
        vid = v.id
    with pytest.raises(NotEligible) as exc:
        _apply(eng, prog, vid, post)
    assert any("监护人同意" in r for r in exc.value.reasons)
    young = register(eng, prog, person(seq=2, birth=years_ago(13), guardian_consent=True, guardian_name="母")).volunteer
    with pytest.raises(NotEligible) as exc:
        _apply(eng, prog, young.id, post)
    assert "14" in exc.value.reasons[0]


def test_post_requirements_each_give_a_reason(eng, demo):
    post = add_post(eng, demo.id, name="外语导览", min_age=20, skills=["急救"], languages=["英语"],
                    qualifications=["导游证"])
    vid = register(eng, demo, person(birth=years_ago(19), skills=["摄影"])).volunteer.id
    with pytest.raises(NotEligible) as exc:
        _apply(eng, demo, vid, post)
    text = " ".join(exc.value.reasons)
    assert len(exc.value.reasons) == 4
    for word in ("至少 20 岁", "急救", "英语", "导游证"):
        assert word in text


def test_required_courses_are_a_reminder_not_a_refusal(eng, demo):
    post = add_post(eng, demo.id, required_courses=["FA1"])
    vid = register(eng, demo, person()).volunteer.id
    _, state, reminders = _apply(eng, demo, vid, post)
    assert state == "applied" and "FA1" in reminders[0]


def test_applying_twice_or_unenrolled_is_refused(eng, demo, post_id):
    vid = register(eng, demo, person()).volunteer.id
    _apply(eng, demo, vid, post_id)
    with pytest.raises(Conflict):
        _apply(eng, demo, vid, post_id)
    other = minors_programme(eng)
    stranger = register(eng, other, person(seq=4)).volunteer.id
    with pytest.raises(InvalidInput) as exc:
        _apply(eng, demo, stranger, post_id)
    assert exc.value.field == "volunteer_id"


def test_agreement_only_after_offer_once_and_not_in_future(eng, demo, post_id):
    vid = register(eng, demo, person()).volunteer.id
    app_id, _, _ = _apply(eng, demo, vid, post_id)
    with pytest.raises(Conflict):
        _agree_on(eng, demo, app_id, signed_on=local_today())
    _fire(eng, demo, app_id, "screen")
    _fire(eng, demo, app_id, "offer")
    with pytest.raises(InvalidInput):
        _agree_on(eng, demo, app_id, signed_on=local_today() + dt.timedelta(days=2))
    _agree_on(eng, demo, app_id, signed_on=local_today())
    with pytest.raises(Conflict):
        _agree_on(eng, demo, app_id, signed_on=local_today())


def test_list_by_post_and_state(eng, demo, post_id):
    other_post = add_post(eng, demo.id, name="秩序 Order")
    a = register(eng, demo, person(seq=1)).volunteer.id
    b = register(eng, demo, person(seq=2)).volunteer.id
    first, _, _ = _apply(eng, demo, a, post_id)
    _apply(eng, demo, b, post_id)
    _apply(eng, demo, a, other_post)
    _fire(eng, demo, first, "screen")
    with eng.session() as s:
        rows, total = apps.list_applications(s, demo.id, post_id=post_id)
        assert total == 2
        rows, total = apps.list_applications(s, demo.id, state="screened")
        assert [(r.id, st) for r, st in rows] == [(first, "screened")]
        assert apps.list_applications(s, demo.id, volunteer_id=a)[1] == 2
