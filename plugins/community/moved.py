"""The community's keys that moved onto the engine's ``rules.points`` / ``rules.levels`` (issue 10).

A programme file that still has one is refused at its line, in Chinese and English, naming the new
key and how to write it (the engine's :class:`engine.MovedKey`). The figures of the old defaults
are the pack ``community-points-002``'s: a file that only repeated them can drop the key.

Same place, same meaning (nothing to change): ``rules.points.per_hour``, ``category_map``,
``earn_from``, ``rounding`` (``half_up``, ``half_even``, ``down``, ``up``).
"""

from __future__ import annotations

from engine import MovedKey

MOVED_KEYS = (
    MovedKey("rules.points.default_class", "rules.points.default_rate",
             "写每小时积分（如 1），不再写类别名；null 表示不计分", "write the rate per hour (e.g. 1) instead of a class "
             "name; null: no points"),
    MovedKey("rules.points.lifetime", "rules.points.reset.lifetime"),
    MovedKey("rules.rating", "rules.points.rating_bonus",
             "{stars: 5, percent: 10} 写作 {min_stars: 5, percent: 10}",
             "{stars: 5, percent: 10} is written {min_stars: 5, percent: 10}"),
    MovedKey("rules.bonuses", "rules.points.bonuses",
             "first_service 与 streak {every, points, break_on_no_show, max_gap_days} 写法不变",
             "first_service and streak {every, points, break_on_no_show, max_gap_days} are written as before"),
    MovedKey("rules.stars.preset", "rules.pack",
             "national 即规则包 community-points-002 的星级（默认）；null 写作 rules.levels: {scheme: []}",
             "national is the stars of pack community-points-002 (the default); null is rules.levels: {scheme: []}"),
    MovedKey("rules.stars.levels", "rules.levels.scheme",
             "每级写作 {name, hours, nomination}（min_hours 改为 hours，不再写 stars）",
             "each level is {name, hours, nomination} (min_hours becomes hours; no stars)"),
    MovedKey("rules.stars.sequential", "rules.levels.previous_required"),
    MovedKey("rules.stars.nomination_from", "rules.levels.scheme",
             "在需要推荐的各级写 nomination: true", "write nomination: true on each level that needs a nomination"),
    MovedKey("rules.stars.exclude_categories", "rules.hours.exclude_from_levels"),
    MovedKey("rules.stars.exclude_captured", "rules.hours.level_kinds",
             "列出计入星级的记录来源（其余不计）", "list the captured kinds that count for levels (the others do not)"),
    MovedKey("rules.stars", "rules.levels", "星级由 rules.levels 决定（默认来自规则包 community-points-002）",
             "stars are rules.levels (by default from pack community-points-002)"),
)
