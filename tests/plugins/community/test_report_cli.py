"""The report sections and the ``volunteer community …`` commands."""

from __future__ import annotations

import json
from decimal import Decimal

import typer
from community_helpers import local, town_for
from typer.testing import CliRunner

from plugins.community.cli import register
from plugins.community.report import sections

D = Decimal
RULES = """
network:
  station: {code: haibin, name: 海滨社区志愿服务总站}
  grids:
    - {code: g1, name: 第一网格分站, households: 420, buildings: [{code: g1-b1, name: 1栋, households: 24}]}
    - {code: g2, name: 第二网格分站, households: 360}
catalogue: [{code: tea, title: 茶叶 Tea, cost: 10}]
"""


def test_report_sections(eng) -> None:
    town = town_for(eng, RULES)
    with eng.session() as s:
        a = town.volunteer(s, "甲", node="g1-b1")
        b = town.volunteer(s, "乙", node="g2")
        for i in range(12):  # 12 × 4 h = 48 h: a backbone volunteer of the current year
            town.serve(s, a, local(2026, 1, 3, 8) + (local(2026, 1, 10, 8) - local(2026, 1, 3, 8)) * i, 240)
        town.serve(s, b, local(2026, 2, 1, 9), 180, "professional")
        from engine.stages.rewards import service as rewards
        from engine.stages.rewards.models import CatalogueItem

        item = s.query(CatalogueItem).filter_by(code="tea").one()
        rewards.redeem(s, town.prog, eng.host, b.id, item.id, actor="coord1")
        answer = eng.host.call_flat("volunteer_report_sections", plan_type=town.prog.plan_type_id,
                                    programme=town.prog, session=s)
        points, stars, hours = sections(s, town.prog)
    assert [x.title for x in answer] == [points.title, stars.title, hours.title]
    # 甲: 48 × 1 + 5 + 10 (ten in a row) = 63; 乙: 3 × 2 + 5 = 11; 乙 redeems 10
    assert points.figures["积分发放 points issued"] == D("74.00")
    assert points.figures["其中奖励 of which bonuses"] == D("20.00")
    assert points.figures["积分兑换 points redeemed"] == D("10.00")
    assert points.figures["可用积分余额 points outstanding"] == D("64.00")
    assert hours.figures["总时长（小时）total hours"] == 51.0
    assert ["category 类别", "professional", 3.0] in hours.rows and ["category 类别", "routine", 48.0] in hours.rows
    assert ["grid 网格", "第一网格分站", 48.0] in hours.rows and ["grid 网格", "第二网格分站", 3.0] in hours.rows
    assert stars.rows[0] == ["一星志愿者 1-star", 100.0, 0]
    assert all(x.source == "community" for x in answer)
    # the backbone list is of the current community year, whatever year the suite runs in
    assert stars.figures["骨干门槛（小时）backbone threshold (h)"] == 48.0


def test_cli_reset_points_is_idempotent_and_standing_prints_json(eng) -> None:
    town = town_for(eng)
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 6, 1, 9), 60)
    root = typer.Typer()
    register(root)
    runner = CliRunner()
    url = eng.db.engine.url.render_as_string(hide_password=False)
    first = runner.invoke(root, ["community", "reset-points", town.prog.id, "--year", "2026", "--database-url", url])
    assert first.exit_code == 0, first.output
    assert "2026: reset" in first.output and "1 volunteer(s), 6.00 points" in first.output
    again = runner.invoke(root, ["community", "reset-points", town.prog.id, "--year", "2026", "--database-url", url])
    assert again.exit_code == 0 and "already reset" in again.output
    shown = runner.invoke(root, ["community", "standing", town.prog.id, str(v.id), "--database-url", url])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["lifetime_points"] == "6.00"
    missing = runner.invoke(root, ["community", "standing", "nope", "1", "--database-url", url])
    assert missing.exit_code == 1 and "no programme 'nope'" in missing.output
