"""Load a programme: parse every layer, merge, validate, and check its workflows.

:func:`load_programme` collects *every* problem (syntax, types, unknown keys, unknown plan
type, unknown guards and actions, undefined or unreachable states, duplicate triggers) and
raises one :class:`~engine.errors.ConfigError` with all of them, each at ``file:line:column``.
"""

from __future__ import annotations

import difflib
import hashlib
import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from engine.config import messages, yamlerrors, yamlpos
from engine.config.models import ProgrammeConfig
from engine.errors import ConfigError, Problem
from engine.plugins import PluginHost

if typing.TYPE_CHECKING:
    from engine.programme import LoadedProgramme

ENGINE_DEFAULT = "engine-defaults.yaml"


def engine_default_text() -> tuple[str, str]:
    ref = resources.files("engine.config").joinpath("defaults.yaml")
    return ref.read_text(encoding="utf-8"), f"<engine>/{ENGINE_DEFAULT}"


def load_programme(
    source: str | Path,
    host: PluginHost,
    *,
    filename: str | None = None,
) -> LoadedProgramme:
    """Return a :class:`engine.programme.LoadedProgramme` or raise :class:`ConfigError`.

    ``source`` is a path or the YAML text itself (then ``filename`` names it in messages).
    """
    from engine.programme import LoadedProgramme
    from engine.workflow.compiler import compile_workflow
    from engine.workflow.validate import check_workflows

    if isinstance(source, Path):
        filename = filename or str(source)
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError([Problem(filename, 1, 1, f"无法读取文件 / cannot read file: {exc}")]) from exc
    else:
        text = source
        filename = filename or "<programme>"

    prog_data, prog_pos, problems = yamlpos.load(text, filename)
    if problems:
        raise ConfigError(problems)
    if not isinstance(prog_data, dict):
        for n, line in enumerate(text.split("\n"), 1):  # "id：x" lines make one long text, not a mapping
            col = yamlerrors.key_line_without_colon(line)
            if col is not None:
                raise ConfigError([Problem(filename, n, col + 1, yamlerrors.full_width_message(line[col], n, col + 1),
                                           expected="key: value")])
        raise ConfigError([Problem(filename, 1, 1, "顶层必须是映射 / the top level must be a mapping",
                                   expected="keys such as id, name, plan_type, organisation, period")])

    plan_type_id = prog_data.get("plan_type")
    info = host.plan_type(plan_type_id) if isinstance(plan_type_id, str) else None
    if info is None:
        pos = prog_pos.find(("plan_type",), yamlpos.Pos(filename, 1, 1))
        installed = ", ".join(host.plan_type_ids()) or "(none installed)"
        if plan_type_id is None:
            msg = "缺少 plan_type / missing key plan_type"
        else:
            msg = f"未知的计划类型 / unknown plan type {plan_type_id!r}"
        problems.append(Problem(pos.file, pos.line, pos.column, msg, "plan_type", expected=f"one of: {installed}"))

    if info is not None and info.plan_type.moved_keys:
        from engine.rules.moved import take_moved

        prog_data, moved = take_moved(prog_data, prog_pos, yamlpos.Pos(filename, 1, 1), info.plan_type.moved_keys)
        problems.extend(moved)

    etext, ename = engine_default_text()
    data, positions, eprob = yamlpos.load(etext, ename)
    problems.extend(eprob)
    if info is not None and info.plan_type.default_yaml is not None:
        ptext = Path(info.plan_type.default_yaml).read_text(encoding="utf-8")
        pdata, ppos, pprob = yamlpos.load(ptext, f"<{info.plan_type.id}>/{Path(info.plan_type.default_yaml).name}")
        problems.extend(pprob)
        if not pprob:
            data, positions = yamlpos.merge(data, positions, pdata, ppos)
    data, positions = yamlpos.merge(data, positions, prog_data, prog_pos)
    default_pos = yamlpos.Pos(filename, 1, 1)

    config: ProgrammeConfig | None = None
    try:
        config = ProgrammeConfig.model_validate(data)
    except ValidationError as exc:
        problems.extend(_pydantic_problems(exc, positions, default_pos, ProgrammeConfig))

    rules: BaseModel | None = None
    resolved = None
    if info is not None:
        from engine.rules.resolve import resolve_policy, split_rules

        rules_all = data.get("rules") or {}
        mine, rules_data, shadowed = split_rules(rules_all if isinstance(rules_all, dict) else {},
                                                 info.plan_type.rules_model)
        if not isinstance(rules_all, dict):
            rules_data = rules_all
        resolved, rprob = resolve_policy(mine, positions, default_pos, host, shadowed)
        problems.extend(rprob)
        if (resolved is not None and resolved.policy.levels is not None and resolved.policy.levels.scheme
                and config is not None and config.rewards.levels):
            at = positions.find(("rewards", "levels"), default_pos)
            problems.append(Problem(at.file, at.line, at.column,
                                    "rewards.levels 与 rules.levels 只能写一处 / rewards.levels and rules.levels "
                                    "(from the pack or the file) both set levels; keep one",
                                    "rewards.levels", expected="remove rewards.levels, or write the levels as "
                                    "rules.levels.scheme: [{name, hours}]"))
        try:
            rules = info.plan_type.rules_model.model_validate(rules_data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, positions, default_pos, info.plan_type.rules_model, prefix=("rules",)))

    if config is not None:
        problems.extend(check_workflows(config.workflows, set(config.roles), positions, default_pos, host))
        from engine.workflow.stagegate import check_stage_windows

        problems.extend(check_stage_windows({n: list(w.states) for n, w in config.workflows.items()},
                                            config.stages.lifecycle, config.stages.actions,
                                            lambda path: positions.find(path, default_pos), filename))
    else:
        # The file has other problems; still check each workflow that validates on its own, so
        # that one run reports everything.
        workflows, roles = _parts(data)
        problems.extend(check_workflows(workflows, roles, positions, default_pos, host))

    if problems or config is None or rules is None or info is None:
        problems = yamlerrors.hint(problems, text, filename)
        raise ConfigError(problems or [Problem(filename, 1, 1, "invalid programme")])

    compiled = {name: compile_workflow(name, wf) for name, wf in config.workflows.items()}
    loaded = LoadedProgramme(
        config=config,
        rules=rules,
        plan_type=info,
        workflows=compiled,
        source_text=text,
        source_name=filename,
        config_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        policy=resolved.policy if resolved is not None else None,
        pack=resolved.pack if resolved is not None else None,
        shadowed=resolved.shadowed if resolved is not None else [],
    )
    cross = _cross_section_problems(loaded, host, positions, default_pos)
    if cross:
        raise ConfigError(yamlerrors.hint(cross, text, filename))
    return loaded


def _cross_section_problems(loaded: Any, host: PluginHost, positions: Any, default: Any) -> list[Problem]:
    """The plan type's ``volunteer_check_programme`` answers, each at the nearest written key of its path."""
    out: list[Problem] = []
    for answer in host.call("volunteer_check_programme", plan_type=loaded.plan_type_id, programme=loaded):
        for item in answer or []:
            path, message, *rest = item
            at = positions.find(tuple(path), default)
            out.append(Problem(at.file, at.line, at.column, message, ".".join(str(k) for k in path),
                               expected=rest[0] if rest else ""))
    return out


def _parts(data: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    from engine.config.models import RoleDef, WorkflowDef

    roles: set[str] = set()
    for name, value in (data.get("roles") or {}).items() if isinstance(data.get("roles"), dict) else []:
        try:
            RoleDef.model_validate(value)
            roles.add(name)
        except ValidationError:
            roles.add(name)  # its own problem is already reported; don't add "unknown role" noise
    workflows: dict[str, WorkflowDef] = {}
    raw = data.get("workflows")
    for name, value in raw.items() if isinstance(raw, dict) else []:
        try:
            workflows[name] = WorkflowDef.model_validate(value)
        except ValidationError:
            continue
    return workflows, roles


def check_files(paths: list[Path], host: PluginHost) -> dict[str, list[Problem]]:
    """Check several files; returns problems per file (empty list when a file is fine)."""
    out: dict[str, list[Problem]] = {}
    for path in paths:
        try:
            load_programme(path, host)
            out[str(path)] = []
        except ConfigError as exc:
            out[str(path)] = exc.problems
    return out


# ------------------------------------------------------------------ pydantic errors → problems


def _pydantic_problems(
    exc: ValidationError,
    positions: yamlpos.Positions,
    default: yamlpos.Pos,
    model: type[BaseModel],
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    problems: list[Problem] = []
    for err in exc.errors():
        loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x in {"function-after", "function-before"}))
        loc = _clean_loc(loc)
        full = (*prefix, *loc)
        pos = positions.find(full, default)
        dotted = ".".join(str(p) for p in full)
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, loc[:-1])
            if prefix == ("rules",) and len(loc) > 1:  # a plan type's own policy section also takes the engine's keys
                from engine.rules.models import POLICY_KEYS, RulesPolicy

                if loc[0] in POLICY_KEYS:
                    allowed += [k for k in _allowed_keys(RulesPolicy, loc[:-1]) if k not in allowed]
            msg = f"未知的键 / unknown key {loc[-1]!r}"
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
            if close:
                msg += f"; 是否想写 / did you mean {close[0]!r}?"
            expected = f"one of: {', '.join(allowed)}" if allowed else "no such key here"
        elif kind == "missing":
            msg = f"缺少必填项 / missing required key {loc[-1]!r}" if loc else "缺少取值 / missing value"
            expected = "a value for it"
        else:
            msg = messages.bilingual(kind, err["msg"], err.get("input"))
            expected = _expected_for(kind, err)
        problems.append(Problem(pos.file, pos.line, pos.column, msg, dotted, expected))
    return problems


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    out = []
    for part in loc:
        if isinstance(part, str) and ("[" in part and "]" in part) and part.split("[")[0] in {"union", "tagged-union"}:
            continue
        if part in {"str", "dict[str,any]", "CallRef", "StateDef", "list[str]"}:
            continue
        out.append(part)
    return tuple(out)


def _expected_for(kind: str, err: Any) -> str:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    if "pattern" in ctx:
        return f"text matching {ctx['pattern']}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "a date like 2026-01-31"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return kind.replace("_parsing", "").replace("_type", "").replace("_", " ")
    if "ge" in ctx or "gt" in ctx or "le" in ctx or "lt" in ctx:
        return ", ".join(f"{k} {v}" for k, v in ctx.items())
    return ""


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Walk ``model``'s annotations along ``loc`` to list the keys allowed at that place."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = None
            for name, f in current.model_fields.items():
                if part in (name, f.alias):
                    field = f
                    break
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if models else (args[0] if args else tp)
    if origin is typing.Annotated:
        return get_args(tp)[0]
    return tp
