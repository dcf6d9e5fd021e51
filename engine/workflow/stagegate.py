"""Stage gating: which kinds of action the programme's current lifecycle stage opens.

The windows are configuration (``stages.actions`` in engine/config/defaults.yaml, overridable per
plan type and per programme; docs/stages.md). A window ``{from: X, until: Y}`` is open when

* the programme has *reached* X — it is in X or a later stage, or it was there before and went back
  (``reopen_recruitment`` from service keeps check-in open), and
* it is in a stage *before* Y (``until: null`` never closes).

"Later" is the order in which the lifecycle lists its states. Every stage service calls
:func:`require_open` before it writes; the check-in burst path puts :func:`open_clause` into its one
statement. A refusal is a :class:`StageClosed` (HTTP 409) that names the stage and what would open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from engine.config.models import StageWindow
from engine.errors import Conflict, Problem
from engine.programme import LoadedProgramme
from engine.store.models import TransitionLog, WorkflowInstance


class StageClosed(Conflict):
    """The action's kind is not open in the programme's current stage."""


@dataclass(frozen=True)
class Window:
    kind: str
    title: str
    opens: str  # state that opens it
    closes: str | None  # state from which it is closed
    reached_states: tuple[str, ...]  # states at or after `opens`
    open_states: tuple[str, ...]  # states in [opens, closes)
    before_close: tuple[str, ...]  # states before `closes`


def _windows(programme: LoadedProgramme) -> dict[str, Window]:
    cached = programme.extra.get("stage_windows")
    if isinstance(cached, dict):
        return cached
    cfg = programme.config.stages
    wf = programme.workflows.get(cfg.lifecycle)
    out: dict[str, Window] = {}
    if wf is not None:
        order = list(wf.definition.states)
        for kind, w in cfg.actions.items():
            if w.from_ not in order or (w.until is not None and w.until not in order):
                continue  # reported by check_stage_windows when the programme is loaded
            lo = order.index(w.from_)
            hi = order.index(w.until) if w.until is not None else len(order)
            out[kind] = Window(kind, w.title or kind, w.from_, w.until, tuple(order[lo:]), tuple(order[lo:hi]),
                               tuple(order[:hi]))
    programme.extra["stage_windows"] = out
    return out


_IS_LIFECYCLE = (WorkflowInstance.programme_id == bindparam("pid"), WorkflowInstance.workflow == bindparam("lifecycle"),
                 WorkflowInstance.subject_type == "programme", WorkflowInstance.subject_id == bindparam("pid"))
_LIFECYCLE = select(WorkflowInstance.id, WorkflowInstance.state).where(*_IS_LIFECYCLE)

#: The state of the programme's lifecycle instance (parameters ``pid`` and ``lifecycle``), as a column
#: for a one-statement read; NULL when it has none. Judge it with :func:`plainly_open`.
STAGE = select(WorkflowInstance.state).where(*_IS_LIFECYCLE).scalar_subquery().label("stage")


def _lifecycle(session: Session | Connection, programme: LoadedProgramme) -> Any:
    """(id, state) of the programme's lifecycle instance, or None; works on a Session or a Core connection.
    The statement is built once (only its parameters change)."""
    return session.execute(_LIFECYCLE, {"pid": programme.id, "lifecycle": programme.config.stages.lifecycle}).first()


def _reached(session: Session | Connection, inst_id: int, states: tuple[str, ...]) -> bool:
    return bool(session.scalar(select(exists().where(
        TransitionLog.instance_id == inst_id, TransitionLog.to_state.in_(states),
        TransitionLog.outcome.in_(("done", "migrated"))))))


def _title(programme: LoadedProgramme, state: str) -> str:
    wf = programme.workflows.get(programme.config.stages.lifecycle)
    title = wf.definition.state(state).title if wf is not None and state in wf.definition.states else None
    return f"「{title or state}」({state})"


def _opening_triggers(programme: LoadedProgramme, state: str) -> list[str]:
    """Triggers entering ``state`` from an earlier stage."""
    wf = programme.workflows.get(programme.config.stages.lifecycle)
    if wf is None:
        return []
    order = list(wf.definition.states)
    return sorted({e.trigger for e in wf.edges if e.dest == state and e.source in order
                   and order.index(e.source) < order.index(state)})


def refusal(session: Session | Connection, programme: LoadedProgramme, kind: str) -> str | None:
    """Why ``kind`` is not open now, or None when it is (or the programme has no such window)."""
    w = _windows(programme).get(kind)
    if w is None:
        return None
    inst = _lifecycle(session, programme)
    if inst is None:
        return None
    state = inst.state
    if state in w.open_states:
        return None
    if state in w.before_close and _reached(session, inst.id, w.reached_states):
        return None
    here = _title(programme, state)
    if state not in w.before_close and w.closes is not None:
        wf = programme.workflows[programme.config.stages.lifecycle]
        reopen = sorted({e.trigger for e in wf.edges if e.source not in w.before_close and e.dest in w.before_close})
        return (f"当前阶段 {here} 已不能{w.title.split(' ')[0]}：自 {_title(programme, w.closes)} 起关闭"
                f"{'（可由管理员 ' + '/'.join(reopen) + ' 重新开启）' if reopen else ''} / "
                f"{_english(w.title)} is closed in stage {state!r}: it closes from stage {w.closes!r} on"
                f"{' (an admin may fire ' + ' or '.join(reopen) + ')' if reopen else ''}")
    triggers = _opening_triggers(programme, w.opens)
    how = f"（触发 {'/'.join(triggers)}）" if triggers else ""
    how_en = f" (fire {' or '.join(triggers)})" if triggers else ""
    return (f"当前阶段 {here} 尚不能{w.title.split(' ')[0]}：进入 {_title(programme, w.opens)} 阶段后开放{how} / "
            f"{_english(w.title)} is not open in stage {state!r}: it opens at stage {w.opens!r}{how_en}")


def _english(title: str) -> str:
    parts = title.split(" ", 1)
    return parts[1] if len(parts) == 2 and not parts[0].isascii() else title


def plainly_open(programme: LoadedProgramme, kind: str, state: str | None) -> bool:
    """True when ``kind`` is surely open with the lifecycle in ``state`` (None: no lifecycle instance):
    no window, or a state inside it. False means "ask :func:`refusal`" (a stage gone back may still be open)."""
    w = _windows(programme).get(kind)
    return w is None or state is None or state in w.open_states


def require_open(session: Session | Connection, programme: LoadedProgramme, kind: str) -> None:
    """Raise :class:`StageClosed` unless ``kind`` is open in the programme's current stage."""
    why = refusal(session, programme, kind)
    if why is not None:
        inst = _lifecycle(session, programme)
        raise StageClosed(why, action=kind, stage=inst.state if inst is not None else None)


def kind_of_workflow(programme: LoadedProgramme, workflow: str) -> str | None:
    for kind, w in programme.config.stages.actions.items():
        if workflow in w.workflows:
            return kind
    return None


def signature(programme: LoadedProgramme, kind: str) -> tuple[Any, ...]:
    """What :func:`open_clause` depends on, for caching a statement built with it."""
    w = _windows(programme).get(kind)
    lifecycle = programme.config.stages.lifecycle
    return (lifecycle, None) if w is None else (lifecycle, w.open_states, w.before_close, w.reached_states)


def open_clause(programme: LoadedProgramme, kind: str, pid: Any) -> ColumnElement[bool] | None:
    """A SQL condition that holds exactly when :func:`refusal` returns None (for one-statement paths)."""
    w = _windows(programme).get(kind)
    if w is None:
        return None
    wi, tl = WorkflowInstance, TransitionLog
    went_back = and_(wi.state.in_(w.before_close), exists().where(
        tl.instance_id == wi.id, tl.to_state.in_(w.reached_states), tl.outcome.in_(("done", "migrated"))))
    gated = exists().where(wi.programme_id == pid, wi.workflow == programme.config.stages.lifecycle,
                           wi.subject_type == "programme", wi.subject_id == pid,
                           or_(wi.state.in_(w.open_states), went_back))
    no_lifecycle = ~exists().where(wi.programme_id == pid, wi.workflow == programme.config.stages.lifecycle,
                                   wi.subject_type == "programme", wi.subject_id == pid)
    return or_(gated, no_lifecycle)


def check_stage_windows(programme_states: dict[str, list[str]], lifecycle: str, actions: dict[str, StageWindow],
                        find: Any, filename: str | None = None) -> list[Problem]:
    """Each window's ``from``/``until`` must be a state of the lifecycle (``find(path)`` gives a Pos)."""
    out: list[Problem] = []
    states = programme_states.get(lifecycle)
    if states is None:
        if actions:
            pos = find(("stages", "lifecycle"))
            out.append(Problem(pos.file, pos.line, pos.column,
                               f"阶段所依据的工作流不存在 / stages.lifecycle names workflow {lifecycle!r}, which this "
                               f"programme does not define", "stages.lifecycle",
                               f"one of: {', '.join(sorted(programme_states))}"))
        return out
    for kind, w in actions.items():
        for key, value in (("from", w.from_), ("until", w.until)):
            if value is not None and value not in states:
                pos = find(("stages", "actions", kind, key))
                if filename is not None and pos.file != filename:
                    continue  # a default window naming a stage this programme dropped: not gated (docs/stages.md)
                out.append(Problem(pos.file, pos.line, pos.column,
                                   f"阶段 {value!r} 不是 {lifecycle} 的状态 / stage {value!r} is not a state of "
                                   f"workflow {lifecycle!r}", f"stages.actions.{kind}.{key}",
                                   f"one of: {', '.join(states)}"))
    return out
