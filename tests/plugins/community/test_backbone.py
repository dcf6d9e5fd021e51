"""Backbone volunteers: ≥ 48 h in this community in the year (seed 003 附件4 第四条); only they redeem
love rewards (爱心回馈); mentoring newcomers (seed 001 §2(一))."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from community_helpers import local, town_for
from sqlalchemy import select

from engine.errors import Conflict, Forbidden
from engine.stages.rewards import service as rewards
from engine.stages.rewards.models import CatalogueItem
from plugins.community import backbone, mentoring
from plugins.community.models import Mentorship

D = Decimal
LOVE = "catalogue: [{code: haircut, title: 爱心理发 Haircut, cost: 10, love_reward: true}, {code: tea, title: 茶叶, cost: 10}]"


def hours(town, s, v, total_minutes: int, start: dt.datetime = local(2025, 2, 1, 8)) -> None:  # type: ignore[no-untyped-def]
    """Serve ``total_minutes`` in 4-hour records, one a week."""
    i = 0
    while total_minutes > 0:
        m = min(240, total_minutes)
        town.serve(s, v, start + dt.timedelta(days=7 * i), m)
        total_minutes -= m
        i += 1


def test_exactly_48_hours_makes_a_backbone_and_a_minute_less_does_not(eng, town) -> None:
    rules, tz = town.prog.rules, town.prog.config.timezone
    with eng.session() as s:
        a, b = town.volunteer(s, "甲"), town.volunteer(s, "乙")
        hours(town, s, a, 48 * 60)
        hours(town, s, b, 48 * 60 - 1)
        assert backbone.is_backbone(s, rules, tz, town.prog.id, a.id, 2025)
        assert not backbone.is_backbone(s, rules, tz, town.prog.id, b.id, 2025)
        assert [name for _, name, _ in backbone.backbone_volunteers(s, rules, tz, town.prog.id, 2025)] == ["甲"]
        assert not backbone.is_backbone(s, rules, tz, town.prog.id, a.id, 2026)  # a new year starts from zero


def test_the_year_boundary_is_local_midnight(eng, town) -> None:
    rules, tz = town.prog.rules, town.prog.config.timezone
    with eng.session() as s:
        v = town.volunteer(s)
        hours(town, s, v, 44 * 60)
        town.serve(s, v, local(2025, 12, 31, 20), 239)  # ends 23:59 on 31 December: 2025
        town.serve(s, v, local(2026, 1, 1, 0), 60)      # starts at midnight: 2026
        assert backbone.year_minutes(s, rules, tz, town.prog.id, v.id, 2025) == 44 * 60 + 239
        assert backbone.year_minutes(s, rules, tz, town.prog.id, v.id, 2026) == 60
        assert not backbone.is_backbone(s, rules, tz, town.prog.id, v.id, 2025)  # 47 h 59 min


def test_a_year_starting_in_july_moves_the_boundary(eng) -> None:
    town = town_for(eng, 'year_start: "07-01"\npoints: {reset: {year_start: "07-01"}}')
    rules, tz = town.prog.rules, town.prog.config.timezone
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 6, 30, 20), 60)
        town.serve(s, v, local(2025, 7, 1, 9), 60)
        assert backbone.year_minutes(s, rules, tz, town.prog.id, v.id, 2024) == 60
        assert backbone.year_minutes(s, rules, tz, town.prog.id, v.id, 2025) == 60


@pytest.fixture
def in_2025(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """"Now" is 1 August 2025 for the backbone rule (the current community year is 2025)."""
    now = local(2025, 8, 1, 10).astimezone(dt.UTC)
    monkeypatch.setattr(backbone, "utcnow", lambda: now)
    return now


def test_only_a_backbone_redeems_a_love_reward(eng, in_2025) -> None:
    town = town_for(eng, LOVE)
    with eng.session() as s:
        items = {i.code: i for i in s.scalars(select(CatalogueItem).where(CatalogueItem.programme_id == town.prog.id))}
        assert items["haircut"].flags == ["programme_yaml", "love_reward"]
        v = town.volunteer(s)
        hours(town, s, v, 47 * 60)  # twelve records, 47 h in 2025
        with pytest.raises(Forbidden, match=r"爱心回馈.*47\.00 小时"):
            rewards.redeem(s, town.prog, eng.host, v.id, items["haircut"].id, actor="coord1")
        rewards.redeem(s, town.prog, eng.host, v.id, items["tea"].id, actor="coord1")  # an ordinary item: fine
        town.serve(s, v, local(2025, 7, 30, 9), 60)  # the 48th hour
        row = rewards.redeem(s, town.prog, eng.host, v.id, items["haircut"].id, actor="coord1")
        assert row.cost == 10


def test_love_reward_is_checked_again_at_approval(eng, in_2025) -> None:
    town = town_for(eng, LOVE)
    with eng.session() as s:
        v = town.volunteer(s)
        hours(town, s, v, 48 * 60)
        item = s.scalars(select(CatalogueItem).where(CatalogueItem.code == "haircut")).one()
        row = rewards.redeem(s, town.prog, eng.host, v.id, item.id, actor="coord1")
        last = town.entries(s, v, kind="award")[-1].record_id
        from engine.stages.records.service import reverse_record

        reverse_record(s, town.prog, eng.host, last, reason="记录有误 wrong record", actor="coord1")  # now < 48 h
        result = rewards.fire_redemption(s, town.prog, eng.host, row.id, "approve", actor="coord1",
                                         roles=frozenset({"coordinator"}))
        assert not result.ok and "爱心回馈" in result.reasons[0]
        result = rewards.fire_redemption(s, town.prog, eng.host, row.id, "cancel", actor="coord1",
                                         roles=frozenset({"coordinator"}))
        assert result.ok and town.ledger_sum(s, v) == town.points(s, v)  # cancelled: the cost comes back


def test_mentoring_pairs_a_backbone_with_a_newcomer_and_pays_after_three_services(eng, town) -> None:
    with eng.session() as s:
        mentor, newcomer, other = town.volunteer(s, "李阿姨"), town.volunteer(s, "小王"), town.volunteer(s, "小赵")
        with pytest.raises(Conflict, match="不是骨干"):
            mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=local(2025, 7, 1, 9)), mentor.id, newcomer.id)
        hours(town, s, mentor, 48 * 60)
        pair = mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=local(2025, 7, 1, 9)), mentor.id, newcomer.id)
        with pytest.raises(Conflict, match="已有结对导师"):
            mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=local(2025, 7, 1, 9)), mentor.id, newcomer.id)
        before = town.points(s, mentor)
        town.serve(s, newcomer, local(2025, 7, 5, 9), 60)
        town.serve(s, newcomer, local(2025, 7, 12, 9), 60)
        assert town.points(s, mentor) == before
        town.serve(s, newcomer, local(2025, 7, 19, 9), 60)  # the third: the pairing succeeded
        assert town.points(s, mentor) == before + 10 and town.points(s, mentor, "lifetime_points") >= 10
        town.serve(s, newcomer, local(2025, 7, 26, 9), 60)
        assert town.points(s, mentor) == before + 10  # once per pairing
        s.refresh(pair)
        assert pair.status == "succeeded" and pair.bonus_entry_id is not None
        town.serve(s, other, local(2025, 7, 5, 9), 60)
        with pytest.raises(Conflict, match="不是新人"):
            mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=local(2025, 7, 6, 9)), mentor.id, other.id)


def test_a_mentor_holds_at_most_three_open_pairings(eng, town) -> None:
    with eng.session() as s:
        mentor = town.volunteer(s)
        hours(town, s, mentor, 48 * 60)
        when = local(2025, 7, 1, 9)
        for i in range(3):
            mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=when), mentor.id, town.volunteer(s, f"新人{i}").id)
        with pytest.raises(Conflict, match="上限 3 名"):
            mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=when), mentor.id, town.volunteer(s, "新人3").id)
        first = s.scalars(select(Mentorship).order_by(Mentorship.id)).first()
        mentoring.end(eng.host.context(s, town.prog, actor="coord1"), first.id)
        mentoring.pair(eng.host.context(s, town.prog, actor="coord1", now=when), mentor.id, town.volunteer(s, "新人4").id)
