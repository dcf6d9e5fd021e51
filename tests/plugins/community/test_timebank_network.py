"""The time bank (seed 001 §3(一) 与周边社区互认积分) and the station network (seed 001 §2(一))."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from community_helpers import local, town_for

from engine.errors import Conflict, NotFound
from engine.stages.records.portable import id_hash, import_document, key_id, parse_document
from engine.stages.rewards.ledger import balance_drift
from plugins.community import network, timebank
from plugins.community.models import TimeBankLeg

D = Decimal
PARTNERS = """
time_bank:
  community_code: haibin
  storage_cap: 100
  partners:
    - {code: xiashan, name: 霞山社区 Xiashan, rate: 0.8, min_balance: -50}
    - {code: chikan, name: 赤坎社区 Chikan}
"""


def legs(s, transfer) -> list[tuple[str, Decimal]]:  # type: ignore[no-untyped-def]
    return [(g.account, g.amount) for g in timebank.legs_of(s, transfer.id)]


def test_points_from_a_partner_arrive_at_its_rate_with_provenance(eng) -> None:
    town = town_for(eng, PARTNERS)
    with eng.session() as s:
        v = town.volunteer(s)
        t, created = timebank.inbound(eng.host.context(s, town.prog, actor="coord1"), partner="xiashan", source_ref="XS-2025-0042", volunteer_id=v.id, amount=D(25), earned_on=dt.date(2025, 4, 1))
        # 25 of theirs × 0.8 = 20 of ours; double entry: the volunteer +20, Xiashan's clearing account −20
        assert created and t.amount == D("20.00") and t.original_amount == D(25)
        assert legs(s, t) == [("partner:xiashan", D("-20.00")), (f"volunteer:{v.id}", D("20.00"))]
        entry = town.entries(s, v)[0]
        assert entry.kind == "transfer" and entry.data["source_ref"] == "XS-2025-0042" and entry.data["partner"] == "xiashan"
        again, created2 = timebank.inbound(eng.host.context(s, town.prog, actor="coord1"), partner="xiashan", source_ref="XS-2025-0042", volunteer_id=v.id, amount=D(25))
        assert not created2 and again.id == t.id and town.points(s, v) == D("20.00")  # never counted twice
        with pytest.raises(Conflict):
            timebank.inbound(eng.host.context(s, town.prog, actor="coord1"), partner="xiashan", source_ref="XS-2025-0042", volunteer_id=v.id, amount=D(30))
        with pytest.raises(Conflict, match="earned here"):
            timebank.inbound(eng.host.context(s, town.prog, actor="coord1"), partner="chikan", source_ref="CK-1", volunteer_id=v.id, amount=D(5), origin="haibin")
        with pytest.raises(NotFound):
            timebank.inbound(eng.host.context(s, town.prog, actor="coord1"), partner="nowhere", source_ref="1", volunteer_id=v.id, amount=D(5))
        assert town.points(s, v, "lifetime_points") == 0  # count_lifetime is off by default


def test_every_transfer_sums_to_zero_and_limits_hold(eng) -> None:
    town = town_for(eng, PARTNERS)
    with eng.session() as s:
        a, b = town.volunteer(s, "甲"), town.volunteer(s, "乙")
        town.serve(s, a, local(2025, 3, 1, 9), 240, "high_risk")  # 12 + 5 = 17
        t = timebank.person_transfer(eng.host.context(s, town.prog, actor="甲"), from_volunteer=a.id, to_volunteer=b.id, amount=D(7))
        assert sum(x for _, x in legs(s, t)) == 0 and town.points(s, a) == D(10) and town.points(s, b) == D(7)
        with pytest.raises(Conflict, match="余额不足"):
            timebank.person_transfer(eng.host.context(s, town.prog, actor="甲"), from_volunteer=a.id, to_volunteer=b.id, amount=D(11))
        # Xiashan's clearing account may go down to −50: 20 + 30 = 50 is the most it can send
        timebank.inbound(eng.host.context(s, town.prog, actor="c"), partner="xiashan", source_ref="1", volunteer_id=b.id, amount=D(25))
        timebank.inbound(eng.host.context(s, town.prog, actor="c"), partner="xiashan", source_ref="2", volunteer_id=b.id, amount=D("37.5"))
        with pytest.raises(Conflict, match="下限"):
            timebank.inbound(eng.host.context(s, town.prog, actor="c"), partner="xiashan", source_ref="3", volunteer_id=a.id, amount=D(1))
        # storage cap 100: b holds 7 + 20 + 30 = 57; 50 more from Chikan would be 107
        with pytest.raises(Conflict, match="储存上限"):
            timebank.inbound(eng.host.context(s, town.prog, actor="c"), partner="chikan", source_ref="9", volunteer_id=b.id, amount=D(50))
        out = timebank.outbound(eng.host.context(s, town.prog, actor="c"), volunteer_id=b.id, partner="xiashan", amount=D(10))
        assert out.source_ref == f"haibin:{out.id}" and town.points(s, b) == D(47)
        balances = {p["code"]: p["balance"] for p in timebank.partner_balances(s, town.prog)}
        assert balances == {"xiashan": D(-40), "chikan": D(0)}
        assert timebank.unbalanced_transfers(s, town.prog.id) == [] and balance_drift(s, town.prog.id) == []
        assert s.query(TimeBankLeg).count() == 2 * 4


def test_transferred_records_count_for_stars_but_bring_no_points(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        doc = parse_document({
            "format": "volunteer-engine/service-records", "version": 1, "issued_at": "2025-12-01T00:00:00+08:00",
            "issuer": {"name": "霞山社区志愿服务站"}, "programme": {"id": "xiashan", "name": "霞山"},
            "volunteer": {"name": v.name, "id_number_masked": "1101**", "id_hash": {"key_id": key_id(),
                                                                                   "value": id_hash(v.id_number)}},
            "records": [{"source_ref": "xiashan/7", "origin_org": "霞山社区志愿服务站", "category": "routine",
                         "started_at": "2025-03-01T09:00:00+08:00", "ended_at": "2025-03-01T13:00:00+08:00",
                         "minutes": 240, "captured": "checkin"}]})
        import_document(s, town.prog, eng.host, doc, actor="coord1")
        assert town.entries(s, v) == []  # its points travel through the time bank only


# ------------------------------------------------------------------ network
NETWORK = """
network:
  station: {code: haibin, name: 海滨社区志愿服务总站}
  grids:
    - code: g1
      name: 第一网格分站
      households: 420
      buildings: [{code: g1-b1, name: 1栋, households: 24}, {code: g1-b2, name: 2栋, households: 28}]
    - code: g2
      name: 第二网格分站
      households: 360
"""


def test_hours_roll_up_the_tree(eng) -> None:
    town = town_for(eng, NETWORK)
    with eng.session() as s:
        a = town.volunteer(s, "甲", node="g1-b1")
        b = town.volunteer(s, "乙", node="g2")
        c = town.volunteer(s, "丙")
        visits = town.project(s, "情暖夕阳", node="g1-b2")
        town.serve(s, a, local(2025, 3, 1, 9), 120)                           # node from a's enrolment: g1-b1
        town.serve(s, a, local(2025, 3, 2, 9), 60, project_id=visits.id)       # node from the project: g1-b2
        town.serve(s, b, local(2025, 3, 1, 9), 180)                            # g2
        town.serve(s, c, local(2025, 3, 1, 9), 30)                             # nowhere: the station's own
        assert network.minutes_by_grid(s, town.prog.id) == {"g1": 180, "g2": 180, network.UNASSIGNED: 30}
        tree = network.tree(s, town.prog)
        g1 = tree["children"][0]
        assert [n["code"] for n in g1["children"]] == ["g1-b1", "g1-b2"]
        assert g1["total"]["hours"] == 3.0 and g1["total"]["volunteers"] == 1
        assert tree["total"]["hours"] == 6.5 and tree["total"]["volunteers"] == 3
        assert network.check_node(network.node_codes(s, town.prog.id), "g3") != []


def test_reloading_the_programme_updates_the_network(eng) -> None:
    town = town_for(eng, NETWORK)
    from community_helpers import load

    load(eng, NETWORK.replace("    - code: g2\n      name: 第二网格分站\n      households: 360\n", ""))
    with eng.session() as s:
        assert network.node_codes(s, town.prog.id) == {"haibin", "g1", "g1-b1", "g1-b2"}


HOURS_BANK = """
time_bank:
  partners: [{code: nb, name: 邻近社区 Neighbour}]
  floor_hours: -10
  cap_hours: 20
  on_cap: overflow
  overflow_pool: 爱心池
"""


def test_a_community_keeps_hour_accounts_beside_its_partner_network(eng) -> None:
    """A community that runs a time bank in hours (南京 style: a cap, the rest to a donation pool)
    writes the engine's figures in its own ``time_bank`` beside its partner communities; without
    them it keeps only points, as before."""
    from engine.stages.rewards.timebank import balance

    town = town_for(eng, HOURS_BANK)
    assert [p.code for p in town.prog.rules.time_bank.partners] == ["nb"]  # the community's part
    assert town.prog.policy.time_bank.cap_hours == 20 and "time_bank" not in town.prog.shadowed  # the engine's
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2026, 3, 1, 8), 12 * 60)
        town.serve(s, v, local(2026, 3, 2, 8), 10 * 60)  # 22 h earned: 20 kept, 2 to the pool
        assert balance(s, town.prog.id, f"v:{v.id}")[0] == 20 and balance(s, town.prog.id, "pool:爱心池")[0] == 2
        assert town.points(s, v) > 0  # points are earned as before
    plain = town_for(eng, pid="plain")
    assert plain.prog.policy.time_bank is None  # the default community: its partner network only


def test_a_misspelt_hour_bank_key_is_named_with_the_engines_keys(eng) -> None:
    from engine.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        town_for(eng, HOURS_BANK.replace("floor_hours", "floor_hour"), pid="typo")
    (problem,) = info.value.problems
    assert problem.path == "rules.time_bank.floor_hour" and "did you mean 'floor_hours'" in problem.message
    assert "partners" in problem.expected and "overflow_pool" in problem.expected  # both owners' keys listed
