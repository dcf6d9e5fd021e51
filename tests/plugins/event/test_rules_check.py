"""`volunteer check` on an event programme's own rules: each mistake at its key and line, in Chinese
and English (they were reported at `rules:` in English only); incident timers merge key by key
over the defaults (writing one level no longer switches the others' timers off)."""

from __future__ import annotations

from pathlib import Path

import pytest
from event_helpers import in_service

from engine.config import check_files
from engine.testing import frozen_clock, tick

ROOT = Path(__file__).resolve().parents[3]
MARATHON = (ROOT / "examples" / "event-marathon.yaml").read_text(encoding="utf-8")
GAMES = (ROOT / "examples" / "event-asian-games.yaml").read_text(encoding="utf-8")


def problems(eng, tmp_path: Path, text: str) -> list:  # type: ignore[no-untyped-def]
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    return check_files([f], eng.host)[str(f)]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.mark.parametrize(("base", "old", "new", "path", "zh"), [  # the line: of `new`, or of the key named last
    (GAMES, "eligibility_pack: beijing-2022-games", "eligibility_pack: hangzhou-2022", "rules.eligibility_pack",
     "没有名为 'hangzhou-2022' 的资格条件包"),
    (MARATHON, "    ends_on: 2018-03-25", "    ends_on: 2018-03-24", "rules.event.ends_on", "早于开始日"),
    (GAMES, "{code: zjut, name: 浙江工业大学", "{code: zju, name: 浙江工业大学", "rules.units", "第 2 个单位的代码 'zju'"),
    (MARATHON, "{ordinary: 3, team_leader: 5", "{ordinary: 0, team_leader: 5", "rules.incidents.ack_minutes.ordinary",
     "数值太小"),
])
def test_each_mistake_at_its_key_and_line(eng, tmp_path, base, old, new, path, zh) -> None:  # type: ignore[no-untyped-def]
    text = base.replace(old, new)
    [p] = problems(eng, tmp_path, text)
    key = new if path != "rules.units" else "  units:"   # a repeated unit: at `units:`, the message names which
    assert (p.path, p.line) == (path, line_of(text, key)), p
    assert zh in p.message


def test_one_level_written_keeps_the_other_timers(eng) -> None:  # type: ignore[no-untyped-def]
    from engine.sdk.incidents import report_incident

    text = MARATHON.replace("{ordinary: 3, team_leader: 5, group_head: 10}", "{ordinary: 3, group_head: null}")
    prog = eng.load(text, filename="m.yaml")
    assert prog.rules.incidents.timers() == {"ordinary": 3, "team_leader": 10}
    in_service(eng, prog)
    with frozen_clock("2018-03-25T08:00:00+08:00") as clock:
        with eng.session() as s:
            ctx = eng.host.context(s, eng.programme(prog.id, s), actor="vol1", roles=("volunteer",))
            inc = report_incident(ctx, "medical", "跑者抽筋 / cramp")
            s.commit()
        clock.advance(minutes=3 + 10)
        tick(eng, programme_ids=[prog.id], deliver=False)
        clock.advance(hours=1)
        tick(eng, programme_ids=[prog.id], deliver=False)   # group_head: null — it stays there
        with eng.session() as s:
            from engine.sdk.tables import Incident

            assert s.get(Incident, inc.id).level == "group_head"


def test_defaults_impose_no_towns_rules(eng) -> None:  # type: ignore[no-untyped-def]
    """Without a pack, eligibility is the law's floor (18) only: seed 004's 65 and residence were the
    defaults, so a marathon file silently refused a 70-year-old runner-turned-volunteer from out of town."""
    import datetime as dt

    from plugins.event.eligibility import reasons

    text = ("id: fun-run\nname: 城市欢乐跑 Fun run\nplan_type: event\norganisation: {name: 组委会}\n"
            "period: {start: 2018-01-01, end: 2018-12-31}\nrules:\n  event: {starts_on: 2018-03-25}\n")
    e = eng.load(text, filename="fun.yaml").rules.eligibility
    assert (e.max_age, e.residence) == (None, None)
    assert reasons(e, birth_date=dt.date(1948, 1, 1), on=dt.date(2018, 3, 25), available_days=1,
                   resident_months=None, local_household=False) == []
