"""Rule packs: named, versioned YAML files of policies, each citing its sources.

Where packs come from: every ``*.yaml`` in ``engine/rules/packs/`` and every folder or file a
plugin returns from the ``volunteer_rule_packs`` hook. Adding a pack is adding a file (see
``docs/rules.md``). A pack may ``extends:`` another; its ``policy:`` merges over the parent's
(mappings key by key, lists and figures replaced).

A pack file::

    pack: national-stars          # its name (lowercase, unique among installed packs)
    version: "2012"
    title: 全国星级志愿者 National star volunteers
    sources:                      # at least one: where the figures come from
      - title: 民政部《志愿服务记录办法》(2012)
        cites: 星级认定 100/300/600/1000/1500 小时
    policy: {hours: …, levels: …, points: …, redemption: …, time_bank: …}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.config import yamlpos
from engine.errors import ConfigError, Problem
from engine.rules.models import POLICY_KEYS, RulesPolicy

PACK_NAME = r"^[a-z][a-z0-9_-]{1,62}$"


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    cites: str | None = Field(default=None, max_length=2000, description="the article or figures taken from it")
    url: str | None = Field(default=None, max_length=500)


class PackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pack: str = Field(pattern=PACK_NAME)
    version: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    extends: str | None = Field(default=None, pattern=PACK_NAME)
    sources: list[Source] = Field(min_length=1)
    policy: dict[str, Any] = Field(default_factory=dict)


@dataclass
class Pack:
    """A pack as installed: its header, raw policy (merged over its parent's) and positions."""

    meta: PackFile
    file: str
    raw: dict[str, Any]
    positions: yamlpos.Positions
    lineage: list[str] = field(default_factory=list)  # itself, then its parents

    @property
    def name(self) -> str:
        return self.meta.pack

    def policy(self) -> RulesPolicy:
        return RulesPolicy.model_validate(self.raw)

    def expanded(self) -> dict[str, Any]:
        """Every figure the pack has: the sections it defines, with their defaults filled in."""
        dumped = _plain(self.policy().model_dump())
        return {k: dumped[k] for k in POLICY_KEYS if k in self.raw or k == "hours"}


def _plain(value: Any) -> Any:
    """Decimals as YAML numbers (100, 1.1), everything else as is."""
    from decimal import Decimal

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _pack_files(host: Any) -> list[tuple[str, str]]:
    """(text, display name) of every installed pack file: the engine's, then the plugins'."""
    out: list[tuple[str, str]] = []
    folder = resources.files("engine.rules").joinpath("packs")
    for ref in sorted(folder.iterdir(), key=lambda r: r.name):
        if ref.name.endswith(".yaml"):
            out.append((ref.read_text(encoding="utf-8"), f"<engine>/rules/packs/{ref.name}"))
    if host is not None:
        for value in host.call("volunteer_rule_packs"):
            for item in [value] if isinstance(value, (str, Path)) else list(value or []):
                path = Path(item)
                files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
                out.extend((f.read_text(encoding="utf-8"), f"<plugin>/{f.parent.name}/{f.name}") for f in files)
    return out


def _parse(text: str, name: str) -> tuple[PackFile | None, dict[str, Any], yamlpos.Positions, list[Problem]]:
    data, pos, problems = yamlpos.load(text, name)
    if problems:
        return None, {}, pos, problems
    try:
        meta = PackFile.model_validate(data)
    except ValidationError as exc:
        return None, {}, pos, validation_problems(exc, pos, yamlpos.Pos(name, 1, 1))
    return meta, dict(meta.policy), pos, []


def load_packs(host: Any = None) -> dict[str, Pack]:
    """Every installed pack by name, parents merged in; raises :class:`ConfigError` listing every bad pack."""
    problems: list[Problem] = []
    parsed: dict[str, tuple[PackFile, dict[str, Any], yamlpos.Positions, str]] = {}
    for text, fname in _pack_files(host):
        meta, raw, pos, probs = _parse(text, fname)
        problems.extend(probs)
        if meta is None:
            continue
        if meta.pack in parsed:
            problems.append(Problem(fname, 1, 1, f"规则包 {meta.pack!r} 重名 / pack {meta.pack!r} is also defined in "
                                    f"{parsed[meta.pack][3]}", "pack"))
            continue
        parsed[meta.pack] = (meta, raw, pos, fname)
    packs: dict[str, Pack] = {}

    def resolve(name: str, seen: tuple[str, ...]) -> Pack | None:
        if name in packs:
            return packs[name]
        meta, raw, pos, fname = parsed[name]
        data, positions, lineage = raw, _under_policy(pos), [name]
        if meta.extends is not None:
            where = pos.find(("extends",), yamlpos.Pos(fname, 1, 1))
            if meta.extends not in parsed or meta.extends in seen:
                why = "循环继承 / extends itself" if meta.extends in seen else "未安装 / is not installed"
                problems.append(Problem(where.file, where.line, where.column,
                                        f"父规则包 {meta.extends!r} {why}", "extends",
                                        expected=f"one of: {', '.join(sorted(parsed))}"))
                return None
            parent = resolve(meta.extends, (*seen, name))
            if parent is None:
                return None
            data, positions = yamlpos.merge(parent.raw, parent.positions, raw, _under_policy(pos))
            lineage += parent.lineage
        try:
            RulesPolicy.model_validate(data)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, positions, yamlpos.Pos(fname, 1, 1)))
            return None
        packs[name] = Pack(meta=meta, file=fname, raw=data, positions=positions, lineage=lineage)
        return packs[name]

    for name in parsed:
        resolve(name, ())
    if problems:
        raise ConfigError(problems)
    return packs


def clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A pydantic error location without its validator and union markers."""
    return tuple(x for x in loc if not (isinstance(x, str) and (x.startswith("function-") or "[" in x)))


def validation_problems(exc: ValidationError, positions: yamlpos.Positions, default: yamlpos.Pos,
                        prefix: tuple[Any, ...] = ()) -> list[Problem]:
    """Each pydantic error as a :class:`Problem` at the line of its key."""
    out: list[Problem] = []
    for err in exc.errors():
        loc = (*prefix, *clean_loc(tuple(err["loc"])))
        at = positions.find(loc, default)
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"未知的键 / unknown key {loc[-1]!r}"
        elif err["type"] == "missing":
            msg = f"缺少必填项 / missing required key {loc[-1]!r}"
        out.append(Problem(at.file, at.line, at.column, f"规则有误 / {msg}", ".".join(map(str, loc))))
    return out


def _under_policy(pos: yamlpos.Positions) -> yamlpos.Positions:
    """A pack's positions re-rooted at its ``policy:`` mapping."""
    out = yamlpos.Positions()
    for path, p in pos.items():
        if path[:1] == ("policy",):
            out[path[1:]] = p
    return out


def get_pack(name: str, host: Any = None) -> Pack:
    packs = load_packs(host)
    if name not in packs:
        raise KeyError(name)
    return packs[name]
