"""The packs written from public rule texts, each with its scheme's figures at their edges: the
stars of Sichuan, Guangdong, Huizhou and Zhangjiagang, the points of Hailin, Kunshan and Huangyan,
and the time banks of Nanjing, a hOurworld timebank (Ferndale), Shanghai's 时光汇 and TimeOverflow.
Levels and points through the pure rules; time banks through the store (records, transfers)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.errors import Conflict
from engine.plugins import default_host
from engine.rules import hours as H
from engine.rules import levels as L
from engine.rules.points import record_points
from engine.rules.registry import load_packs
from engine.stages.rewards.timebank import balance, flagged_accounts, transfer

PACKS = load_packs(default_host())


def policy(name):
    return PACKS[name].policy()


def level(name, hours, nominated=frozenset()):
    step = L.decide(policy(name).levels, int(Decimal(str(hours)) * 60), set(nominated))
    return step.name if step else None


def points(name, minutes, category="routine"):
    pol = policy(name)
    credited = H.credit(pol.hours, started_at=H.dt.datetime(2026, 3, 1, tzinfo=H.dt.UTC),
                        ended_at=H.dt.datetime(2026, 3, 1, tzinfo=H.dt.UTC) + H.dt.timedelta(minutes=minutes),
                        raw_minutes=minutes)
    return record_points(pol.points, minutes=credited, category=category, captured="coordinator")


def test_every_new_pack_cites_a_source_with_its_address():
    for name in ("sichuan-youth-stars-2021", "guangdong-stars-2014", "huizhou-stars-2016", "zhangjiagang-2014",
                 "shanghai-stars-2021", "hailin-points", "kunshan-points-2025", "huangyan-points-2023", "nanjing-timebank-2019",
                 "hourworld-ferndale", "shanghai-shiguanghui-2025", "timeoverflow"):
        srcs = PACKS[name].meta.sources
        assert srcs and all(s.title and s.cites and s.url for s in srcs), name


@pytest.mark.parametrize(("hours", "nominated", "expected"), [
    (99.99, (), None), (100, (), "一星志愿者 1-star"), (999.99, (), "三星志愿者 3-star"), (1000, (), "四星志愿者 4-star"),
    (1500, (), "四星志愿者 4-star"),  # five stars only by selection (经过评选)
    (1500, ("五星志愿者 5-star",), "五星志愿者 5-star"), (1499.99, ("五星志愿者 5-star",), "四星志愿者 4-star")])
def test_sichuan_five_stars_need_a_selection_and_1500_hours(hours, nominated, expected):
    assert level("sichuan-youth-stars-2021", hours, nominated) == expected


@pytest.mark.parametrize(("hours", "expected"), [
    (99.99, None), (100, "一星志愿者 1-star"), (599.99, "二星志愿者 2-star"), (600, "三星志愿者 3-star"),
    (1000, "四星志愿者 4-star"), (1500, "五星志愿者 5-star")])
def test_shanghai_stars_by_recorded_hours(hours, expected):
    assert level("shanghai-stars-2021", hours) == expected


def test_shanghai_applies_for_the_star_its_hours_allow_without_the_lower_ones():
    pol = policy("shanghai-stars-2021").levels
    assert L.may_nominate(pol, "五星志愿者 5-star", set()) is None
    assert L.may_nominate(policy("national-stars").levels, "五星志愿者 5-star", set()) is not None


def test_sichuan_five_star_application_needs_the_four_stars_first():
    pol = policy("sichuan-youth-stars-2021").levels
    assert L.may_nominate(pol, "五星志愿者 5-star", {"三星志愿者 3-star"}) is not None
    assert L.may_nominate(pol, "五星志愿者 5-star", {"四星志愿者 4-star"}) is None


@pytest.mark.parametrize(("hours", "expected"), [
    (1499.99, "四星志愿者 4-star"), (1500, "五星志愿者 5-star"), (1999.99, "五星志愿者 5-star"),
    (2000, "五星级铜奖 5-star bronze"), (3000, "五星级银奖 5-star silver"), (4000, "五星级金奖 5-star gold")])
def test_huizhou_medals_above_guangdongs_five_stars(hours, expected):
    assert level("huizhou-stars-2016", hours) == expected
    assert level("guangdong-stars-2014", min(hours, 1500)) == ("五星志愿者 5-star" if hours >= 1500 else expected)


@pytest.mark.parametrize(("hours", "expected"), [
    (29.99, None), (30, "一星级志愿者 1-star"), (299.99, "四星级志愿者 4-star"), (300, "五星级志愿者 5-star"),
    (600, "铜星奖章 bronze star"), (1500, "金星奖章 gold star"), (2999.99, "金星奖章 gold star"),
    (3000, "终身成就奖 lifetime award")])
def test_zhangjiagang_stars_and_medals(hours, expected):
    assert level("zhangjiagang-2014", hours) == expected


def test_zhangjiagang_courtesies_need_100_hours_in_the_year():
    assert policy("zhangjiagang-2014").redemption.flags["courtesy"].min_hours_this_year == 100


@pytest.mark.parametrize(("minutes", "expected"), [(90, "1.50"), (120, "2.00"), (121, "2.00"), (300, "2.00")])
def test_hailin_one_point_an_hour_at_most_two_hours_an_activity(minutes, expected):
    assert points("hailin-points", minutes) == Decimal(expected)


@pytest.mark.parametrize(("minutes", "expected"), [(60, "10"), (90, "15"), (1, "0.17"), (80 * 60, "800")])
def test_kunshan_ten_points_an_hour(minutes, expected):
    assert points("kunshan-points-2025", minutes) == Decimal(expected)  # 80 h buy the cheapest item (800)


@pytest.mark.parametrize(("minutes", "expected"), [(119, 0), (120, 1), (239, 1), (240, 2), (600, 5)])
def test_huangyan_one_point_for_each_full_two_hours(minutes, expected):
    assert points("huangyan-points-2023", minutes) == expected  # 10 h: 5 points, the cheapest soap


# ------------------------------------------------------------------ time banks, through the store
def _bank_site(site, pack, extra=""):
    return site.load(f"rules:\n  pack: {pack}\n{extra}")


def test_nanjing_caps_an_account_at_1500_hours_and_group_hours_only_donate(eng, site):
    prog = _bank_site(site, "nanjing-timebank-2019", "  time_bank: {partners: [hub]}\n")  # to move hours in from
    with eng.session() as s:
        a, b, g = (site.volunteer(s).id for _ in range(3))
        transfer(s, prog, "partner:hub", f"v:{a}", Decimal(1499), actor="hub", reason="moved in")
        transfer(s, prog, "partner:hub", f"v:{b}", Decimal(1498), actor="hub", reason="moved in")
        site.serve(s, a, "2026-03-01 09:00", 120)  # 1501: one hour to the donation pool
        site.serve(s, b, "2026-03-01 09:00", 120)  # exactly 1500: nothing over
        site.serve(s, g, "2026-03-01 09:00", 60, category="group")
        assert balance(s, prog.id, f"v:{a}")[0] == 1500 and balance(s, prog.id, f"v:{b}")[0] == 1500
        assert balance(s, prog.id, "pool:捐赠池")[0] == 1
        assert balance(s, prog.id, f"v:{g}") == (1, 1)  # donate-only
        with pytest.raises(Conflict):
            transfer(s, prog, f"v:{g}", f"v:{a}", Decimal(1), actor="g", reason="not a donation")


def test_hourworld_rounds_up_to_the_quarter_hour_and_stops_at_10_hours_of_debt(eng, site):
    prog = _bank_site(site, "hourworld-ferndale")
    with eng.session() as s:
        a, b, c = (site.volunteer(s).id for _ in range(3))
        site.serve(s, a, "2026-03-01 09:00", 52)   # 1 h (their example)
        site.serve(s, b, "2026-03-01 09:00", 70)   # 1.25 h (their example)
        assert balance(s, prog.id, f"v:{a}")[0] == 1 and balance(s, prog.id, f"v:{b}")[0] == Decimal("1.25")
        transfer(s, prog, f"v:{c}", f"v:{a}", Decimal(10), actor="c", reason="garden")  # exactly −10: allowed
        with pytest.raises(Conflict) as exc:
            transfer(s, prog, f"v:{c}", f"v:{a}", Decimal("0.25"), actor="c", reason="more")
        assert exc.value.details["rule"] == "rules.time_bank.floor_hours"


def test_shanghai_one_hour_one_time_coin_given_to_family_or_donated(eng, site):
    prog = _bank_site(site, "shanghai-shiguanghui-2025")
    with eng.session() as s:
        a, kin = site.volunteer(s).id, site.volunteer(s).id
        site.serve(s, a, "2026-03-01 09:00", 120)
        assert balance(s, prog.id, f"v:{a}")[0] == 2
        transfer(s, prog, f"v:{a}", f"v:{kin}", Decimal(1), actor="a", reason="转赠亲友")
        transfer(s, prog, f"v:{a}", "pool:特殊困难老年群体", Decimal(1), actor="a", reason="捐赠")
        assert [balance(s, prog.id, acc)[0] for acc in (f"v:{a}", f"v:{kin}", "pool:特殊困难老年群体")] == [0, 1, 1]
        with pytest.raises(Conflict):  # no debt
            transfer(s, prog, f"v:{a}", f"v:{kin}", Decimal("0.25"), actor="a", reason="more")


def test_timeoverflow_flags_an_account_below_its_limit_and_refuses_nothing(eng, site):
    prog = _bank_site(site, "timeoverflow")
    with eng.session() as s:
        a, b = site.volunteer(s).id, site.volunteer(s).id
        site.serve(s, a, "2026-03-01 09:00", 61)  # 1.02 h (hours to 2 decimals)
        assert balance(s, prog.id, f"v:{a}")[0] == Decimal("1.02")
        transfer(s, prog, f"v:{a}", f"v:{b}", Decimal("1.02"), actor="a", reason="exactly all")
        assert flagged_accounts(s, prog.id) == []  # at the limit: not flagged here (TimeOverflow would)
        transfer(s, prog, f"v:{a}", f"v:{b}", Decimal(3), actor="a", reason="into debt")
        assert flagged_accounts(s, prog.id) == [f"v:{a}"]
        assert balance(s, prog.id, f"v:{a}")[0] == -3 and balance(s, prog.id, f"v:{b}")[0] == Decimal("4.02")
