"""A key that moved is refused at its line, in Chinese and English, naming the new key; the rest of
the file is left to the usual checks."""

from __future__ import annotations

from engine import MovedKey
from engine.config import yamlpos
from engine.rules.moved import take_moved

TEXT = """id: x
rules:
  year_start: "01-01"
  rating: {stars: 5, percent: 10}
  points:
    per_hour: {routine: 1}
    lifetime: false
"""
MOVED = (MovedKey("rules.rating", "rules.points.rating_bonus", "写作 {min_stars: 5, percent: 10}",
                  "write {min_stars: 5, percent: 10}"),
         MovedKey("rules.points.lifetime", "rules.points.reset.lifetime"),
         MovedKey("rules.stars", "rules.levels"))


def test_each_moved_key_is_refused_at_its_line_in_both_languages():
    data, pos, problems = yamlpos.load(TEXT, "p.yaml")
    assert not problems
    left, found = take_moved(data, pos, yamlpos.Pos("p.yaml", 1, 1), MOVED)
    assert [(p.line, p.path) for p in found] == [(4, "rules.rating"), (7, "rules.points.lifetime")]
    assert found[0].message == ("rules.rating 已移至 rules.points.rating_bonus：写作 {min_stars: 5, percent: 10} / "
                                "rules.rating moved to rules.points.rating_bonus: write {min_stars: 5, percent: 10}")
    assert found[1].message == ("rules.points.lifetime 已移至 rules.points.reset.lifetime / "
                                "rules.points.lifetime moved to rules.points.reset.lifetime")
    assert left["rules"] == {"year_start": "01-01", "points": {"per_hour": {"routine": 1}}}
    assert data["rules"]["rating"] == {"stars": 5, "percent": 10}  # the caller's data is not changed


def test_a_section_emptied_by_its_moved_keys_is_not_reported_again():
    data, pos, _ = yamlpos.load("rules:\n  stars:\n    preset: national\n", "p.yaml")
    moved = (MovedKey("rules.stars.preset", "rules.pack"), MovedKey("rules.stars", "rules.levels"))
    left, found = take_moved(data, pos, yamlpos.Pos("p.yaml", 1, 1), moved)
    assert [(p.line, p.path) for p in found] == [(3, "rules.stars.preset")] and left == {"rules": {}}
    data, pos, _ = yamlpos.load("rules:\n  stars: {preset: national, colour: red}\n", "p.yaml")
    _, found = take_moved(data, pos, yamlpos.Pos("p.yaml", 1, 1), moved)
    assert [p.path for p in found] == ["rules.stars.preset", "rules.stars"]  # what is left is reported too
