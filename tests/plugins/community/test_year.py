"""A volunteer's year in the example programme, every balance checked against a hand computation.

李阿姨 (Auntie Li) serves at 海滨社区 in 2026 (examples/community.yaml): fourteen services of every
category, one rated five stars; the first-service and ten-in-a-row bonuses; she mentors a newcomer;
her 48th hour here makes her a backbone volunteer and, with 52 hours transferred from another
station, her 100th hour a one-star volunteer; she redeems a love reward; an appeal corrects one
entry; the yearly reset takes what is left of her spendable points and leaves her lifetime points.

Rules (seed 001 §1(一)(三), §2(一); seed 003 附件4 第四条), with the example's category map:
elderly_care and cleaning are routine (1 point an hour), tutoring professional (2), emergency high-risk (3).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from community_helpers import EXAMPLE, Town, local
from sqlalchemy import select

from engine.errors import Forbidden
from engine.rules.replay import replay_programme
from engine.stages.records.models import VolunteerTotal
from engine.stages.records.portable import id_hash, import_document, key_id, parse_document
from engine.stages.rewards import service as rewards
from engine.stages.rewards.models import CatalogueItem, Honour
from plugins.community import appeals, backbone, mentoring
from plugins.community.reset import reset_points
from plugins.community.standing import standing

D = Decimal

#   #  date        category      hours  points (hours × rate)
SERVICES = [
    (1, (1, 4), "elderly_care", 240, None),   # 4 h × 1 = 4.00   (+5 first service)
    (2, (1, 18), "elderly_care", 240, None),  # 4 h × 1 = 4.00
    (3, (2, 1), "tutoring", 180, None),       # 3 h × 2 = 6.00   四点半课堂
    (4, (2, 15), "tutoring", 180, None),      # 3 h × 2 = 6.00
    (5, (3, 1), "emergency", 120, None),      # 2 h × 3 = 6.00   防汛
    (6, (3, 15), "elderly_care", 240, 5),     # 4 h × 1 = 4.00   (+0.40: five stars, 10 %)
    (7, (3, 29), "tutoring", 180, None),      # 3 h × 2 = 6.00   ← appealed below
    (8, (4, 12), "cleaning", 240, None),      # 4 h × 1 = 4.00   洁净社区
    (9, (4, 26), "cleaning", 240, None),      # 4 h × 1 = 4.00
    (10, (5, 10), "tutoring", 180, None),     # 3 h × 2 = 6.00   (+10: the 10th service in a row)
    (11, (5, 24), "elderly_care", 270, None), # 4.5 h × 1 = 4.50
    (12, (6, 7), "cleaning", 240, None),      # 4 h × 1 = 4.00
    (13, (6, 21), "emergency", 180, None),    # 3 h × 3 = 9.00
    (14, (7, 5), "elderly_care", 150, None),  # 2.5 h × 1 = 2.50  → 48.0 h in 2026: backbone
]
# hours: 4+4+3+3+2+4+3+4+4+3+4.5+4+3+2.5 = 48.0
# points for the services: 4+4+6+6+6+4+6+4+4+6+4.5+4+9+2.5 = 70.00


def transferred_hours(vol) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """52 h Li served at 椰林社区 in 2025 (13 × 4 h), as that station's portable record document."""
    start = dt.datetime(2025, 3, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    records = [{"source_ref": f"yelin-2025/{i}", "origin_org": "椰林社区志愿服务站", "category": "elderly_care",
                "started_at": (start + dt.timedelta(days=7 * i)).isoformat(),
                "ended_at": (start + dt.timedelta(days=7 * i, hours=4)).isoformat(), "minutes": 240,
                "captured": "checkin"} for i in range(13)]
    return {"format": "volunteer-engine/service-records", "version": 1, "issued_at": "2025-12-31T10:00:00+08:00",
            "issuer": {"name": "椰林社区志愿服务站"}, "programme": {"id": "yelin-2025", "name": "椰林社区"},
            "volunteer": {"name": vol.name, "id_number_masked": "4408**",
                          "id_hash": {"key_id": key_id(), "value": id_hash(vol.id_number)}},
            "records": records}


def test_a_volunteers_year(eng, monkeypatch: pytest.MonkeyPatch) -> None:
    prog = eng.load(EXAMPLE)
    town = Town(eng, prog)
    august = local(2026, 8, 1, 10).astimezone(dt.UTC)
    monkeypatch.setattr(backbone, "utcnow", lambda: august)  # "now", for the backbone rule, is 1 August 2026
    rules, tz = prog.rules, prog.config.timezone
    with eng.session() as s:
        li = town.volunteer(s, "李阿姨", node="g1-b1")
        wang = town.volunteer(s, "小王", node="g1-b1")

        # 52 hours from another station: they count for stars, never for points here
        import_document(s, prog, eng.host, parse_document(transferred_hours(li)), actor="coord1")
        assert town.points(s, li) == 0

        records = {}
        for n, (month, day), category, minutes, rating in SERVICES:
            records[n] = town.serve(s, li, local(2026, month, day, 9), minutes, category, rating=rating)
            if n == 13:
                assert not backbone.is_backbone(s, rules, tz, prog.id, li.id, 2026)  # 45.5 h
        # backbone: exactly 48 h here in 2026 (2880 minutes)
        assert backbone.year_minutes(s, rules, tz, prog.id, li.id, 2026) == 48 * 60
        assert backbone.is_backbone(s, rules, tz, prog.id, li.id, 2026)

        # 70.00 for the services + 0.40 five-star share + 5 first service + 10 for ten in a row = 85.40
        assert town.points(s, li) == D("85.40") == town.points(s, li, "lifetime_points")
        bonuses = sorted((e.amount, e.ref.split(":")[0]) for e in town.entries(s, li, kind="bonus"))
        assert bonuses == [(D("5.00"), "first"), (D("10.00"), "streak")]
        # the five-star shares: entries of kind award beside the record's points (a reversal takes them too)
        shares = [e.amount for e in town.entries(s, li, kind="award") if (e.ref or "").startswith("rating:")]
        assert sum(shares) == D("0.40")

        # star: 52 h transferred + 48 h here = 100 h → one star (national preset: 100/300/600/1000/1500)
        level = s.scalar(select(VolunteerTotal.level).where(VolunteerTotal.volunteer_id == li.id))
        assert level == "一星志愿者 1-star"
        assert s.scalars(select(Honour.title).where(Honour.volunteer_id == li.id)).all() == ["一星志愿者 1-star"]

        # mentoring: Li (a backbone) takes 小王; his third service succeeds the pairing: Li +10
        mentoring.pair(eng.host.context(s, prog, actor="coord1", now=local(2026, 7, 10, 9)), li.id, wang.id)
        for day in (12, 19, 26):
            town.serve(s, wang, local(2026, 7, day, 9), 120, "elderly_care")
        # 85.40 + 10 = 95.40
        assert town.points(s, li) == D("95.40") == town.points(s, li, "lifetime_points")
        # 小王: 3 × 2 h × 1 = 6 + 5 first service = 11
        assert town.points(s, wang) == D("11.00")

        # redemption of a love reward (only backbones): 子女暑期托管优先, 80 points → 95.40 − 80 = 15.40
        item = s.scalars(select(CatalogueItem).where(CatalogueItem.code == "summer-care")).one()
        with pytest.raises(Forbidden, match="爱心回馈"):  # 小王 has 6 h here: not a backbone volunteer
            rewards.redeem(s, prog, eng.host, wang.id, item.id, actor="coord1")
        row = rewards.redeem(s, prog, eng.host, li.id, item.id, actor="coord1")
        for trigger in ("approve", "fulfil"):
            assert rewards.fire_redemption(s, prog, eng.host, row.id, trigger, actor="coord1",
                                           roles=frozenset({"coordinator"})).ok
        assert town.points(s, li) == D("15.40")
        assert town.points(s, li, "lifetime_points") == D("95.40")  # spending does not lower lifetime points

        # appeal: service 7 was flood-relief escort, high-risk: 3 h × 3 = 9.00 instead of 6.00
        entry = next(e for e in town.entries(s, li, kind="award") if e.record_id == records[7].id)
        assert entry.amount == D("6.00")
        ap = appeals.file_appeal(eng.host.context(s, prog, actor="li", now=local(2026, 8, 15, 9)), entry_id=entry.id, volunteer_id=li.id, reason="3 月 29 日为防汛转移护送，属高风险服务", claimed_amount=D(9))
        assert ap.period == "2026Q3" and ap.review_by == dt.date(2026, 9, 30)  # the quarterly review
        board = frozenset({"review_board"})
        assert appeals.fire(eng.host.context(s, prog, actor="board1", roles=board), ap.id, "review").ok
        assert appeals.fire(eng.host.context(s, prog, actor="board1", roles=board), ap.id, "correct", payload={"note": "核实为防汛转移 verified", "corrected_amount": "9.00"}).ok
        # +9.00 correction, −6.00 reversal: 15.40 + 3 = 18.40; lifetime 95.40 + 3 = 98.40
        assert town.points(s, li) == D("18.40")
        assert town.points(s, li, "lifetime_points") == D("98.40")

        mine = standing(eng.host.context(s, prog, now=august), li.id)
        assert (mine["backbone"], mine["hours_this_year"], mine["level"]) == (True, 48.0, "一星志愿者 1-star")
        assert mine["next_level"] == "二星志愿者 2-star" and mine["hours_to_next_level"] == 200.0

        # the yearly reset at the start of 2027 takes the spendable 18.40; lifetime points stay
        marker, ran = reset_points(eng.host.context(s, prog, actor="admin1", now=local(2027, 1, 2, 9)), 2027)
        assert ran and marker.volunteers == 2  # Li and 小王
        assert [e.amount for e in town.entries(s, li, kind="reset")] == [D("-18.40")]
        assert town.points(s, li) == 0
        assert town.points(s, li, "lifetime_points") == D("98.40")
        assert town.points(s, wang) == 0 and town.points(s, wang, "lifetime_points") == D("11.00")
        for v in (li, wang):
            assert town.ledger_sum(s, v) == town.points(s, v)

        # one source of truth: replaying the year under the programme's own rules changes nothing (the
        # engine's rules.points recomputes what the ledger holds; mentoring, the appeal's correction,
        # the redemption and the reset are left as they were)
        assert replay_programme(s, prog, prog).changes == []
