"""组织培训 through the service functions: expiry to the day, derived completions, yearly hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from recruitment_helpers import person, register

from engine.errors import Conflict, InvalidInput
from engine.stages.training import service
from engine.stages.training.checks import missing_courses
from engine.stages.training.schemas import CourseIn, SessionIn


def course(eng, prog, code="FA", hours="8", valid_days=730, tier="intermediate"):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return service.create_course(s, prog, CourseIn(code=code, title="应急救护 First aid", tier=tier,
                                                       hours=Decimal(hours), valid_days=valid_days), actor="coord1")


def training(eng, prog, course_id, start: str, end: str, hours=None):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return service.create_session(s, prog, SessionIn(course_id=course_id, starts_at=start, ends_at=end,
                                                         hours=hours), actor="coord1")


def attend(eng, prog, session_id, entries):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return service.record_attendance(s, prog, session_id, entries, actor="coord1")


def missing(eng, prog, vid, codes, on):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return missing_courses(s, prog.id, vid, codes, on)


def complete(eng, prog, course_id, vid, on):  # type: ignore[no-untyped-def]
    with eng.session() as s:
        return service.record_completion(s, prog, course_id, vid, on, actor="coord1")


def test_first_aid_valid_730_days_from_2024_03_01(eng, demo):
    """2024-03-01 + 730 days = 2026-03-01 (2024's 29 February is before the start): the completion
    counts on 730 days, 2024-03-01 … 2026-02-28, and no longer from 2026-03-01."""
    fa = course(eng, demo)
    vid = register(eng, demo, person()).volunteer.id
    row = complete(eng, demo, fa.id, vid, dt.date(2024, 3, 1))
    assert row.expires_on == dt.date(2026, 3, 1) and (row.expires_on - row.completed_on).days == 730
    assert missing(eng, demo, vid, ["FA"], dt.date(2024, 3, 1)) == []
    assert missing(eng, demo, vid, ["FA"], dt.date(2026, 2, 28)) == []  # the day before expiry
    on_expiry = missing(eng, demo, vid, ["FA"], dt.date(2026, 3, 1))
    assert len(on_expiry) == 1 and "应急救护" in on_expiry[0] and "2026-03-01" in on_expiry[0] and "过期" in on_expiry[0]
    assert missing(eng, demo, vid, ["FA"], dt.date(2026, 3, 2)) == on_expiry  # the day after
    before = missing(eng, demo, vid, ["FA"], dt.date(2024, 2, 29))
    assert "未完成" in before[0] and "FA" in before[0]


def test_renewal_counts_and_courses_without_expiry(eng, demo):
    fa = course(eng, demo)
    safety = course(eng, demo, code="SAFE", hours="2", valid_days=None, tier="junior")
    vid = register(eng, demo, person()).volunteer.id
    complete(eng, demo, fa.id, vid, dt.date(2024, 3, 1))
    complete(eng, demo, fa.id, vid, dt.date(2026, 2, 1))
    complete(eng, demo, safety.id, vid, dt.date(2020, 1, 1))
    assert missing(eng, demo, vid, ["FA", "SAFE"], dt.date(2027, 6, 1)) == []
    assert "2028-02-01" in missing(eng, demo, vid, ["FA"], dt.date(2028, 2, 1))[0]
    unknown = missing(eng, demo, vid, ["NOPE"], dt.date(2027, 6, 1))
    assert "NOPE" in unknown[0] and "未在项目中设立" in unknown[0]
    with pytest.raises(Conflict):
        complete(eng, demo, fa.id, vid, dt.date(2026, 2, 1))
    with pytest.raises(InvalidInput):
        complete(eng, demo, fa.id, vid, dt.date.today() + dt.timedelta(days=3))


def test_completion_derived_when_attended_hours_reach_the_course_hours(eng, demo):
    fa = course(eng, demo, hours="8")
    a = register(eng, demo, person(seq=1)).volunteer.id
    b = register(eng, demo, person(seq=2)).volunteer.id
    s1 = training(eng, demo, fa.id, "2025-05-10T09:00", "2025-05-10T13:00")
    s2 = training(eng, demo, fa.id, "2025-05-17T20:00", "2025-05-18T00:00")  # ends after midnight
    assert s1.hours == Decimal("4.00") and s1.starts_at == dt.datetime(2025, 5, 10, 1, 0, tzinfo=dt.UTC)
    first = attend(eng, demo, s1.id, [(a, True), (b, True)])
    assert (first.recorded, first.completions) == (2, [])
    second = attend(eng, demo, s2.id, [(a, True), (b, False)])
    assert [(c.volunteer_id, c.completed_on, c.expires_on, c.source) for c in second.completions] == [
        (a, dt.date(2025, 5, 17), dt.date(2027, 5, 17), "attendance")]
    corrected = attend(eng, demo, s2.id, [(b, True)])
    assert corrected.updated == 1 and [c.volunteer_id for c in corrected.completions] == [b]
    again = attend(eng, demo, s2.id, [(a, True), (b, True)])
    assert (again.recorded, again.updated, again.completions) == (0, 0, [])  # nothing twice


def test_renewal_by_attendance_counts_only_sessions_after_the_last_completion(eng, demo):
    fa = course(eng, demo, hours="4", valid_days=730)
    vid = register(eng, demo, person()).volunteer.id
    old = training(eng, demo, fa.id, "2023-04-01T09:00", "2023-04-01T13:00")
    attend(eng, demo, old.id, [(vid, True)])
    half = training(eng, demo, fa.id, "2025-03-01T09:00", "2025-03-01T11:00")
    assert attend(eng, demo, half.id, [(vid, True)]).completions == []
    rest = training(eng, demo, fa.id, "2025-03-08T09:00", "2025-03-08T11:00")
    assert [c.completed_on for c in attend(eng, demo, rest.id, [(vid, True)]).completions] == [dt.date(2025, 3, 8)]


def test_attendance_refusals(eng, demo):
    fa = course(eng, demo)
    vid = register(eng, demo, person()).volunteer.id
    future = training(eng, demo, fa.id, "2099-01-01T09:00", "2099-01-01T10:00")
    with pytest.raises(InvalidInput):
        attend(eng, demo, future.id, [(vid, True)])
    past = training(eng, demo, fa.id, "2025-01-01T09:00", "2025-01-01T10:00")
    with pytest.raises(InvalidInput) as exc:
        attend(eng, demo, past.id, [(vid, True), (vid, False)])
    assert str(vid) in exc.value.message
    with pytest.raises(InvalidInput) as exc:
        attend(eng, demo, past.id, [(vid, True), (999, True)])
    assert exc.value.details["volunteer_ids"] == [999]


def test_session_and_course_refusals(eng, demo):
    fa = course(eng, demo)
    with pytest.raises(Conflict):
        course(eng, demo)
    with pytest.raises(InvalidInput) as exc:
        training(eng, demo, fa.id, "2025-01-01T10:00", "2025-01-01T10:00")
    assert exc.value.field == "ends_at"
    assert training(eng, demo, fa.id, "2025-01-01T09:00", "2025-01-01T12:00", hours=Decimal("4")).hours == 4


def test_yearly_hours_in_local_calendar_year_with_everyone_listed(eng, demo):
    fa = course(eng, demo, hours="100", valid_days=None)
    a = register(eng, demo, person(name="甲", seq=1)).volunteer.id
    b = register(eng, demo, person(name="乙", seq=2)).volunteer.id
    register(eng, demo, person(name="丙", seq=3))
    new_year_eve = training(eng, demo, fa.id, "2025-12-31T22:00", "2025-12-31T23:30")  # 14:00 UTC
    new_year = training(eng, demo, fa.id, "2026-01-01T00:30", "2026-01-01T02:00")  # 2025-12-31 16:30 UTC
    long_day = training(eng, demo, fa.id, "2025-06-01T00:00", "2025-06-01T23:59", hours=Decimal("20"))
    long_day2 = training(eng, demo, fa.id, "2025-06-02T00:00", "2025-06-02T23:59", hours=Decimal("20"))
    attend(eng, demo, new_year_eve.id, [(a, True), (b, True)])
    attend(eng, demo, new_year.id, [(a, True)])
    attend(eng, demo, long_day.id, [(a, True), (b, False)])
    attend(eng, demo, long_day2.id, [(a, True)])
    with eng.session() as s:
        report = service.training_hours(s, demo, 2025)
        nxt = service.training_hours(s, demo, 2026, volunteer_id=a)
    assert (report["volunteers"], report["meeting_minimum"], report["minimum_hours"]) == (3, 1, 40)
    assert [(r["name"], r["hours"], r["sessions"], r["meets_minimum"]) for r in report["items"]] == [
        ("甲", 41.5, 3, True), ("乙", 1.5, 1, False), ("丙", 0.0, 0, False)]
    assert report["total_hours"] == 43.0
    assert [(r["name"], r["hours"]) for r in nxt["items"]] == [("甲", 1.5)]
