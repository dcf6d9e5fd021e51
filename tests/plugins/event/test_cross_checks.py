"""`volunteer check` across an event file's sections: the event's days against the duty window, a
minimum age below 18 without minors admitted, incident timers off the escalation path — each at
its key and line, in Chinese and English, and the file is refused (these passed `check` before)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.config import check_files
from engine.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]
MARATHON = (ROOT / "examples" / "event-marathon.yaml").read_text(encoding="utf-8")
WINDOW = "    duty_window: {event_start: 2018-03-25, before_days: 2, after_days: 0}"
TIMERS = "ack_minutes: {ordinary: 3, team_leader: 5, group_head: 10}"


def problems(eng, tmp_path: Path, text: str) -> list:  # type: ignore[no-untyped-def]
    f = tmp_path / "p.yaml"
    f.write_text(text, encoding="utf-8")
    return check_files([f], eng.host)[str(f)]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.mark.parametrize(("old", "new", "path", "zh"), [
    ("    starts_on: 2018-03-25", "    starts_on: 2018-03-24", "rules.event.starts_on", "与值勤窗口的 T 日"),
    ("    ends_on: 2018-03-25", "    ends_on: 2018-03-26", "rules.event.ends_on", "与值勤窗口的最后一天"),
    ("    min_age: 18", "    min_age: 16", "rules.eligibility.min_age", "recruitment.minors_allowed"),
    (TIMERS, "ack_minutes: {ordinary: 3, captain: 4}", "rules.incidents.ack_minutes.captain", "不在上报路径"),
    (TIMERS, "ack_minutes: {ordinary: 3, hq: 30}", "rules.incidents.ack_minutes.hq", "最高一级"),
    (WINDOW, WINDOW[:-1] + ", by_node: {nowhere: {event_start: 2018-03-25}}}",
     "rules.shifts.duty_window.by_node.nowhere", "不是 rules.organisation 中的功能组或小组代码"),
    (WINDOW, WINDOW[:-1] + ", by_node: {expo: {event_start: 2018-03-24}}}",
     "rules.shifts.duty_window.by_node.expo", "超出赛事日期"),
])
def test_each_cross_section_mistake_at_its_line(eng, tmp_path, old, new, path, zh) -> None:  # type: ignore[no-untyped-def]
    assert old in MARATHON
    text = MARATHON.replace(old, new, 1)
    [p] = problems(eng, tmp_path, text)
    assert p.path == path, p
    assert p.line == line_of(text, new.strip()), p
    assert zh in p.message and " / " in p.message   # Chinese first, English alongside
    with pytest.raises(ConfigError):
        eng.load(text, filename="m.yaml")              # refused on load too: nothing stored


def test_minors_admitted_with_consent_recorded_pass(eng, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = MARATHON.replace("    min_age: 18", "    min_age: 16", 1)
    text += "recruitment: {minors_allowed: true, guardian_consent: workflow}\n"
    assert problems(eng, tmp_path, text) == []
    without_workflow = text.replace("guardian_consent: workflow", "guardian_consent: at_enrolment")
    [p] = problems(eng, tmp_path, without_workflow)
    assert p.path == "rules.eligibility.min_age" and "guardian_consent: workflow" in p.message


def test_a_path_without_a_default_level_leaves_its_untouched_timer_alone(eng, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The default timers name ordinary/team_leader/group_head; a programme whose path has no
    team_leader is not told about a timer it never wrote."""
    text = MARATHON.replace(TIMERS, "ack_minutes: {ordinary: 3}") + "service: {incident_levels: [ordinary, group_head, hq]}\n"
    assert problems(eng, tmp_path, text) == []


def test_a_venue_window_applies_to_its_teams(eng) -> None:  # type: ignore[no-untyped-def]
    """Hangzhou: 所服务场馆竞赛日程的赛前7天至赛后3天 — the gymnasium's own days reach its teams."""
    games = (ROOT / "examples" / "event-asian-games.yaml").read_text(encoding="utf-8")
    old = "duty_window: {event_start: 2023-09-23, event_end: 2023-10-08, before_days: 7, after_days: 3}"
    text = games.replace(old, old[:-1] + ", by_node: {gymnasium: {event_start: 2023-09-26, event_end: 2023-10-06}}}")
    prog = eng.load(text, filename="g.yaml")
    window, parents = prog.rules_policy.shifts.duty_window, prog.rules.node_parents()
    assert parents["gym-media"] == "gymnasium"
    assert window.bounds("gym-media", parents) == (dt.date(2023, 9, 19), dt.date(2023, 10, 9))
    assert window.label("gym-media", parents) == "shifts.duty_window.by_node.gymnasium: T−7 … T+3"
    assert window.bounds("oc-language", parents) == (dt.date(2023, 9, 16), dt.date(2023, 10, 11))
