"""Referral points (推荐积分, rules.points.bonuses.referral) over real HTTP: 海林 第九条 pays 2 points to
whoever recommended a newcomer, once; a scheme may wait for the newcomer's N-th service, and cap the
awards a year. A recommender who is not in the programme, or oneself, is a 422 naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from tests_support import make_users

from engine.people.idcard import check_character
from engine.stages.rewards.models import LedgerEntry


def person(n: int) -> dict:
    first17 = f"110105{dt.date(1990, 1, 1) + dt.timedelta(days=n):%Y%m%d}{(n * 2 + 1) % 1000:03d}"
    return {"name": f"志愿者{n}", "id_number": first17 + check_character(first17), "phone": "13800138000",
            "consent": True}


def points_of(eng, pid: str, vid: int, unit: str = "points") -> Decimal:
    with eng.session() as s:
        return sum((e.amount for e in s.scalars(select(LedgerEntry).where(
            LedgerEntry.programme_id == pid, LedgerEntry.volunteer_id == vid, LedgerEntry.unit == unit))), Decimal(0))


def test_hailin_pays_two_points_for_each_newcomer_recommended_once(eng, site, api):
    prog = site.load("rules:\n  pack: hailin-points\n", recruiting=True)
    make_users(eng, prog.id, {"coordinator": "coord"})
    http, base = api.as_("coord"), f"/programmes/{prog.id}"
    a = http.post(f"{base}/volunteers", json=person(1)).json()["volunteer"]["id"]
    b = http.post(f"{base}/volunteers", json=person(2) | {"referred_by": a})
    assert b.status_code == 201 and b.json()["enrolment"]["referred_by"] == a
    http.post(f"{base}/volunteers", json=person(3) | {"referred_by": a})
    assert points_of(eng, prog.id, a) == 4  # 2 points a newcomer
    again = http.post(f"{base}/volunteers", json=person(2) | {"referred_by": a})  # the same person again
    assert again.status_code == 200 and points_of(eng, prog.id, a) == 4
    with eng.session() as s:
        kinds = set(s.scalars(select(LedgerEntry.kind).where(LedgerEntry.volunteer_id == a)))
    assert kinds == {"referral"}


def test_a_recommender_outside_the_programme_or_oneself_is_refused_and_nothing_is_stored(eng, site, api):
    prog = site.load("rules:\n  pack: hailin-points\n", recruiting=True)
    make_users(eng, prog.id, {"coordinator": "coord"})
    http, base = api.as_("coord"), f"/programmes/{prog.id}"
    bad = http.post(f"{base}/volunteers", json=person(4) | {"referred_by": 999_999})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "referred_by"
    assert "推荐人" in bad.json()["detail"]["message"]
    assert http.get(f"{base}/enrolments").json()["total"] == 0
    a = http.post(f"{base}/volunteers", json=person(5)).json()["volunteer"]["id"]
    own = http.post(f"{base}/enrolments", json={"volunteer_id": a, "referred_by": a})
    assert own.status_code == 422 and own.json()["detail"]["field"] == "referred_by"


def test_a_scheme_may_pay_after_the_newcomers_services_and_cap_the_year(eng, site, api):
    prog = site.load("""rules:
  points:
    default_rate: 1
    bonuses:
      referral: {points: 5, after_services: 2, max_per_year: 1}
""", recruiting=True)
    make_users(eng, prog.id, {"coordinator": "coord"})
    http, base = api.as_("coord"), f"/programmes/{prog.id}"
    a = http.post(f"{base}/volunteers", json=person(6)).json()["volunteer"]["id"]
    b = http.post(f"{base}/volunteers", json=person(7) | {"referred_by": a}).json()["volunteer"]["id"]
    c = http.post(f"{base}/volunteers", json=person(8) | {"referred_by": a}).json()["volunteer"]["id"]
    with eng.session() as s:
        site.serve(s, b, "2026-03-01 09:00", 60)
        s.commit()
    assert points_of(eng, prog.id, a) == 0  # one service: not yet
    with eng.session() as s:
        site.serve(s, b, "2026-03-02 09:00", 60)
        site.serve(s, b, "2026-03-03 09:00", 60)
        s.commit()
    assert points_of(eng, prog.id, a) == 5  # paid at the second service, once
    assert points_of(eng, prog.id, a, "lifetime_points") == 5
    with eng.session() as s:
        for day in (4, 5):
            site.serve(s, c, f"2026-03-0{day} 09:00", 60)
        s.commit()
    assert points_of(eng, prog.id, a) == 5  # max_per_year: 1
    assert points_of(eng, prog.id, b) == 3  # the newcomer's own hours earn as usual


def test_contradictory_or_unknown_referral_keys_are_refused_at_check(site):
    import pytest

    from engine.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        site.load("rules:\n  points:\n    bonuses:\n      referral: {points: 0}\n")
    assert "referral" in exc.value.problems[0].path


def test_a_volunteer_names_their_recommender_on_the_registration_page(eng, site, api):
    from web_support import Browser

    prog = site.load("rules:\n  pack: hailin-points\n", recruiting=True)
    make_users(eng, prog.id, {"coordinator": "coord", "volunteer": "newcomer"})
    a = api.as_("coord").post(f"/programmes/{prog.id}/volunteers", json=person(9)).json()["volunteer"]["id"]
    page = Browser(api.url).login("newcomer")
    try:
        form = page.get(f"/p/{prog.id}/me/register")
        assert 'name="referred_by"' in form.text
        bad = page.post(f"/p/{prog.id}/me/register", {**person(10), "consent": "yes", "referred_by": "999999"})
        assert bad.status_code == 422 and 'id="err-referred_by"' in bad.text
        done = page.post(f"/p/{prog.id}/me/register", {**person(10), "consent": "yes", "referred_by": str(a)})
        assert done.status_code == 200 and done.url.path == f"/p/{prog.id}/me"
        assert points_of(eng, prog.id, a) == 2
    finally:
        page.close()
