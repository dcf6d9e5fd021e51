"""Firing transitions against the store: one database transaction per transition.

Order inside the transaction: load the row → check the expected version (optimistic lock) →
find the transition from the current state → check the actor's roles → run every guard and
collect every reason → let the shared ``transitions`` machine move a token → run actions →
``UPDATE … WHERE version = :seen`` (a concurrent winner makes this touch no row: conflict) →
append the log row. A refusal by guards is logged too (outcome ``refused``) and changes no state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from engine.errors import Forbidden, InvalidInput, NotFound, StaleVersion, WrongState
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.store.base import Base, insert_loaded, utcnow
from engine.store.models import TransitionLog, WorkflowInstance
from engine.workflow import fresh
from engine.workflow.compiler import CompiledWorkflow, Edge
from engine.workflow.context import GuardContext

log = logging.getLogger("engine.workflow")


@dataclass
class TriggerStatus:
    trigger: str
    transition: str
    title: str | None
    to: str
    roles: list[str]
    allowed_for_you: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.allowed_for_you and not self.reasons


@dataclass
class FireResult:
    ok: bool
    instance: WorkflowInstance
    trigger: str
    reasons: list[str]
    log_id: int


_START_LOG = insert(TransitionLog)  # the __start__ entry of a new instance, written with it


class WorkflowService:
    def __init__(self, host: PluginHost) -> None:
        self.host = host

    # -------------------------------------------------------------- instances
    def start(
        self,
        session: Session,
        programme: LoadedProgramme,
        workflow: str,
        subject_type: str,
        subject_id: str | int,
        *,
        actor: str = "system",
        fresh: bool = False,
    ) -> WorkflowInstance:
        """Create the instance of ``workflow`` for a subject, in the initial state (idempotent).
        ``fresh``: the caller has just created the subject, so no instance can exist yet (one read
        saved). The instance and its ``__start__`` log entry are written by two INSERTs."""
        wf = programme.workflow(workflow)
        if not fresh:
            existing = self.find(session, programme.id, workflow, subject_type, str(subject_id))
            if existing is not None:
                return existing
        now = utcnow()
        inst: WorkflowInstance = insert_loaded(session, WorkflowInstance, {
            "programme_id": programme.id, "workflow": workflow, "subject_type": subject_type,
            "subject_id": str(subject_id), "state": wf.definition.initial, "version": 1,
            "definition_version": wf.version, "created_at": now, "updated_at": now})
        session.connection().execute(_START_LOG, {
            "instance_id": inst.id, "programme_id": programme.id, "workflow": workflow, "trigger": "__start__",
            "from_state": "", "to_state": inst.state, "outcome": "done", "actor": actor, "roles": [], "reasons": [],
            "payload": {}, "definition_version": wf.version, "at": now})
        return inst

    def start_with_subject(self, session: Session, programme: LoadedProgramme, workflow: str, model: type[Base],
                           values: dict[str, Any], subject_type: str, *,
                           actor: str = "system") -> tuple[Any, WorkflowInstance]:
        """Insert a subject's row (``model`` with ``values``) and :meth:`start` its instance; the subject
        and the instance come back as loaded ORM objects. The same rows as ``insert_loaded`` then
        ``start(fresh=True)``; on PostgreSQL one statement (:mod:`engine.workflow.fresh`)."""
        if session.get_bind().dialect.name != "postgresql":
            subject = insert_loaded(session, model, values)
            return subject, self.start(session, programme, workflow, subject_type, subject.id, actor=actor, fresh=True)
        wf = programme.workflow(workflow)
        return fresh.write(session, model, values, {
            "programme_id": programme.id, "workflow": workflow, "subject_type": subject_type,
            "state": wf.definition.initial, "definition_version": wf.version, "now": utcnow()}, actor)

    def find(self, session: Session, programme_id: str, workflow: str, subject_type: str, subject_id: str) -> WorkflowInstance | None:
        return session.scalars(select(WorkflowInstance).where(
            WorkflowInstance.programme_id == programme_id,
            WorkflowInstance.workflow == workflow,
            WorkflowInstance.subject_type == subject_type,
            WorkflowInstance.subject_id == str(subject_id),
        )).one_or_none()

    def get(self, session: Session, programme: LoadedProgramme, instance_id: int) -> WorkflowInstance:
        inst = session.get(WorkflowInstance, instance_id)
        if inst is None or inst.programme_id != programme.id:
            raise NotFound(f"programme {programme.id!r} has no workflow instance {instance_id}", instance=instance_id)
        return inst

    def history(self, session: Session, instance_id: int, *, last: int | None = None) -> list[TransitionLog]:
        """The instance's log, oldest first (only the ``last`` newest entries when given)."""
        q = select(TransitionLog).where(TransitionLog.instance_id == instance_id)
        if last is None:
            return list(session.scalars(q.order_by(TransitionLog.id)))
        return list(session.scalars(q.order_by(TransitionLog.id.desc()).limit(last)))[::-1]

    def states_count(self, session: Session, programme_id: str, workflow: str) -> dict[str, int]:
        rows = session.execute(
            select(WorkflowInstance.state, func.count()).where(
                WorkflowInstance.programme_id == programme_id, WorkflowInstance.workflow == workflow
            ).group_by(WorkflowInstance.state)
        )
        return {state: n for state, n in rows}

    # -------------------------------------------------------------- evaluation
    def _context(self, session: Session, programme: LoadedProgramme, inst: WorkflowInstance, edge: Edge,
                 actor: str, roles: frozenset[str], payload: dict[str, Any]) -> GuardContext:
        ctx: GuardContext = self.host.guard_context(session, programme, instance=inst, trigger=edge.trigger,
                                                    source=edge.source, dest=edge.dest, actor=actor, roles=roles,
                                                    payload=payload)
        return ctx

    def guard_reasons(self, ctx: GuardContext, edge: Edge) -> list[str]:
        reasons: list[str] = []
        guards = self.host.guards.items
        for ref in edge.definition.guards:
            named = guards[ref.name]
            ctx.params = ref.params
            try:
                for r in named.function(ctx) or ():
                    reasons.append(str(r))
            except Exception as exc:
                log.exception("guard %s failed", ref.name)
                reasons.append(f'守卫 {ref.name} 出错（插件 "{named.plugin_name}"）/ guard {ref.name} of plugin '
                               f'"{named.plugin_name}" failed: {exc!r}')
        ctx.params = {}
        return reasons

    def evaluate(self, session: Session, programme: LoadedProgramme, inst: WorkflowInstance, *,
                 actor: str, roles: frozenset[str], payload: dict[str, Any] | None = None) -> list[TriggerStatus]:
        """Every trigger from the current state, whether this actor may fire it and what blocks it."""
        wf = programme.workflow(inst.workflow)
        out = []
        for edge in wf.edges_from(inst.state):
            allowed = bool(roles & set(edge.definition.roles))
            ctx = self._context(session, programme, inst, edge, actor, roles, payload or {})
            out.append(TriggerStatus(edge.trigger, edge.name, edge.definition.title, edge.dest,
                                     list(edge.definition.roles), allowed, self.guard_reasons(ctx, edge)))
        return out

    # -------------------------------------------------------------- firing
    def fire(
        self,
        session: Session,
        programme: LoadedProgramme,
        inst: WorkflowInstance,
        trigger: str,
        *,
        actor: str,
        roles: frozenset[str] | set[str],
        expected_version: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> FireResult:
        """Fire ``trigger`` inside the caller's transaction. Refusals by guards return ``ok=False``
        (the refusal is logged; the caller commits so the log row stays). Everything else that
        stops a transition raises, so that the caller's transaction rolls back."""
        roles = frozenset(roles)
        payload = dict(payload or {})
        wf = programme.workflow(inst.workflow)
        if expected_version is not None and inst.version != expected_version:
            raise StaleVersion(
                f"实例已被他人更新（版本 {inst.version}，你看到的是 {expected_version}）/ instance {inst.id} is at "
                f"version {inst.version}, not {expected_version}: reload and try again",
                instance=inst.id, version=inst.version, expected_version=expected_version,
            )
        edge = wf.edge(inst.state, trigger)
        if edge is None:
            here = sorted({e.trigger for e in wf.edges_from(inst.state)})
            if trigger not in wf.triggers():
                raise InvalidInput(
                    f"工作流 {wf.name} 没有触发器 {trigger!r} / workflow {wf.name!r} has no trigger {trigger!r}; "
                    f"known: {', '.join(sorted(wf.triggers()))}", field="trigger")
            raise WrongState(
                f"当前状态 {inst.state!r} 下不能执行 {trigger!r} / cannot fire {trigger!r} from state {inst.state!r}; "
                f"available from here: {', '.join(here) or '(none)'}",
                state=inst.state, trigger=trigger, available=here)
        if not roles & set(edge.definition.roles):
            raise Forbidden(
                f"角色 {sorted(roles) or '（无）'} 不能执行 {trigger!r} / your roles {sorted(roles)} may not fire "
                f"{trigger!r}; allowed: {', '.join(edge.definition.roles)}",
                trigger=trigger, allowed_roles=list(edge.definition.roles))

        if inst.subject_type != "programme":  # an entity's workflow follows its stage window, if it has one
            from engine.workflow import stagegate as gate

            kind = gate.kind_of_workflow(programme, inst.workflow)
            if kind is not None:
                gate.require_open(session, programme, kind)
        ctx = self._context(session, programme, inst, edge, actor, roles, payload)
        reasons = self.guard_reasons(ctx, edge)
        if reasons:
            row = self._log(session, programme, inst, edge, None, "refused", actor, roles, reasons, payload, wf)
            return FireResult(False, inst, trigger, reasons, row.id)

        new_state = wf.move(inst.state, trigger)
        seen_version = inst.version
        result = session.execute(
            update(WorkflowInstance)
            .where(WorkflowInstance.id == inst.id, WorkflowInstance.version == seen_version)
            .values(state=new_state, version=seen_version + 1, definition_version=wf.version, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleVersion(
                f"实例 {inst.id} 刚被他人更新 / instance {inst.id} was changed by someone else at the same time; "
                "reload and try again", instance=inst.id)
        session.refresh(inst)
        for ref in edge.definition.actions:
            ctx.params = ref.params
            self.host.actions[ref.name].function(ctx)
        row = self._log(session, programme, inst, edge, new_state, "done", actor, roles, [], payload, wf,
                        from_state=edge.source)
        return FireResult(True, inst, trigger, [], row.id)

    def _log(self, session: Session, programme: LoadedProgramme, inst: WorkflowInstance, edge: Edge,
             to_state: str | None, outcome: str, actor: str, roles: frozenset[str], reasons: list[str],
             payload: dict[str, Any], wf: CompiledWorkflow, from_state: str | None = None) -> TransitionLog:
        row = TransitionLog(
            instance_id=inst.id, programme_id=programme.id, workflow=inst.workflow, trigger=edge.trigger,
            from_state=from_state or inst.state, to_state=to_state, outcome=outcome, actor=actor,
            roles=sorted(roles), reasons=reasons, payload=_jsonable(payload), definition_version=wf.version,
        )
        session.add(row)
        session.flush()
        return row


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
