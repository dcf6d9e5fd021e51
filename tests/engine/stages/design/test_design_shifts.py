"""Shifts: one-off and weekly series over HTTP, time zones, validation naming fields, check-in code
visibility, cancellation only while nobody is rostered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from engine.core import VolunteerEngine
from engine.stages.recruitment.models import Volunteer
from engine.stages.service.models import Assignment

BASE = "/programmes/term-demo"
TERM_TUESDAYS = {"weekdays": ["tue"], "start_time": "16:30", "end_time": "18:00", "start_date": "2026-09-01",
                 "end_date": "2027-01-15", "skip_dates": ["2026-10-06"]}


def test_a_term_of_tuesdays_over_http(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    r = clients["coord"].post(f"{BASE}/posts/{post['id']}/shifts/recurring", json=TERM_TUESDAYS)
    assert r.status_code == 201, r.text
    series = r.json()
    assert (series["count"], series["skipped"]) == (19, ["2026-10-06"])
    first, last = series["shifts"][0], series["shifts"][-1]
    assert (first["starts_at"], first["ends_at"]) == ("2026-09-01T08:30:00Z", "2026-09-01T10:00:00Z")
    assert first["starts_local"] == "2026-09-01T16:30:00+08:00"
    assert (last["starts_at"], last["ends_local"]) == ("2027-01-12T08:30:00Z", "2027-01-12T18:00:00+08:00")
    assert {s["capacity"] for s in series["shifts"]} == {4}  # the post's capacity
    assert {s["place"] for s in series["shifts"]} == {"社区活动室"}  # the project's place
    codes = {s["checkin_code"] for s in series["shifts"]}
    assert len(codes) == 19 and all(len(c) >= 20 for c in codes)  # random, unguessable, one per shift

    october = clients["vol"].get(f"{BASE}/shifts", params={"from": "2026-10-01", "to": "2026-10-31"}).json()
    assert [s["starts_local"][:10] for s in october] == ["2026-10-13", "2026-10-20", "2026-10-27"]
    by_series = clients["vol"].get(f"{BASE}/shifts", params={"series": series["series"]}).json()
    assert len(by_series) == 19


def test_checkin_code_only_for_staff(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    shift = clients["coord"].post(f"{BASE}/posts/{post['id']}/shifts", json={
        "starts_at": "2026-09-05T09:00", "ends_at": "2026-09-05T11:00"}).json()
    for role in ("admin", "coord", "leader"):
        assert clients[role].get(f"{BASE}/shifts/{shift['id']}").json()["checkin_code"] == shift["checkin_code"]
    for role in ("vol", "super"):
        assert clients[role].get(f"{BASE}/shifts/{shift['id']}").json()["checkin_code"] is None
        assert all(s["checkin_code"] is None for s in clients[role].get(f"{BASE}/shifts").json())


def test_times_without_offset_are_local(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    coord = clients["coord"]
    naive = coord.post(f"{BASE}/posts/{post['id']}/shifts", json={
        "starts_at": "2026-09-05T09:00", "ends_at": "2026-09-05T11:00", "capacity": 2, "place": "小广场"}).json()
    assert (naive["starts_at"], naive["capacity"], naive["place"]) == ("2026-09-05T01:00:00Z", 2, "小广场")
    explicit = coord.post(f"{BASE}/posts/{post['id']}/shifts", json={
        "starts_at": "2026-09-05T09:00:00+00:00", "ends_at": "2026-09-05T11:00:00+00:00"}).json()
    assert explicit["starts_local"] == "2026-09-05T17:00:00+08:00"


SHIFT_ERRORS = [
    ({"starts_at": "2026-09-05T11:00", "ends_at": "2026-09-05T09:00"}, "ends_at"),
    ({"starts_at": "2026-09-05T11:00", "ends_at": "2026-09-05T11:00"}, "ends_at"),
    ({"starts_at": "2026-08-31T23:00", "ends_at": "2026-09-01T01:00"}, "starts_at"),  # before the project
    ({"starts_at": "2027-01-15T23:00", "ends_at": "2027-01-16T00:30"}, "ends_at"),  # after the project
]


def test_shift_validation_names_the_field(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    for body, field in SHIFT_ERRORS:
        r = clients["coord"].post(f"{BASE}/posts/{post['id']}/shifts", json=body)
        assert r.status_code == 422, r.text
        assert r.json()["detail"]["field"] == field, body
    r = clients["coord"].post(f"{BASE}/posts/{post['id']}/shifts", json={**SHIFT_ERRORS[0][0], "capacity": 0})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.capacity"


def test_shift_must_lie_within_the_programme_period(clients: dict[str, httpx.Client]) -> None:
    coord = clients["coord"]
    project = coord.post(f"{BASE}/projects", json={"name": "寒假 Winter"}).json()  # no dates of its own
    p = coord.post(f"{BASE}/projects/{project['id']}/posts", json={"name": "值班"}).json()
    url = f"{BASE}/posts/{p['id']}/shifts"
    # the period's last day (2027-01-31) counts to local midnight
    assert coord.post(url, json={"starts_at": "2027-01-31T22:00", "ends_at": "2027-02-01T00:00"}).status_code == 201
    r = coord.post(url, json={"starts_at": "2027-01-31T23:00", "ends_at": "2027-02-01T00:30"})
    assert (r.status_code, r.json()["detail"]["field"]) == (422, "ends_at")
    assert "计划周期" in r.json()["detail"]["message"] and "programme period" in r.json()["detail"]["message"]
    # 2026-08-01 00:00 in Shanghai is 2026-07-31 16:00 UTC: an offset time just before it is outside
    r = coord.post(url, json={"starts_at": "2026-07-31T15:59:00Z", "ends_at": "2026-07-31T18:00:00Z"})
    assert (r.status_code, r.json()["detail"]["field"]) == (422, "starts_at")
    assert coord.post(url, json={"starts_at": "2026-07-31T16:00:00Z", "ends_at": "2026-07-31T18:00:00Z"}).status_code == 201


RECURRING_ERRORS = [
    ({"end_time": "16:00"}, "end_time"),
    ({"end_date": "2026-08-31"}, "end_date"),
    ({"weekdays": []}, "weekdays"),
    ({"weekdays": ["tuesday"]}, "weekdays"),
    ({"capacity": 0}, "capacity"),
]


def test_recurring_validation_names_the_field(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    for change, field in RECURRING_ERRORS:
        r = clients["coord"].post(f"{BASE}/posts/{post['id']}/shifts/recurring", json={**TERM_TUESDAYS, **change})
        assert r.status_code == 422, r.text
        assert r.json()["detail"]["field"].startswith("body." + field), change


def test_recurring_outside_dates_or_empty(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    url = f"{BASE}/posts/{post['id']}/shifts/recurring"
    r = clients["coord"].post(url, json={**TERM_TUESDAYS, "end_date": "2027-01-20"})  # project ends 2027-01-15
    assert (r.status_code, r.json()["detail"]["field"]) == (422, "end_date")
    r = clients["coord"].post(url, json={**TERM_TUESDAYS, "start_date": "2026-09-02", "end_date": "2026-09-07"})
    assert (r.status_code, r.json()["detail"]["field"]) == (422, "weekdays")
    assert clients["coord"].get(f"{BASE}/shifts").json() == []  # nothing half-made


def test_roles_for_shifts(clients: dict[str, httpx.Client], post: dict[str, Any]) -> None:
    body = {"starts_at": "2026-09-05T09:00", "ends_at": "2026-09-05T11:00"}
    for role in ("leader", "super", "vol"):
        assert clients[role].post(f"{BASE}/posts/{post['id']}/shifts", json=body).status_code == 403
        assert clients[role].post(f"{BASE}/posts/{post['id']}/shifts/recurring",
                                  json=TERM_TUESDAYS).status_code == 403
    assert clients["outsider"].get(f"{BASE}/shifts").status_code == 403
    shift = clients["admin"].post(f"{BASE}/posts/{post['id']}/shifts", json=body).json()
    assert clients["leader"].post(f"{BASE}/shifts/{shift['id']}/cancel", json={}).status_code == 403


def _roster(eng: VolunteerEngine, programme_id: str, shift_id: int, status: str = "assigned") -> None:
    with eng.session() as s:
        v = Volunteer(name="张三", gender="male", birth_date=dt.date(1990, 3, 7), id_number=f"11010519900307{shift_id:04d}")
        s.add(v)
        s.flush()
        s.add(Assignment(programme_id=programme_id, shift_id=shift_id, volunteer_id=v.id, status=status,
                         assigned_by="coord1"))


def test_cancel_only_while_nobody_is_rostered(eng: VolunteerEngine, clients: dict[str, httpx.Client],
                                              post: dict[str, Any]) -> None:
    coord = clients["coord"]
    body = {"starts_at": "2026-09-05T09:00", "ends_at": "2026-09-05T11:00"}
    busy = coord.post(f"{BASE}/posts/{post['id']}/shifts", json=body).json()
    free = coord.post(f"{BASE}/posts/{post['id']}/shifts", json=body).json()
    withdrawn = coord.post(f"{BASE}/posts/{post['id']}/shifts", json=body).json()
    _roster(eng, "term-demo", busy["id"])
    _roster(eng, "term-demo", withdrawn["id"], status="cancelled")
    assert coord.get(f"{BASE}/shifts/{busy['id']}").json()["assigned"] == 1
    r = coord.post(f"{BASE}/shifts/{busy['id']}/cancel", json={"reason": "暴雨 rainstorm"})
    assert r.status_code == 409 and r.json()["detail"]["assigned"] == 1
    assert coord.get(f"{BASE}/shifts/{busy['id']}").json()["cancelled_at"] is None
    r = coord.post(f"{BASE}/shifts/{free['id']}/cancel", json={"reason": "暴雨 rainstorm"})
    assert r.status_code == 200 and r.json()["cancelled_at"] and r.json()["cancel_reason"] == "暴雨 rainstorm"
    assert coord.post(f"{BASE}/shifts/{withdrawn['id']}/cancel", json={}).status_code == 200
    assert coord.post(f"{BASE}/shifts/{free['id']}/cancel", json={}).status_code == 409  # already
    assert [s["id"] for s in coord.get(f"{BASE}/shifts").json()] == [busy["id"]]
    assert len(coord.get(f"{BASE}/shifts", params={"include_cancelled": True}).json()) == 3
