"""A programme's effective policy: ``rules.pack`` plus the overrides written beside it.

Where ``pack:`` goes (decided for issue 10): directly under ``rules:``, next to the plan type's
own keys. The engine owns ``rules.pack`` and the policy keys ``hours``, ``points``, ``levels``,
``redemption``, ``time_bank`` — except a key the plan type's rules model declares itself (the
community plan type's own ``time_bank`` of partner communities); such a shadowed key is left to the
plan type and the pack's section is not applied, unless the section also carries figures only the
engine's policy has (:func:`split_rules`).

Overrides: a figure the pack does not have (``hours.cap_per_day_hours`` is a figure of every
pack, ``points.per_hour.professional`` is one only if the pack lists it) is an error at its line;
a map the pack leaves empty (``points.outcomes: {}``) takes the programme's entries, and a whole
section the pack does not define may be written in full. Without ``pack:`` the policy
keys are written directly, from the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from engine.config import yamlpos
from engine.errors import ConfigError, Problem
from engine.rules.models import POLICY_KEYS, RulesPolicy
from engine.rules.registry import Pack, clean_loc, load_packs

ENGINE_KEYS = ("pack", *POLICY_KEYS)
#: Maps of figures by name. When a pack lists entries the list is closed (a name it lacks is an
#: error, most often a typo); when it lists none, the programme adds its own.
OPEN_WHEN_EMPTY = ("per_hour", "category_map", "rating", "outcomes", "items", "flags", "by_node")


@dataclass
class Resolved:
    policy: RulesPolicy
    pack: Pack | None = None
    shadowed: list[str] = field(default_factory=list)  # policy keys the plan type keeps for itself
    overrides: dict[str, Any] = field(default_factory=dict)


def split_rules(rules: dict[str, Any], plan_model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(engine part, plan type part, shadowed keys) of a merged ``rules:`` mapping.

    A section the plan type declares itself may still carry the engine policy's own figures beside
    the plan type's: the keys only the engine's policy has (e.g. ``time_bank.floor_hours`` in a
    community programme, whose ``time_bank`` lists partner communities) go to the engine, the rest
    to the plan type, and that section is then not shadowed."""
    declared = {f.alias or n for n, f in plan_model.model_fields.items()} | set(plan_model.model_fields)
    mine = {k: v for k, v in rules.items() if k in ENGINE_KEYS and k not in declared}
    theirs = {k: v for k, v in rules.items() if k not in mine}
    shadowed = [k for k in POLICY_KEYS if k in declared]
    for key in list(shadowed):
        section = theirs.get(key)
        engine_only = _fields(RulesPolicy, key) - _fields(plan_model, key)
        if isinstance(section, dict) and engine_only & set(section):
            mine[key] = {k: v for k, v in section.items() if k in engine_only}
            theirs[key] = {k: v for k, v in section.items() if k not in engine_only}
            shadowed.remove(key)
    return mine, theirs, shadowed


def _fields(model: type[BaseModel], key: str) -> set[str]:
    """The field names (and aliases) of the model behind ``model.<key>`` (an optional model too)."""
    found = model.model_fields.get(key)
    if found is None:
        return set()
    for candidate in (found.annotation, *get_args(found.annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return {f.alias or n for n, f in candidate.model_fields.items()} | set(candidate.model_fields)
    return set()


def _missing_paths(over: Any, have: Any, path: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], list[str]]]:
    """Override paths that the pack's expanded policy lacks (with what it has there)."""
    if not isinstance(over, dict):
        return []
    if not isinstance(have, dict):
        return [(path, [])] if path else []
    out: list[tuple[tuple[Any, ...], list[str]]] = []
    if path and not have and path[-1] in OPEN_WHEN_EMPTY:
        return out  # the pack lists no entries here: the programme may add them
    for key, value in over.items():
        if key not in have:
            out.append(((*path, key), sorted(map(str, have))))
        elif isinstance(value, dict) and isinstance(have[key], dict):
            out.extend(_missing_paths(value, have[key], (*path, key)))
    return out


def resolve_policy(mine: dict[str, Any], positions: yamlpos.Positions, default: yamlpos.Pos, host: Any,
                   shadowed: list[str]) -> tuple[Resolved | None, list[Problem]]:
    """The effective policy, or the problems (each at the programme's line, or the pack's)."""
    problems: list[Problem] = []
    overrides = {k: v for k, v in mine.items() if k != "pack"}
    pack: Pack | None = None
    base: dict[str, Any] = {}
    base_pos = yamlpos.Positions()
    name = mine.get("pack")
    if name is not None:
        where = positions.find(("rules", "pack"), default)
        try:
            packs = load_packs(host)
        except ConfigError as exc:
            return None, exc.problems
        if not isinstance(name, str) or name not in packs:
            problems.append(Problem(where.file, where.line, where.column,
                                    f"未知的规则包 / unknown rule pack {name!r}", "rules.pack",
                                    expected=f"one of the installed packs: {', '.join(sorted(packs)) or '(none)'}"))
            return None, problems
        pack = packs[name]
        base, base_pos = pack.expanded(), pack.positions
        for path, has in _missing_paths(overrides, base, ()):
            if path[0] not in base:
                continue  # a whole section the pack lacks: written in full, validated below
            overrides = yamlpos.without(overrides, path)
            at = positions.find(("rules", *path), where)
            dotted = ".".join(map(str, path))
            problems.append(Problem(
                at.file, at.line, at.column,
                f"规则包 {name} 没有 {dotted} 这一项，不能覆盖 / pack {name!r} has no figure {dotted} to override",
                f"rules.{dotted}", expected=(f"one of: {', '.join(has)}" if has else "no key here")
                + f" (copy the pack with `volunteer rules show {name} --yaml` to write your own, or "
                "`rules.pack: null` to start from no pack)"))
    data, _ = yamlpos.merge(base, yamlpos.Positions(), overrides, yamlpos.Positions())
    try:
        policy = RulesPolicy.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = clean_loc(tuple(err["loc"]))
            at = _position(loc, overrides, positions, base_pos, default)
            dotted = ".".join(map(str, loc))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = f"未知的键 / unknown key {loc[-1]!r}"
            problems.append(Problem(at.file, at.line, at.column, f"规则有误 / rules: {msg}", f"rules.{dotted}"))
        return None, problems
    if problems:
        return None, problems
    return Resolved(policy=policy, pack=pack, shadowed=[k for k in shadowed if k in base or k in overrides],
                    overrides=overrides), []


def _position(loc: tuple[Any, ...], overrides: dict[str, Any], positions: yamlpos.Positions,
              pack_pos: yamlpos.Positions, default: yamlpos.Pos) -> yamlpos.Pos:
    """The programme's line when the programme wrote (part of) that path, else the pack's line."""
    node: Any = overrides
    depth = 0
    for part in loc:
        if isinstance(node, dict) and part in node:
            node, depth = node[part], depth + 1
        else:
            break
    if depth:
        return positions.find(("rules", *loc[:max(depth, 1)]), default) if depth < len(loc) else \
            positions.find(("rules", *loc), default)
    if loc and tuple(loc[:1]) in pack_pos:
        return pack_pos.find(tuple(loc), default)
    return positions.find(("rules",), default)
