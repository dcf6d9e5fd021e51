"""Keys that moved: a plan type declares the keys of its programme files that moved elsewhere
(``PlanType.moved_keys``), and a file that still has one is refused at that key's line with a
message in Chinese and English naming the new key and what to write there (WAVE2: existing
programme files keep loading or are told exactly what to change).

The key is taken out of the file before the rest is validated, so the one message says it all (no
"unknown key" beside it). List the deeper keys before their section (``rules.stars.preset`` before
``rules.stars``): a section left empty once its keys were reported is not reported again. Only the programme's own file is checked: defaults never hold old keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.config import yamlpos
from engine.errors import Problem


@dataclass(frozen=True)
class MovedKey:
    """``old`` and ``new`` are dotted paths from the file's top (``rules.rating`` →
    ``rules.points.rating_bonus``); ``zh`` / ``en`` say how to rewrite the value, when not as is."""

    old: str
    new: str
    zh: str = ""
    en: str = ""

    def message(self) -> str:
        zh = f"{self.old} 已移至 {self.new}" + (f"：{self.zh}" if self.zh else "")
        en = f"{self.old} moved to {self.new}" + (f": {self.en}" if self.en else "")
        return f"{zh} / {en}"


def take_moved(data: dict[str, Any], positions: yamlpos.Positions, default: yamlpos.Pos,
               moved: tuple[MovedKey, ...] | list[MovedKey]) -> tuple[dict[str, Any], list[Problem]]:
    """(``data`` without the moved keys it had, a problem at each one's line)."""
    problems: list[Problem] = []
    reported: list[tuple[str, ...]] = []
    for key in moved:
        path = tuple(key.old.split("."))
        node: Any = data
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or path[-1] not in node:
            continue
        if not node[path[-1]] and any(done[:len(path)] == path for done in reported):
            data = yamlpos.without(data, path)  # what is left of a section whose keys were reported: nothing more to say
            continue
        reported.append(path)
        at = positions.find(path, default)
        problems.append(Problem(at.file, at.line, at.column, key.message(), key.old, expected=key.new))
        data = yamlpos.without(data, path)
    return data, problems


__all__ = ["MovedKey", "take_moved"]
