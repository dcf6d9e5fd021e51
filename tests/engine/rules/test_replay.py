"""Dry run of a rule change against the stored history: who changes and by how much, nothing
written; applying it writes adjusting records and ledger entries (logged), after which the
figures are those the dry run announced and a second dry run finds nothing to change. Through
the library, the CLI and the admin API."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from tests_support import make_users
from typer.testing import CliRunner

from engine.rules.replay import apply_replay, replay_programme, to_csv
from engine.stages.records.models import ServiceRecord
from engine.stages.records.service import reverse_record, totals_match_cache, volunteer_totals
from engine.stages.rewards.ledger import balance_drift, balance_of
from engine.stages.rewards.models import LedgerEntry, RuleChange

BEFORE = "rules:\n  pack: national-stars\n  points: {per_hour: {routine: 1}}\n"
AFTER = ("rules:\n  pack: national-stars\n  points: {per_hour: {routine: 2}, bonuses: {first_service: 5}}\n"
         "  hours:\n    rounding: {step: 15, mode: up}\n  levels:\n    scheme: [{name: 一星志愿者 1-star, hours: 2}]\n")


def _history(eng, site):
    prog = site.load(BEFORE)
    with eng.session() as s:
        a, b, c = site.volunteer(s), site.volunteer(s), site.volunteer(s)
        site.serve(s, a.id, "2026-03-01 09:00", 61)   # 61 → 75 under the change
        site.serve(s, a.id, "2026-03-02 09:00", 60)   # stays 60
        site.serve(s, b.id, "2026-03-01 09:00", 60)   # stays; only points change
        r = site.serve(s, c.id, "2026-03-01 09:00", 50)
        reverse_record(s, prog, eng.host, r.id, reason="wrong day", actor="coord")  # the pair nets to 0 both ways
        s.commit()
        return prog, a.id, b.id, c.id


def _changed(site, tmp_path):
    path = tmp_path / "changed.yaml"
    path.write_text(site.tmp.joinpath("rules-test.yaml").read_text(encoding="utf-8").replace(BEFORE, AFTER),
                    encoding="utf-8")
    return path, site.eng.parse(path)


def test_dry_run_reports_who_changes_and_writes_nothing(eng, site, tmp_path):
    prog, a, b, _ = _history(eng, site)
    _, changed = _changed(site, tmp_path)
    with eng.session() as s:
        n_records = s.scalar(select(func.count()).select_from(ServiceRecord))
        n_entries = s.scalar(select(func.count()).select_from(LedgerEntry))
        report = replay_programme(s, prog, changed)
        by = {ch.volunteer_id: ch for ch in report.changes}
        assert set(by) == {a, b}  # c's reversed record counts nothing before or after
        assert (by[a].minutes_before, by[a].minutes_after) == (121, 135)
        assert (by[a].level_before, by[a].level_after) == (None, "一星志愿者 1-star")
        assert (by[a].points_before, by[a].points_after) == (Decimal("2.02"), Decimal("9.50"))  # 2.25 h × 2 + 5
        assert (by[b].hours_delta, by[b].points_delta) == (0, Decimal(6))
        assert report.summary()["levels_changed"] == 1
        csv_text = to_csv(report)
        assert csv_text.splitlines()[0].startswith("volunteer_id,hours_before,hours_after,hours_delta")
        assert len(csv_text.splitlines()) == 3
        s.rollback()
        assert s.scalar(select(func.count()).select_from(ServiceRecord)) == n_records
        assert s.scalar(select(func.count()).select_from(LedgerEntry)) == n_entries


def test_applying_writes_adjusting_entries_and_a_second_replay_is_empty(eng, site, tmp_path):
    prog, a, _, _ = _history(eng, site)
    _, changed = _changed(site, tmp_path)
    with eng.session() as s:
        log = apply_replay(s, prog, changed, actor="admin", reason="2027 rules", host=eng.host)
        s.commit()
        assert log.summary["adjusted_records"] == 1 and log.summary["ledger_entries"] == 2
        assert volunteer_totals(s, changed, a)["minutes"] == 135
        assert volunteer_totals(s, changed, a)["records"] == 2  # an adjustment is no new record
        assert balance_of(s, prog.id, a, "points") == Decimal("9.50")
        assert totals_match_cache(s, changed) == [] and balance_drift(s, prog.id) == []
        assert replay_programme(s, changed, changed).changes == []
        assert s.scalar(select(RuleChange.reason)) == "2027 rules"


def test_cli_replay_prints_the_table_and_writes_csv(eng, site, tmp_path, monkeypatch):
    from engine.cli import rules as cli_rules
    from engine.cli.main import app

    _history(eng, site)
    path, _ = _changed(site, tmp_path)
    monkeypatch.setattr(cli_rules, "_engine", lambda url: eng)
    out = tmp_path / "changes.csv"
    result = CliRunner().invoke(app, ["rules", "replay", "rules-test", "--with", str(path), "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 人变化" in result.output and len(out.read_text(encoding="utf-8").splitlines()) == 3
    refused = CliRunner().invoke(app, ["rules", "replay", "rules-test", "--with", str(path), "--apply"])
    assert refused.exit_code == 2 and "--reason" in refused.output


def test_admin_api_replays_and_applies_others_are_refused(eng, site, tmp_path, api):
    prog, a, _, _ = _history(eng, site)
    path, _ = _changed(site, tmp_path)
    make_users(eng, prog.id, {"admin": "boss", "coordinator": "coord"})
    text = path.read_text(encoding="utf-8")
    assert api.as_("coord").post(f"/programmes/{prog.id}/rules/replay", json={"programme_yaml": text}).status_code == 403
    http = api.as_("boss")
    r = http.post(f"/programmes/{prog.id}/rules/replay", json={"programme_yaml": text})
    assert r.status_code == 200 and r.json()["summary"]["changed"] == 2
    csv = http.post(f"/programmes/{prog.id}/rules/replay?format=csv", json={"programme_yaml": text})
    assert csv.headers["content-type"].startswith("text/csv") and "volunteer_id" in csv.text
    bad = http.post(f"/programmes/{prog.id}/rules/replay",
                    json={"programme_yaml": text.replace("national-stars", "nowhere")})
    assert bad.status_code == 422 and "national-stars" in bad.text
    done = http.post(f"/programmes/{prog.id}/rules/replay",
                     json={"programme_yaml": text, "apply": True, "reason": "new year"})
    assert done.status_code == 200 and done.json()["rule_change_id"]
    again = http.post(f"/programmes/{prog.id}/rules/replay", json={"programme_yaml": text})
    assert again.json()["summary"]["changed"] == 0
    level = http.get(f"/programmes/{prog.id}/levels/{a}").json()
    assert (level["level"], level["hours"], level["top"]) == ("一星志愿者 1-star", 2.25, True)
