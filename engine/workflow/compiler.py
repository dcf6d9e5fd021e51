"""Compile a :class:`~engine.config.models.WorkflowDef` into one shared ``transitions`` machine.

One machine per definition, ``model=None`` and ``auto_transitions=False``; instances are
lightweight objects hydrated from a database row for the length of a request and handed to
``machine.events[trigger].trigger(instance)``. No machine per row, no ``add_model`` (which is
O(n) per call and costs kilobytes per model; pytransitions issues #146, #434).

Guards are evaluated by the engine *before* the trigger (so that every failing guard gives its
reason, which ``transitions`` conditions cannot), and the machine then checks the source state
and moves the instance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from transitions import Machine

from engine.config.models import TransitionDef, WorkflowDef


@dataclass(frozen=True)
class Edge:
    name: str
    trigger: str
    source: str
    dest: str
    definition: TransitionDef


class Token:
    """The lightweight object a machine moves: only a state."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


@dataclass
class CompiledWorkflow:
    name: str
    definition: WorkflowDef
    version: str
    machine: Machine
    edges: list[Edge] = field(default_factory=list)
    _by_source: dict[str, list[Edge]] = field(default_factory=dict)

    def edges_from(self, state: str) -> list[Edge]:
        return self._by_source.get(state, [])

    def edge(self, state: str, trigger: str) -> Edge | None:
        for e in self.edges_from(state):
            if e.trigger == trigger:
                return e
        return None

    def triggers(self) -> set[str]:
        return {e.trigger for e in self.edges}

    def move(self, state: str, trigger: str) -> str:
        """Run the machine's trigger on a token in ``state``; returns the new state."""
        token = Token(state)
        self.machine.events[trigger].trigger(token)
        return token.state


def definition_version(wf: WorkflowDef) -> str:
    """A short content hash of what changes behaviour: states and transitions."""
    body = wf.model_dump(mode="json", by_alias=True, include={"initial", "states", "transitions"})
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def compile_workflow(name: str, wf: WorkflowDef) -> CompiledWorkflow:
    edges: list[Edge] = []
    for tname, t in wf.transitions.items():
        for src in t.from_:
            edges.append(Edge(tname, t.trigger or tname, src, t.to, t))
    machine = Machine(
        model=None,
        states=list(wf.states),
        transitions=[{"trigger": e.trigger, "source": e.source, "dest": e.dest} for e in edges],
        initial=wf.initial,
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )
    by_source: dict[str, list[Edge]] = {}
    for e in edges:
        by_source.setdefault(e.source, []).append(e)
    return CompiledWorkflow(name, wf, definition_version(wf), machine, edges, by_source)
