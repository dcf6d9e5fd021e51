"""YAML with positions: plain Python data plus a map from each path to its file, line and column.

ruamel.yaml's round-trip loader keeps line and column on every mapping and sequence; we keep
those positions beside plain data so that a pydantic error at ``("workflows", "lifecycle",
"transitions", "go", "to")`` can be reported as ``programme.yaml:14:11``. Lines and columns
are 1-based, as editors show them.

Layers (engine default → plan type → programme) are merged by :func:`merge`:

* mappings merge key by key, recursively;
* anything else (scalars, lists) in a later layer replaces the earlier value;
* a key set to ``null`` in a later layer removes it (e.g. drop a default transition).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from engine.errors import Problem

Path = tuple[Any, ...]


@dataclass(frozen=True)
class Pos:
    file: str
    line: int
    column: int


class Positions(dict[Path, Pos]):
    """Positions of every key and item; :meth:`find` falls back to the nearest known parent."""

    def find(self, path: Path, default: Pos) -> Pos:
        p = tuple(path)
        while p:
            if p in self:
                return self[p]
            p = p[:-1]
        return self.get((), default)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    # Dates stay text here and are parsed by pydantic, which reports a bad one at its line
    # ("2026-13-01") instead of ruamel raising a bare ValueError.
    y.constructor.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
    return y


def _as_text(constructor: Any, node: Any) -> str:
    return str(constructor.construct_scalar(node))


def load(text: str, filename: str) -> tuple[Any, Positions, list[Problem]]:
    """Parse ``text``; return (data, positions, problems). Syntax errors become problems."""
    from engine.config import yamlerrors

    positions = Positions()
    big = yamlerrors.too_large(text, filename)
    if big is not None:
        return None, positions, [big]
    try:
        doc = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        msg = f'重复的键 / duplicate key "{key}"' if key else "重复的键 / duplicate key"
        if mark is not None:
            return None, positions, [Problem(filename, mark.line + 1, mark.column + 1, msg,
                                             expected="each key once in a mapping (for transitions: each trigger once)")]
        return None, positions, [Problem(filename, 1, 1, msg)]
    except MarkedYAMLError as exc:
        return None, positions, [yamlerrors.explain(exc, text, filename)]
    except RecursionError:
        return None, positions, [Problem(filename, 1, 1, f"嵌套过深 / nested too deeply (at most {yamlerrors.MAX_DEPTH} "
                                                        "levels)")]
    except (YAMLError, ValueError, TypeError) as exc:  # e.g. a control character (ReaderError)
        return None, positions, [Problem(filename, 1, 1, f"YAML 无法读取 / YAML could not be read: {exc}")]
    positions[()] = Pos(filename, 1, 1)
    if doc is None:
        return {}, positions, []
    bomb = yamlerrors.expansion_problem(doc, filename)
    if bomb is not None:
        return None, positions, [bomb]
    return _plain(doc, (), filename, positions), positions, []


def _plain(node: Any, path: Path, filename: str, positions: Positions) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            try:
                line, col = node.lc.key(key)
            except (KeyError, TypeError):
                line, col = node.lc.line, node.lc.col
            positions[(*path, key)] = Pos(filename, line + 1, col + 1)
            out[key] = _plain(value, (*path, key), filename, positions)
        return out
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for i, value in enumerate(node):
            try:
                line, col = node.lc.item(i)
            except (KeyError, TypeError):
                line, col = node.lc.line, node.lc.col
            positions[(*path, i)] = Pos(filename, line + 1, col + 1)
            items.append(_plain(value, (*path, i), filename, positions))
        return items
    if hasattr(node, "value") and type(node).__module__.startswith("ruamel"):
        return node.value if not isinstance(node, str) else str(node)
    if isinstance(node, str):
        return str(node)
    return node


def merge(base: Any, base_pos: Positions, over: Any, over_pos: Positions, path: Path = ()) -> tuple[Any, Positions]:
    """Merge layer ``over`` onto ``base`` (see module doc); returns new data and positions."""
    positions = Positions(base_pos) if not path else base_pos
    data = _merge(base, over, path, positions, over_pos)
    if () in over_pos:  # a missing top-level key is reported in the file that was written last
        positions[()] = over_pos[()]
    return data, positions


def _merge(base: Any, over: Any, path: Path, positions: Positions, over_pos: Positions) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            sub = (*path, key)
            if value is None:
                out.pop(key, None)
                _drop(positions, sub)
                continue
            if key in out and isinstance(out[key], dict) and isinstance(value, dict):
                out[key] = _merge(out[key], value, sub, positions, over_pos)
                if sub in over_pos:
                    positions[sub] = over_pos[sub]
            else:
                _drop(positions, sub)
                out[key] = value
                _copy(over_pos, positions, sub)
        return out
    _drop(positions, path)
    _copy(over_pos, positions, path)
    return over


def without(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """A copy of ``data`` without the key at ``path`` (the mappings on the way are copied, not changed)."""
    out = dict(data)
    if len(path) == 1:
        out.pop(path[0], None)
    elif isinstance(out.get(path[0]), dict):
        out[path[0]] = without(out[path[0]], path[1:])
    return out


def _drop(positions: Positions, prefix: Path) -> None:
    n = len(prefix)
    for p in [p for p in positions if p[:n] == prefix]:
        del positions[p]


def _copy(src: Positions, dst: Positions, prefix: Path) -> None:
    n = len(prefix)
    for p, pos in src.items():
        if p[:n] == prefix:
            dst[p] = pos
