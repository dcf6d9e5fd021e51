"""Time-bank balances in the dry run of a rule change: a change of rounding, of the storage cap with
overflow, or of the floor shows which accounts change and by how much; applying writes adjusting
entries (the earlier entries stay exactly as they were) and a second dry run finds nothing.

Figures of real schemes: the Ferndale TimeBank on hOurworld rounds service up to the quarter hour
(52 minutes earn 1 hour, 1 h 10 min earn 1.25) and stops members at a debt of 10 hours; Nanjing's
time bank (2019) caps an account at 1,500 hours, the rest going to donation, and group service
only to donation."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from engine.rules.replay import apply_replay, replay_programme, to_csv
from engine.stages.rewards.models import TimeBankEntry
from engine.stages.rewards.timebank import balance, transfer

BEFORE = "rules:\n  time_bank:\n    partners: [east-village]\n    donate_only_categories: [group]\n"
FERNDALE = ("rules:\n  time_bank:\n    partners: [east-village]\n    donate_only_categories: [group]\n"
            "    rounding: {step: 0.25, mode: up}\n    floor_hours: -10\n")
NANJING = ("rules:\n  time_bank:\n    partners: [east-village]\n    donate_only_categories: [group]\n"
           "    cap_hours: 1500\n    on_cap: overflow\n    overflow_pool: 捐赠池\n")


def _changed(site, tmp_path, text):
    path = tmp_path / "changed.yaml"
    path.write_text(site.tmp.joinpath("rules-test.yaml").read_text(encoding="utf-8").replace(BEFORE, text),
                    encoding="utf-8")
    return site.eng.parse(path)


def _entries(s):
    return [(e.id, e.account, e.hours, e.kind) for e in s.scalars(select(TimeBankEntry).order_by(TimeBankEntry.id))]


def test_rounding_up_to_the_quarter_hour_changes_balances_and_applies_as_adjustments(eng, site, tmp_path):
    prog = site.load(BEFORE)
    with eng.session() as s:
        a, b, c = (site.volunteer(s).id for _ in range(3))
        site.serve(s, a, "2026-03-01 09:00", 52)   # 0.75 h rounded down; 1 h up (Ferndale's example)
        site.serve(s, b, "2026-03-01 09:00", 70)   # 1.00 h down; 1.25 h up
        site.serve(s, c, "2026-03-01 09:00", 60)   # 1 h either way
        transfer(s, prog, f"v:{b}", f"v:{c}", Decimal("0.5"), actor="b", reason="help")  # history stands
        s.commit()
        original = _entries(s)
    changed = _changed(site, tmp_path, FERNDALE)
    with eng.session() as s:
        report = replay_programme(s, prog, changed)
        bank = {x.account: x for x in report.bank}
        assert set(bank) == {f"v:{a}", f"v:{b}"}
        assert (bank[f"v:{a}"].before, bank[f"v:{a}"].after) == (Decimal("0.75"), Decimal("1.00"))
        assert (bank[f"v:{b}"].before, bank[f"v:{b}"].after) == (Decimal("0.50"), Decimal("0.75"))
        by = {ch.volunteer_id: ch for ch in report.changes}
        assert set(by) == {a, b} and by[a].hours_delta == 0  # only the bank changes
        assert report.summary()["timebank_hours_delta"] == "0.50"
        assert "bank_hours_delta" in to_csv(report).splitlines()[0]
        assert _entries(s) == original  # a dry run writes nothing

        log = apply_replay(s, prog, changed, actor="admin", reason="hOurworld quarter hours", host=eng.host)
        s.commit()
        assert log.summary["timebank_entries"] == 2
        assert balance(s, prog.id, f"v:{a}")[0] == 1 and balance(s, prog.id, f"v:{b}")[0] == Decimal("0.75")
        after = _entries(s)
        assert after[:len(original)] == original  # nothing edited …
        assert {(acc, hours, kind) for _, acc, hours, kind in after[len(original):]} == {
            (f"v:{a}", Decimal("0.25"), "adjustment"), (f"v:{b}", Decimal("0.25"), "adjustment")}  # … only added
        assert replay_programme(s, changed, changed).bank == []


def test_a_storage_cap_sends_the_excess_to_the_donation_pool_at_its_edge(eng, site, tmp_path):
    prog = site.load(BEFORE)
    with eng.session() as s:
        a, b, g = (site.volunteer(s).id for _ in range(3))
        transfer(s, prog, "partner:east-village", f"v:{a}", Decimal(1499), actor="hub", reason="moved in")
        transfer(s, prog, "partner:east-village", f"v:{b}", Decimal(1498), actor="hub", reason="moved in")
        site.serve(s, a, "2026-03-01 09:00", 120)  # 1499 + 2 = 1501: one hour over Nanjing's cap
        site.serve(s, b, "2026-03-01 09:00", 120)  # 1498 + 2 = 1500: exactly the cap, nothing over
        site.serve(s, g, "2026-03-01 09:00", 90, category="group")  # group service: donate-only either way
        s.commit()
    changed = _changed(site, tmp_path, NANJING)
    with eng.session() as s:
        bank = {x.account: x for x in replay_programme(s, prog, changed).bank}
        assert set(bank) == {f"v:{a}", "pool:捐赠池"}
        assert (bank[f"v:{a}"].before, bank[f"v:{a}"].after) == (Decimal(1501), Decimal(1500))
        assert bank["pool:捐赠池"].after == 1
        apply_replay(s, prog, changed, actor="admin", reason="Nanjing cap", host=eng.host)
        s.commit()
        assert balance(s, prog.id, f"v:{a}")[0] == 1500 and balance(s, prog.id, "pool:捐赠池")[0] == 1
        assert balance(s, prog.id, f"v:{g}") == (Decimal("1.5"), Decimal("1.5"))
        assert replay_programme(s, changed, changed).bank == []


def test_a_lower_floor_reports_transfers_now_below_it_and_undoes_nothing(eng, site, tmp_path):
    prog = site.load(BEFORE.replace("time_bank:\n", "time_bank:\n    floor_hours: -12\n"))
    with eng.session() as s:
        a, b = site.volunteer(s).id, site.volunteer(s).id
        transfer(s, prog, f"v:{a}", f"v:{b}", Decimal(11), actor="a", reason="moving house")  # −11: allowed at −12
        s.commit()
    text = site.tmp.joinpath("rules-test.yaml").read_text(encoding="utf-8").replace("floor_hours: -12",
                                                                                     "floor_hours: -10")
    path = tmp_path / "floor.yaml"
    path.write_text(text, encoding="utf-8")
    with eng.session() as s:
        report = replay_programme(s, prog, site.eng.parse(path))
        assert [(x.account, x.below_floor, x.delta) for x in report.bank] == [(f"v:{a}", 1, 0)]  # Ferndale's −10


def test_cli_prints_the_time_bank_table(eng, site, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from engine.cli import rules as cli_rules
    from engine.cli.main import app

    site.load(BEFORE)
    with eng.session() as s:
        a = site.volunteer(s).id
        site.serve(s, a, "2026-03-01 09:00", 52)
        s.commit()
    path = tmp_path / "ferndale.yaml"
    path.write_text(site.tmp.joinpath("rules-test.yaml").read_text(encoding="utf-8").replace(BEFORE, FERNDALE),
                    encoding="utf-8")
    monkeypatch.setattr(cli_rules, "_engine", lambda url: eng)
    result = CliRunner().invoke(app, ["rules", "replay", "rules-test", "--with", str(path)])
    assert result.exit_code == 0, result.output
    assert "Time bank" in result.output and f"v:{a}" in result.output and "+0.25" in result.output
