"""Rule packs: the shipped packs load and cite their sources; a programme selects one with
``rules.pack`` and overrides figures beside it; mistakes are reported at their line; a plugin
ships its own packs; ``volunteer rules list/show`` print them."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
import vol_plan_demo
from typer.testing import CliRunner

from engine import hookimpl
from engine.errors import ConfigError
from engine.plugins import default_host
from engine.rules.registry import load_packs
from engine.testing import temp_engine

SHIPPED = {"national-stars", "beijing-2020", "zhejiang-2018", "community-points-001", "zhanjiang-stations-2018"}


def test_every_shipped_pack_loads_and_cites_a_source():
    packs = load_packs(default_host())
    assert set(packs) >= SHIPPED
    for pack in packs.values():
        assert pack.meta.sources and all(src.title for src in pack.meta.sources)
    beijing = packs["beijing-2020"]
    assert beijing.lineage == ["beijing-2020", "national-stars"]
    assert [float(lv.hours) for lv in beijing.policy().levels.scheme] == [100, 300, 600, 1000, 1500]


def test_unknown_pack_lists_the_installed_ones(site):
    with pytest.raises(ConfigError) as exc:
        site.load("rules:\n  pack: shenzhen-9999\n")
    (p,) = exc.value.problems
    assert (p.line, p.path) == (7, "rules.pack")
    assert "national-stars" in p.expected and "unknown rule pack" in p.message


def test_overriding_a_figure_the_pack_lacks_is_an_error_at_its_line(site):
    with pytest.raises(ConfigError) as exc:
        site.load("rules:\n  pack: community-points-001\n  points:\n    per_hour:\n      medical: 2\n")
    (p,) = exc.value.problems
    assert (p.line, p.path) == (10, "rules.points.per_hour.medical")
    assert "high_risk, professional, routine" in p.expected


def test_overrides_change_only_what_they_name(site):
    prog = site.load("rules:\n  pack: community-points-001\n  points:\n    per_hour: {high_risk: 4}\n  min_helpers: 3\n")
    assert {k: int(v) for k, v in prog.policy.points.per_hour.items()} == {"routine": 1, "professional": 2,
                                                                           "high_risk": 4}
    assert prog.rules.min_helpers == 3  # the plan type's own rules still reach it
    assert prog.pack.name == "community-points-001"


def test_a_plugin_ships_packs(tmp_path: Path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "kunshan.yaml").write_text("""pack: test-city
version: "1"
title: 测试城市 Test city
sources: [{title: 测试文件 Test document, cites: 每小时 2 分}]
policy:
  points: {per_hour: {routine: 2}}
""", encoding="utf-8")
    mod = types.ModuleType("packs_plugin")
    mod.volunteer_rule_packs = hookimpl(lambda: str(folder))  # type: ignore[attr-defined]
    with temp_engine(tmp_path / "db", plugins=[("demo", vol_plan_demo), ("packs", mod)]) as eng:
        packs = load_packs(eng.host)
        assert packs["test-city"].file == "<plugin>/packs/kunshan.yaml"


def test_a_broken_pack_is_reported_at_its_line(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('pack: bad\nversion: "1"\ntitle: t\nsources: [{title: s}]\npolicy:\n  time_bank:\n'
                   '    floor_hours: -5\n    cap_hours: 1\n    on_cap: overflow\n', encoding="utf-8")
    mod = types.ModuleType("bad_packs")
    mod.volunteer_rule_packs = hookimpl(lambda: [str(bad)])  # type: ignore[attr-defined]
    with temp_engine(tmp_path / "db", plugins=[("demo", vol_plan_demo), ("bad", mod)]) as eng, \
            pytest.raises(ConfigError) as exc:
        load_packs(eng.host)
    assert "overflow_pool" in str(exc.value) and exc.value.problems[0].line == 6


def test_cli_lists_and_shows_packs_with_their_sources():
    from engine.cli.main import app

    runner = CliRunner()
    listed = runner.invoke(app, ["rules", "list"])
    assert listed.exit_code == 0 and "national-stars" in listed.output
    shown = runner.invoke(app, ["rules", "show", "community-points-001"])
    assert shown.exit_code == 0 and "seed 001" in shown.output and "high_risk: 3" in shown.output
    as_yaml = runner.invoke(app, ["rules", "show", "national-stars", "--yaml"])
    assert as_yaml.output.startswith("# national-stars") and "rules:\n  hours:" in as_yaml.output
    missing = runner.invoke(app, ["rules", "show", "nowhere"])
    assert missing.exit_code == 2 and "national-stars" in missing.output
