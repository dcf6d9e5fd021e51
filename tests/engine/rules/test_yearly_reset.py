"""The engine's yearly reset of spendable points (``rules.points.reset``), for every plan type: the
scheduled path runs it at the year's first tick, an admin may run it by hand, and it takes only what
was earned before the year began (a late run keeps the new year's points; lifetime points stay)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests_support import make_users

from engine.scheduling.runner import tick
from engine.stages.rewards.ledger import balance_drift, balance_of

PACK = "rules:\n  pack: community-points-001\n"
D = Decimal
YEARS = ("2025-01-01", "2027-12-31")


def _at(local: str) -> dt.datetime:
    return dt.datetime.fromisoformat(local).replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _reset_runs(report) -> list:
    return [r.result for r in report.runs if r.job == "engine.stages.rewards.jobs" and r.result]


def test_the_scheduled_path_resets_once_and_keeps_the_new_years_points(eng, site):
    prog = site.load(PACK, period=YEARS)
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2025-12-31 22:00", 60)  # 1 + 5 first service: the old year
        site.serve(s, v.id, "2026-01-01 09:00", 60)  # 1: the new year, served before the reset runs
        vid = v.id
    before = tick(eng, now=_at("2025-12-31 23:59"), every=60, deliver=False)
    assert _reset_runs(before) == []  # 2025's reset had nothing earned before 2025 to take
    late = tick(eng, now=_at("2026-01-03 08:00"), every=60, deliver=False)  # the first tick in two days
    assert _reset_runs(late) == [{"points_reset": {"year": 2026, "volunteers": 1, "total": "6.00"}}]
    again = tick(eng, now=_at("2026-01-03 08:01"), every=60, deliver=False)
    assert _reset_runs(again) == [] and {r.outcome for r in again.runs} == {"done"}
    with eng.session() as s:
        assert balance_of(s, prog.id, vid, "points") == D("1.00")
        assert balance_of(s, prog.id, vid, "lifetime_points") == D("7.00")
        assert balance_drift(s, prog.id) == []


def test_an_admin_runs_it_by_hand_and_sees_what_the_year_took(eng, site, api):
    prog = site.load(PACK, recruiting=True, period=YEARS)
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2025-12-30 09:00", 120, category="professional")  # 4 + 5 in 2025
        site.serve(s, v.id, "2026-01-02 09:00", 60)  # 1 in 2026
        vid = v.id
    make_users(eng, prog.id, {"admin": "boss", "coordinator": "coord"})
    url = f"/programmes/{prog.id}/points/reset"
    assert api.as_("coord").post(url, json={"year": 2026}).status_code == 403
    http = api.as_("boss")
    r = http.post(url, json={"year": 2026})
    assert r.status_code == 200, r.text
    assert r.json() == {"year": 2026, "unit": "points", "volunteers": 1, "total": "9.00", "reset_now": 1}
    twice = http.post(url, json={"year": 2026}).json()
    assert (twice["volunteers"], twice["total"], twice["reset_now"]) == (1, "9.00", 0)  # taken once
    future = http.post(url, json={"year": 2100})
    assert future.status_code == 409 and "未到" in future.text and "not due" in future.text
    with eng.session() as s:
        assert balance_of(s, prog.id, vid, "points") == D("1.00")


def test_a_programme_without_a_yearly_reset_is_refused_by_name(eng, site, api):
    prog = site.load("rules:\n  points: {per_hour: {routine: 1}}\n", recruiting=True)
    make_users(eng, prog.id, {"admin": "boss"})
    r = api.as_("boss").post(f"/programmes/{prog.id}/points/reset", json={})
    assert r.status_code == 422 and "rules.points.reset.yearly" in r.text
    report = tick(eng, now=_at("2027-01-03 08:00"), every=60, deliver=False)
    assert _reset_runs(report) == [] and not report.failed


def test_a_year_that_starts_on_29_february_is_refused_at_check(site):
    import pytest

    from engine.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        site.load("rules:\n  points: {per_hour: {routine: 1}, reset: {yearly: true, year_start: \"02-29\"}}\n")
    assert "02-29" in str(info.value) and "rules.points.reset.year_start" in str(info.value)
