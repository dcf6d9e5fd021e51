"""Level schemes with the national star figures (100/300/600/1000/1500 h) and their edges:
repeats after the top, nomination-only levels, the previous level first, annual batches, honours
dated by when they were earned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from engine.errors import Forbidden
from engine.rules import levels as L
from engine.rules.models import LevelsPolicy
from engine.stages.rewards.level_policy import nominate, run_level_batch, standing
from engine.stages.rewards.models import Honour

NATIONAL = [{"name": f"{i}星", "hours": h} for i, h in zip(range(1, 6), (100, 300, 600, 1000, 1500), strict=True)]


def scheme(**kw) -> LevelsPolicy:
    return LevelsPolicy.model_validate({"scheme": NATIONAL, **kw})


@pytest.mark.parametrize(("minutes", "level"), [(5999, None), (6000, "1星"), (89999, "4星"), (90000, "5星")])
def test_national_thresholds(minutes, level):
    got = L.decide(scheme(), minutes)
    assert (got.name if got else None) == level


def test_repeating_every_300_hours_after_the_top_always_has_a_next_level():
    pol = scheme(repeat={"every": 300, "name": "{top} +{n}"})
    assert L.decide(pol, 1799 * 60).name == "5星"
    assert L.decide(pol, 1800 * 60).name == "5星 +1"
    assert L.decide(pol, 2400 * 60).name == "5星 +3"
    nxt, hours = L.next_step(pol, 2400 * 60)
    assert (nxt.name, hours) == ("5星 +4", Decimal("300.00"))
    top, zero = L.next_step(scheme(), 5000 * 60)
    assert (top, zero) == (None, 0)


def test_nomination_only_level_is_skipped_or_blocks_under_previous_required():
    levels = [dict(lv) for lv in NATIONAL]
    levels[2]["nomination"] = True  # 3 stars only when nominated
    free = LevelsPolicy.model_validate({"scheme": levels})
    strict = LevelsPolicy.model_validate({"scheme": levels, "previous_required": True})
    assert L.decide(free, 1000 * 60).name == "4星"
    assert L.decide(strict, 1000 * 60).name == "2星"
    assert L.decide(strict, 1000 * 60, {"3星"}).name == "4星"


def test_an_application_for_a_higher_level_is_refused_without_the_one_below():
    pol = scheme(previous_required=True)
    assert L.may_nominate(pol, "2星", set()) is not None
    assert L.may_nominate(pol, "2星", {"1星"}) is None
    assert L.may_nominate(pol, "1星", set()) is None
    assert "no level" in L.may_nominate(pol, "6星", set())


def test_out_of_order_levels_are_refused_at_their_line(site):
    from engine.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        site.load("rules:\n  levels:\n    scheme:\n      - {name: a, hours: 300}\n      - {name: b, hours: 100}\n")
    assert exc.value.problems[0].line == 8 and "lowest hours" in exc.value.problems[0].message


def test_honour_is_dated_the_day_the_hours_were_reached(eng, site):
    prog = site.load("rules:\n  pack: national-stars\n")
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-02-01 00:00", 20 * 60)
        for day in range(2, 6):
            site.serve(s, v.id, f"2026-02-0{day} 00:00", 20 * 60)  # 100 h reached on 02-05
        honour = s.scalar(select(Honour).where(Honour.volunteer_id == v.id))
        assert (honour.title, honour.awarded_on) == ("一星志愿者 1-star", dt.date(2026, 2, 5))
        assert standing(s, prog, v.id)["next_level"] == "二星志愿者 2-star"


def test_nomination_for_a_higher_level_is_refused_until_the_lower_is_awarded(eng, site):
    prog = site.load("""rules:
  pack: national-stars
  levels:
    scheme:
      - {name: 一星, hours: 1}
      - {name: 二星, hours: 2, nomination: true}
""")
    with eng.session() as s:
        v = site.volunteer(s)
        with pytest.raises(Forbidden, match="须先获得 一星"):
            nominate(s, prog, eng.host, v.id, "二星", actor="admin")
        site.serve(s, v.id, "2026-03-01 08:00", 180)
        assert standing(s, prog, v.id)["level"] == "一星"  # 3 h, but 二星 needs a nomination
        nominate(s, prog, eng.host, v.id, "二星", actor="admin")
        assert standing(s, prog, v.id)["level"] == "二星"


def test_annual_batch_counts_hours_up_to_the_cutoff(eng, site):
    prog = site.load("""rules:
  levels:
    batch: {cutoff: "10-31"}
    scheme: [{name: 一星, hours: 10}, {name: 二星, hours: 20}]
""")
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-10-30 08:00", 12 * 60)
        site.serve(s, v.id, "2026-11-02 08:00", 12 * 60)  # after the cut-off: next year's batch
        assert standing(s, prog, v.id)["level"] is None  # nothing until the batch runs
        risen = run_level_batch(s, prog, eng.host, 2026, actor="admin")
        assert risen == [{"volunteer_id": v.id, "from": None, "to": "一星", "earned_on": "2026-10-30"}]
        assert run_level_batch(s, prog, eng.host, 2026, actor="admin") == []
        assert run_level_batch(s, prog, eng.host, 2027, actor="admin")[0]["to"] == "二星"


def test_a_yearly_batch_counts_only_that_years_hours_and_awards_again_each_year(eng, site):
    """启东 (2019): 一年内服务满 100…1500 小时 — stars for one year's hours, given again the next year."""
    prog = site.load("""rules:
  levels:
    batch: {cutoff: "06-30", hours: year}
    scheme: [{name: 一星, hours: 10}, {name: 二星, hours: 20}]
""")
    with eng.session() as s:
        v, w = site.volunteer(s), site.volunteer(s)
        site.serve(s, v.id, "2026-03-01 08:00", 12 * 60)  # batch 2026 (07-01-2025 … 06-30-2026)
        site.serve(s, v.id, "2026-08-01 08:00", 12 * 60)  # batch 2027
        site.serve(s, w.id, "2026-04-01 08:00", 13 * 60)  # only in batch 2026
        site.serve(s, w.id, "2026-04-02 08:00", 12 * 60)
        assert [r["to"] for r in run_level_batch(s, prog, eng.host, 2026, actor="admin")] == ["一星", "二星"]
        risen = run_level_batch(s, prog, eng.host, 2027, actor="admin")
        # cumulative hours would make v 二星 (24 h); the year's 12 h give 一星 again, and w holds none this year
        assert risen == [{"volunteer_id": v.id, "from": "一星", "to": "一星", "earned_on": "2026-08-01"}]
        assert run_level_batch(s, prog, eng.host, 2027, actor="admin") == []
        honours = s.execute(select(Honour.title, Honour.evidence).where(Honour.volunteer_id == v.id)).all()
        assert sorted((t, e["batch"]) for t, e in honours) == [("一星", 2026), ("一星", 2027)]
        assert standing(s, prog, w.id)["level"] is None
        assert standing(s, prog, v.id)["level_hours"] == 12.0  # this batch year's hours, whichever it is


def test_a_cumulative_batch_keeps_counting_every_hour(eng, site):
    prog = site.load("""rules:
  levels:
    batch: {cutoff: "06-30"}
    scheme: [{name: 一星, hours: 10}, {name: 二星, hours: 20}]
""")
    with eng.session() as s:
        v = site.volunteer(s)
        site.serve(s, v.id, "2026-03-01 08:00", 12 * 60)
        site.serve(s, v.id, "2026-08-01 08:00", 12 * 60)
        assert run_level_batch(s, prog, eng.host, 2026, actor="admin")[0]["to"] == "一星"
        assert run_level_batch(s, prog, eng.host, 2027, actor="admin")[0]["to"] == "二星"
