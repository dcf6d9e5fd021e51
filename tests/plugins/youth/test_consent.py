"""Guardian consent as a workflow (engine/stages/recruitment/consent.py) in a youth programme."""

from __future__ import annotations

import datetime as dt

import pytest
from youth_helpers import School, idno, local

from engine.errors import Conflict, Forbidden, InvalidInput
from engine.stages.service import roster
from engine.testing import create_users


def test_a_minor_without_consent_is_enrolled_and_held_pending_not_refused(national: School) -> None:
    school = national
    vid = school.student("李小明", dt.date(2011, 4, 2))
    post = school.post()
    (app_id, state), notes = school.apply(vid, post)
    assert state == "applied"
    assert any("待定" in n and "requested" in n for n in notes), notes
    res = school.fire_application(app_id, "screen")
    assert not res.ok and any("consent is requested" in r for r in res.reasons), res.reasons


def test_a_linked_guardian_consents_with_their_own_account_and_the_application_moves_on(national: School) -> None:
    school = national
    ids = create_users(school.eng, school.pid, {"mum": "guardian", "other_parent": "guardian"})
    school = national
    vid = school.student("李小明", dt.date(2011, 4, 2))
    post = school.post()
    (app_id, _), _ = school.apply(vid, post)
    with school.eng.session() as s:
        ctx = school.ctx(s)
        ctx.link_guardian(vid, ids["mum"], relationship="母亲")
        with pytest.raises(Forbidden):  # a guardian of someone else (or nobody) cannot answer for this child
            ctx.acting_as("other_parent", ["guardian"]).record_consent(vid, "given", via="account",
                                                                       guardian_user_id=ids["other_parent"])
    with school.eng.session() as s:
        ev, _ = school.ctx(s, "mum", ("guardian",)).record_consent(vid, "given", via="account",
                                                                   guardian_user_id=ids["mum"])
        assert (ev.status, ev.via, ev.guardian_name, ev.recorded_by) == ("given", "account", "母亲", "mum")
    assert school.fire_application(app_id, "screen").ok


def test_a_paper_form_needs_the_signers_name_and_keeps_who_recorded_it(national: School) -> None:
    school = national
    vid = school.student("王芳", dt.date(2012, 1, 9))
    with school.eng.session() as s:
        ctx = school.ctx(s, "teacher_wu", ("instructor",))
        with pytest.raises(InvalidInput) as err:
            ctx.record_consent(vid, "given", via="paper")
        assert err.value.field == "guardian_name"
        _ev, _ = ctx.record_consent(vid, "given", via="paper", guardian_name="王建国")
    with school.eng.session() as s:
        hist = school.ctx(s).consent_history(vid)
    assert [(e.status, e.via, e.guardian_name, e.recorded_by) for e in hist] == [
        ("requested", None, None, "youth"), ("given", "paper", "王建国", "teacher_wu")]


def test_states_follow_the_workflow(national: School) -> None:
    school = national
    vid = school.student("赵强", dt.date(2010, 6, 1))
    with school.eng.session() as s:
        ctx = school.ctx(s)
        ctx.record_consent(vid, "refused", via="paper", guardian_name="赵父")
        with pytest.raises(Conflict):  # refused cannot be withdrawn: nothing was given
            ctx.record_consent(vid, "withdrawn", via="paper", guardian_name="赵父")
        ctx.record_consent(vid, "requested", note="家长会后再次征求 / asked again after the parents' meeting")
        ctx.record_consent(vid, "given", via="paper", guardian_name="赵父")
        with pytest.raises(Conflict):
            ctx.record_consent(vid, "given", via="paper", guardian_name="赵父")
        assert ctx.consent(vid).status == "given"


def test_consent_withdrawn_after_rostering_takes_the_student_off_future_shifts(national: School) -> None:
    school = national
    vid = school.student("陈静", dt.date(2011, 2, 3), paper_consent_by="陈父")
    post = school.post()
    school.admit(vid, post)
    past = school.shift(post, local(2025, 10, 1, 15))   # already served (the clock is 2025-10-08)
    later = school.shift(post, local(2025, 10, 15, 15))
    school.seat(past, vid)
    a_later = school.assign(later, vid)
    with school.eng.session() as s:
        _ev, removed = school.ctx(s).record_consent(vid, "withdrawn", via="paper", guardian_name="陈父",
                                                    note="家长撤回 / the parent withdrew")
    assert removed == [a_later]
    assert school.assignment_status(a_later) == "cancelled"
    with school.eng.session() as s:  # rostering again is refused with the reason
        prog = school.eng.programme(school.pid, s)
        vol = roster.get_volunteer(s, vid, programme_id=school.pid)
        shift = roster.get_shift(s, prog, later)
        reasons = roster.assignment_refusals(s, prog, school.eng.host, vol, shift)
    assert any("withdrawn" in r for r in reasons), reasons


def test_adults_need_no_consent(national: School) -> None:
    school = national
    vid = school.adult("周老师")
    post = school.post()
    (app_id, _), notes = school.apply(vid, post)
    assert notes == []
    assert school.fire_application(app_id, "screen").ok
    with school.eng.session() as s:
        assert school.ctx(s).consent(vid) is None


def test_a_minor_enrolling_themselves_cannot_vouch_for_the_guardian(national: School) -> None:
    from engine.stages.recruitment.service import enrol
    from engine.stages.service.roster import get_volunteer

    with national.eng.session() as s:
        ctx = national.ctx(s)
        v = ctx.register_person("自报名", idno(dt.date(2011, 9, 9)))
        prog = national.eng.programme(national.pid, s)
        enrol(s, prog, get_volunteer(s, v.id), source="self", guardian_consent=True, guardian_name="我妈")
        assert ctx.consent(v.id).status == "requested"


def test_linked_guardians_are_asked_once_per_request(national: School) -> None:
    from sqlalchemy import select

    from engine.notify.models import Notification
    from plugins.youth import people

    ids = create_users(national.eng, national.pid, {"mum": "guardian", "dad": "guardian"})
    with national.eng.session() as s:
        ctx = national.ctx(s)
        row, held = people.register_student(ctx, name="郑小", id_number=idno(dt.date(2012, 2, 2)), school="示例中学",
                                            grade="初一", class_name="2班", guardian_username="mum", relationship="母亲")
        ctx.link_guardian(row.volunteer_id, ids["dad"], relationship="父亲")
        assert people.ask_guardians(ctx, row.volunteer_id) == 1       # mum was asked at registration
        assert people.ask_guardians(ctx, row.volunteer_id) == 0       # once per request
        sent = s.scalars(select(Notification.to_user_id).where(Notification.template == "youth.consent_requested")).all()
    assert held and sorted(set(sent)) == sorted(ids.values())
