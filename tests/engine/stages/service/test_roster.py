"""Rostering rules: capacity, overlap, rest, the day's cap, courses, agreement, no-show cap, substitutes.

The programme (svc_helpers.SERVICE_YAML) sets min_rest_minutes 60, max_minutes_per_day 600 and
max_no_shows 2; each rule is tested at its edge.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from svc_helpers import T0, minutes

from engine.errors import Conflict, GuardsFailed
from engine.stages.service import roster
from engine.stages.service.models import Assignment

BEFORE = T0 - dt.timedelta(days=1)  # "now" while rostering: the day before the event


def assign(eng: Any, prog: Any, s: Any, shift: Any, vol: Any) -> Assignment:
    return roster.assign(s, prog, eng.host, shift.id, vol.id, actor="coord1", now=BEFORE)


def refusal(eng: Any, prog: Any, s: Any, shift: Any, vol: Any) -> list[str]:
    with pytest.raises(GuardsFailed) as exc, s.begin_nested():
        assign(eng, prog, s, shift, vol)
    return exc.value.reasons


def test_assign_and_repeat(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0)
        v = site.ready(s, post)
        a = assign(eng, prog, s, sh, v)
        assert (a.status, a.assigned_by) == ("assigned", "coord1")
        with pytest.raises(Conflict, match="already rostered"):
            assign(eng, prog, s, sh, v)


def test_capacity(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0, capacity=1)
        a, b = site.ready(s, post, "甲"), site.ready(s, post, "乙")
        assign(eng, prog, s, sh, a)
        reasons = refusal(eng, prog, s, sh, b)
        assert reasons == ["班次已满（1/1 人）/ the shift is full: 1 of 1 places taken"]


def test_overlap_and_rest_edges(eng: Any, prog: Any, site: Any) -> None:
    """Rest 60 min: a shift starting 60 min after the last ends is fine, 59 min is refused; overlap always."""
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        first = site.shift(s, post, T0, 120)                     # 09:00–11:00
        overlapping = site.shift(s, post, T0 + minutes(60), 120)  # 10:00–12:00
        too_soon = site.shift(s, post, T0 + minutes(179), 60)     # 11:59 → 59 min of rest
        rested = site.shift(s, post, T0 + minutes(180), 60)       # 12:00 → 60 min of rest
        assign(eng, prog, s, first, v)
        assert "时间重叠" in refusal(eng, prog, s, overlapping, v)[0]
        reasons = refusal(eng, prog, s, too_soon, v)
        assert reasons == [f"与班次 {first.id} 之间只休息 59 分钟，至少需 60 分钟 / only 59 min of rest next to shift "
                           f"{first.id}; service.min_rest_minutes is 60"]
        assert assign(eng, prog, s, rested, v).status == "assigned"


def test_rest_applies_to_a_shift_before_too(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        later = site.shift(s, post, T0 + minutes(240), 60)   # 13:00–14:00
        earlier = site.shift(s, post, T0 + minutes(150), 60)  # 11:30–12:30 → 30 min before `later`
        assign(eng, prog, s, later, v)
        assert "只休息 30 分钟" in refusal(eng, prog, s, earlier, v)[0]


def test_max_minutes_per_day(eng: Any, prog: Any, site: Any) -> None:
    """600 min a day: 300 + 300 is exactly the cap and passes; another 60 would make 660."""
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        morning = site.shift(s, post, T0 - minutes(120), 300)  # 07:00–12:00
        afternoon = site.shift(s, post, T0 + minutes(240), 300)  # 13:00–18:00
        evening = site.shift(s, post, T0 + minutes(600), 60)     # 19:00–20:00
        next_day = site.shift(s, post, T0 + dt.timedelta(days=1), 60)
        assign(eng, prog, s, morning, v)
        assign(eng, prog, s, afternoon, v)
        reasons = refusal(eng, prog, s, evening, v)
        assert reasons == ["2026-05-01 当天排班将达 660 分钟，超过上限 600 分钟 / 660 rostered minutes on 2026-05-01 would "
                           "exceed service.max_minutes_per_day = 600"]
        assert assign(eng, prog, s, next_day, v).status == "assigned"


def test_required_course_missing_expired_and_valid(eng: Any, prog: Any, site: Any) -> None:
    """First aid (急救) valid on the shift's date: missing and expired are refused naming the course."""
    with eng.session() as s:
        c = site.course(s, "first_aid", "急救培训", valid_days=730)
        post = site.post(s, site.project(s), "医疗协助", courses=("first_aid",))
        sh = site.shift(s, post, T0)
        missing, expired, edge = site.ready(s, post, "甲"), site.ready(s, post, "乙"), site.ready(s, post, "丙")
        site.complete(s, c, expired, dt.date(2024, 4, 30), expires=dt.date(2026, 4, 30))
        # (whether a completion expiring on the very day is valid is the training stage's rule; not tested here)
        site.complete(s, c, edge, dt.date(2024, 5, 2), expires=dt.date(2026, 5, 2))
        assert refusal(eng, prog, s, sh, missing) == [
            "未完成培训「急救培训」/ has not completed required course '急救培训' (first_aid)"]
        assert refusal(eng, prog, s, sh, expired) == [
            "培训「急救培训」已于 2026-04-30 过期 / completion of '急救培训' (first_aid) expired on 2026-04-30"]
        assert assign(eng, prog, s, sh, edge).status == "assigned"


def test_agreement_needed(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s), "入口引导员")
        sh = site.shift(s, post, T0)
        nobody = site.volunteer(s, "甲")
        applied = site.volunteer(s, "乙")
        site.apply(s, post, applied, "offered")
        active = site.volunteer(s, "丙")
        site.apply(s, post, active, "active")
        assert refusal(eng, prog, s, sh, nobody) == [
            "尚未与岗位「入口引导员」签订志愿服务协议（未报名 / no application）/ no agreed application to post "
            "'入口引导员': it must be in state agreed or active"]
        assert "报名状态 offered" in refusal(eng, prog, s, sh, applied)[0]
        assert assign(eng, prog, s, sh, active).status == "assigned"


def test_all_reasons_at_once(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0, capacity=1)
        assign(eng, prog, s, sh, site.ready(s, post, "甲"))
        reasons = refusal(eng, prog, s, sh, site.volunteer(s, "乙"))
        assert len(reasons) == 2 and "班次已满" in reasons[0] and "签订志愿服务协议" in reasons[1]


def test_no_show_cap_names_the_count(eng: Any, prog: Any, site: Any) -> None:
    """max_no_shows 2: two no-shows may still be rostered; a third puts the volunteer beyond the cap."""
    with eng.session() as s:
        post = site.post(s, site.project(s))
        v = site.ready(s, post)
        shifts = [site.shift(s, post, T0 + dt.timedelta(days=d)) for d in range(5)]
        for sh in shifts[:2]:
            roster.mark_no_show(s, prog, assign(eng, prog, s, sh, v).id, actor="coord1", now=sh.starts_at)
        third = assign(eng, prog, s, shifts[2], v)
        roster.mark_no_show(s, prog, third.id, actor="coord1", now=shifts[2].starts_at)
        assert refusal(eng, prog, s, shifts[3], v) == [
            "已缺勤 3 次，超过上限 2 次 / 3 no-shows, more than service.max_no_shows = 2"]


def test_no_show_only_after_start(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0)
        a = assign(eng, prog, s, sh, site.ready(s, post))
        with pytest.raises(Exception, match="has not started"):
            roster.mark_no_show(s, prog, a.id, actor="coord1", now=T0 - minutes(1))
        assert roster.mark_no_show(s, prog, a.id, actor="coord1", now=T0).status == "no_show"


def test_substitute_points_to_the_no_show(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0, capacity=1)
        absent, sub, other = site.ready(s, post, "甲"), site.ready(s, post, "乙"), site.ready(s, post, "丙")
        a = assign(eng, prog, s, sh, absent)
        with pytest.raises(Conflict, match="mark it no-show"):
            roster.substitute(s, prog, eng.host, a.id, sub.id, actor="coord1", now=T0)
        roster.mark_no_show(s, prog, a.id, actor="leader1", now=T0 + minutes(10))
        b = roster.substitute(s, prog, eng.host, a.id, sub.id, actor="coord1", now=T0 + minutes(10))
        assert (b.substitute_for_id, b.shift_id, b.status) == (a.id, sh.id, "assigned")
        with pytest.raises(Conflict, match="already has a substitute"):
            roster.substitute(s, prog, eng.host, a.id, other.id, actor="coord1", now=T0 + minutes(10))


def test_cancel_frees_the_place(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0, capacity=1)
        a_vol, b_vol = site.ready(s, post, "甲"), site.ready(s, post, "乙")
        a = assign(eng, prog, s, sh, a_vol)
        assert roster.cancel(s, prog, a.id, actor="coord1").status == "cancelled"
        assign(eng, prog, s, sh, b_vol)
        assert "班次已满" in refusal(eng, prog, s, sh, a_vol)[0]  # taking the place back is checked again


def test_cancelled_shift_refused(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh = site.shift(s, post, T0)
        sh.cancelled_at = BEFORE
        assert refusal(eng, prog, s, sh, site.ready(s, post)) == [f"班次 {sh.id} 已取消 / shift {sh.id} was cancelled"]


def test_last_place_race(eng: Any, prog: Any, site: Any) -> None:
    """Eight coordinators fill the last place at once: exactly one wins, the others are told it is full."""
    with eng.session() as s:
        post = site.post(s, site.project(s))
        sh_id = site.shift(s, post, T0, capacity=1).id
        vids = [site.ready(s, post, f"志愿者{i}").id for i in range(8)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(vids))

    def go(vid: int) -> None:
        barrier.wait()
        try:
            with eng.session() as s2:
                roster.assign(s2, prog, eng.host, sh_id, vid, actor="coord1", now=BEFORE)
            outcomes.append("ok")
        except GuardsFailed as exc:
            outcomes.append("full" if "班次已满" in exc.reasons[0] else repr(exc))

    threads = [threading.Thread(target=go, args=(v,)) for v in vids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 7 + ["ok"]
