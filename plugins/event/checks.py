"""Checks across an event programme's sections (``volunteer check`` and every load).

Each section validates on its own; these are the mistakes that only show together:

* the event's days (``rules.event``) against the shift rules' on-duty window
  (``rules.shifts.duty_window``, from the file or its pack) — two different "T"s; a venue's own
  window (``duty_window.by_node``) for a code that is not in ``rules.organisation``, or days outside
  the event's;
* a minimum age below 18 (``rules.eligibility.min_age``) in a programme that does not admit
  minors or cannot record a guardian's paper consent (``recruitment``; 志愿服务条例 第十五条);
* an incident timer (``rules.incidents.ack_minutes``) for a responder level that is not on the
  escalation path (``service.incident_levels``), or on its top level, which has nobody above it.
"""

from __future__ import annotations

from typing import Any

from .eligibility import ADULT, ART15
from .rules import DEFAULT_ACK_MINUTES

Found = tuple[tuple[str, ...], str, str]


def problems(programme: Any) -> list[Found]:
    rules, config = programme.rules, programme.config
    return [*_days(rules, programme.policy), *_minors(rules, config), *_timers(rules, config)]


def _days(rules: Any, policy: Any) -> list[Found]:
    window = policy.shifts.duty_window if policy is not None and policy.shifts is not None else None
    ev = rules.event
    if window is None or window.event_start is None:
        return []
    out: list[Found] = []
    if ev.starts_on is not None and ev.starts_on != window.event_start:
        out.append((("rules", "event", "starts_on"),
                    f"活动开始日 event.starts_on（{ev.starts_on}）与值勤窗口的 T 日 shifts.duty_window.event_start"
                    f"（{window.event_start}）不一致 / event.starts_on ({ev.starts_on}) differs from the on-duty window's "
                    f"first day shifts.duty_window.event_start ({window.event_start})",
                    "the same date in both, or remove one"))
    window_end = window.event_end or window.event_start
    out += _venues(rules, window, window_end)
    if ev.ends_on is not None and ev.ends_on != window_end:
        out.append((("rules", "event", "ends_on"),
                    f"活动结束日 event.ends_on（{ev.ends_on}）与值勤窗口的最后一天 shifts.duty_window.event_end"
                    f"（{window_end}）不一致 / event.ends_on ({ev.ends_on}) differs from the on-duty window's last "
                    f"day shifts.duty_window.event_end ({window_end})", "the same date in both"))
    return out


def _venues(rules: Any, window: Any, last: Any) -> list[Found]:
    codes = {g.code for g in rules.organisation.groups} | {t.code for g in rules.organisation.groups for t in g.teams}
    out: list[Found] = []
    for node, venue in window.by_node.items():
        where = ("rules", "shifts", "duty_window", "by_node", node)
        if node not in codes:
            out.append((where, f"值勤窗口 by_node.{node} 不是 rules.organisation 中的功能组或小组代码 / "
                               f"shifts.duty_window.by_node.{node}: {node!r} is not a group or team code of "
                               "rules.organisation", f"one of: {', '.join(sorted(codes)) or '(no groups yet)'}"))
        elif venue.event_start < window.event_start or (venue.event_end or venue.event_start) > last:
            out.append((where, f"场馆 {node} 的日程（{venue.event_start} 起）超出赛事日期 {window.event_start} 至 {last} / "
                               f"venue {node}'s days lie outside the event's, {window.event_start} – {last}",
                        f"dates between {window.event_start} and {last}"))
    return out


def _minors(rules: Any, config: Any) -> list[Found]:
    min_age, rec = rules.eligibility.min_age, config.recruitment
    if min_age >= ADULT:
        return []
    if not rec.minors_allowed:
        return [(("rules", "eligibility", "min_age"),
                 f"eligibility.min_age 为 {min_age}，接收未满 18 岁者，但 recruitment.minors_allowed 为 false / "
                 f"eligibility.min_age {min_age} admits people under 18, but recruitment.minors_allowed is false "
                 f"({ART15})", "recruitment.minors_allowed: true, or min_age: 18")]
    if rec.guardian_consent != "workflow":
        return [(("rules", "eligibility", "min_age"),
                 f"eligibility.min_age 为 {min_age}：未成年人经单位报名须记录监护人书面同意，请设 "
                 f"recruitment.guardian_consent: workflow / eligibility.min_age {min_age} admits minors, whose "
                 "guardian's paper consent the funnel records: set recruitment.guardian_consent: workflow",
                 "recruitment.guardian_consent: workflow")]
    return []


def _timers(rules: Any, config: Any) -> list[Found]:
    path = list(config.service.incident_levels)
    out: list[Found] = []
    for level, minutes in rules.incidents.ack_minutes.items():
        if minutes is None or (DEFAULT_ACK_MINUTES.get(level) == minutes and level not in path):
            continue  # switched off, or an untouched default for a level this path does not use
        where = ("rules", "incidents", "ack_minutes", level)
        if level not in path:
            out.append((where, f"事件计时 ack_minutes.{level} 的级别不在上报路径 service.incident_levels（"
                               f"{'→'.join(path)}）中 / incidents.ack_minutes.{level}: {level!r} is not a level of "
                               f"service.incident_levels ({' → '.join(path)})",
                        f"one of: {', '.join(path[:-1])}"))
        elif level == path[-1]:
            out.append((where, f"ack_minutes.{level}：{level} 是上报路径的最高一级，没有再上一级 / "
                               f"incidents.ack_minutes.{level}: {level!r} is the top of service.incident_levels; "
                               "there is nobody to escalate to", f"{level}: null"))
    return out
