"""Checks on workflow definitions that pydantic cannot express (Symfony's StateMachineValidator).

Every problem names the workflow, the transition or state, and its line in the file.
"""

from __future__ import annotations

from collections import deque

from engine.config.models import WorkflowDef
from engine.config.yamlpos import Pos, Positions
from engine.errors import Problem
from engine.plugins import PluginHost

#: The scheduled path acts as ``system`` with this role (engine.sdk.PlanContext in
#: ``volunteer_scheduled``): a transition may name it without declaring it, and nobody can be granted it.
SYSTEM_ROLE = "system"


def check_workflows(workflows: dict[str, WorkflowDef], roles: set[str], positions: Positions, default: Pos,
                    host: PluginHost) -> list[Problem]:
    problems: list[Problem] = []
    for wname, wf in workflows.items():
        problems.extend(_check_one(wname, wf, positions, default, host, roles))
    return problems


def _check_one(
    wname: str, wf: WorkflowDef, positions: Positions, default: Pos, host: PluginHost, roles: set[str]
) -> list[Problem]:
    out: list[Problem] = []
    base = ("workflows", wname)
    states = set(wf.states)
    known_states = ", ".join(sorted(states))

    def add(path: tuple[object, ...], msg: str, expected: str = "") -> None:
        pos = positions.find((*base, *path), default)
        out.append(Problem(pos.file, pos.line, pos.column, msg, ".".join(str(p) for p in (*base, *path)), expected))

    if wf.initial not in states:
        add(("initial",), f"工作流 {wname} 的初始状态未定义 / initial state {wf.initial!r} is not a state of workflow {wname!r}",
            f"one of: {known_states}")

    seen: dict[tuple[str, str], str] = {}
    for tname, t in wf.transitions.items():
        trigger = t.trigger or tname
        for i, src in enumerate(t.from_):
            if src not in states:
                add(("transitions", tname, "from", i) if len(t.from_) > 1 else ("transitions", tname, "from"),
                    f"转换 {tname} 的起点状态未定义 / transition {tname!r} starts from undefined state {src!r}",
                    f"one of: {known_states}")
            key = (trigger, src)
            if key in seen:
                add(("transitions", tname),
                    f"触发器重复 / duplicate trigger {trigger!r} from state {src!r}: transitions {seen[key]!r} and {tname!r}",
                    "each trigger at most once per source state")
            else:
                seen[key] = tname
        if t.to not in states:
            add(("transitions", tname, "to"),
                f"转换 {tname} 的目标状态未定义 / transition {tname!r} goes to undefined state {t.to!r}",
                f"one of: {known_states}")
        for kind, refs, registry in (("guards", t.guards, host.guards), ("actions", t.actions, host.actions)):
            for i, ref in enumerate(refs):
                if ref.name not in registry:
                    add(("transitions", tname, kind, i),
                        f"未知的{'守卫' if kind == 'guards' else '动作'} / unknown {kind[:-1]} {ref.name!r} in transition {tname!r}",
                        f"one of: {', '.join(registry.names()) or '(none installed)'}")
        for i, role in enumerate(t.roles):
            if role not in roles and role != SYSTEM_ROLE:
                add(("transitions", tname, "roles", i),
                    f"未知的角色 / unknown role {role!r} in transition {tname!r}",
                    f"one of: {', '.join(sorted(roles))} (or declare it under roles:)")

    for old, new in wf.migrate_states.items():
        if new not in states:
            add(("migrate_states", old), f"迁移目标状态未定义 / migrate_states maps {old!r} to undefined state {new!r}",
                f"one of: {known_states}")

    if wf.initial in states:
        reach = {wf.initial}
        queue = deque([wf.initial])
        while queue:
            s = queue.popleft()
            for t in wf.transitions.values():
                if s in t.from_ and t.to in states and t.to not in reach:
                    reach.add(t.to)
                    queue.append(t.to)
        for s in wf.states:
            if s not in reach:
                add(("states", s), f"状态不可达 / state {s!r} of workflow {wname!r} cannot be reached from {wf.initial!r}",
                    "a transition leading to it, or remove the state")
    return out
