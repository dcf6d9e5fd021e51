"""The engine as one object: plugins, store, programmes, workflows and accounts.

The CLI, the HTTP app and the testing helper all build one :class:`VolunteerEngine` and go
through it, so the rules are the same whichever door a person comes in by.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.auth.service import AuthService
from engine.auth.throttle import LoginThrottle
from engine.config.loader import load_programme
from engine.errors import GuardsFailed, InvalidInput, NotFound, PluginError, StrandedInstances
from engine.plugins import PluginHost, default_host
from engine.programme import LoadedProgramme
from engine.sdk import attach
from engine.settings import get_settings
from engine.store.base import utcnow
from engine.store.db import Database
from engine.store.models import ProgrammeRow, TransitionLog, WorkflowInstance
from engine.workflow.service import FireResult, WorkflowService


@dataclass
class Stranded:
    workflow: str
    state: str
    count: int
    sample: list[str]

    def __str__(self) -> str:
        return (f"{self.count} 个 {self.workflow} 实例停在已不存在的状态 {self.state!r} / {self.count} "
                f"{self.workflow!r} instance(s) sit in state {self.state!r} which the new definition lacks "
                f"(e.g. {', '.join(self.sample)})")


class VolunteerEngine:
    def __init__(self, database_url: str | None = None, *, host: PluginHost | None = None,
                 upgrade: bool = True) -> None:
        settings = get_settings()
        self.host = host or default_host()
        attach(self.host)
        self.db = Database(database_url or settings.database_url)
        self.workflows = WorkflowService(self.host)
        self.auth = AuthService(settings.token_ttl_hours, password_min_length=settings.password_min_length,
                                throttle=LoginThrottle(settings.login_throttle, settings.rate_limit_storage_url))
        self._cache: dict[str, LoadedProgramme] = {}
        if upgrade:
            self.db.upgrade(self.host.migration_dirs())

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.db.session() as s:
            yield s

    # ------------------------------------------------------------------ programmes
    def parse(self, source: str | Path, filename: str | None = None) -> LoadedProgramme:
        return load_programme(source, self.host, filename=filename)

    def load(self, source: str | Path, *, filename: str | None = None,
             migrate: dict[str, dict[str, str]] | None = None, actor: str = "system",
             session: Session | None = None) -> LoadedProgramme:
        """Validate and store a programme (new or changed), in one transaction (the caller's, if
        ``session`` is given — an HTTP request must pass its own: SQLite allows one writer).

        A changed definition that would strand running instances is refused with the list of
        them, unless ``migrate`` (or the YAML's ``migrate_states``) maps every stranded state.
        """
        loaded = self.parse(source, filename)
        if session is not None:
            self.store_programme(session, loaded, migrate=migrate, actor=actor)
        else:
            with self.session() as s:
                self.store_programme(s, loaded, migrate=migrate, actor=actor)
        self._cache[loaded.id] = loaded
        return loaded

    def store_programme(self, s: Session, loaded: LoadedProgramme, *, migrate: dict[str, dict[str, str]] | None = None,
                        actor: str = "system") -> None:
        migrate = migrate or {}
        row = s.get(ProgrammeRow, loaded.id)
        if row is not None:
            if row.plan_type != loaded.plan_type_id:
                raise InvalidInput(
                    f"项目 {loaded.id} 的计划类型是 {row.plan_type}，不能改为 {loaded.plan_type_id} / programme "
                    f"{loaded.id!r} is of plan type {row.plan_type!r} and cannot become {loaded.plan_type_id!r}",
                    field="plan_type")
            self._migrate_instances(s, loaded, migrate, actor)
            row.name = loaded.config.name
            row.source_name = loaded.source_name
            row.source_text = loaded.source_text
            row.config_hash = loaded.config_hash
            row.loaded_at = utcnow()
        else:
            s.add(ProgrammeRow(id=loaded.id, name=loaded.config.name, plan_type=loaded.plan_type_id,
                               source_name=loaded.source_name, source_text=loaded.source_text,
                               config_hash=loaded.config_hash))
            s.flush()
        from engine.orgs.service import attach_programme

        attach_programme(s, loaded)
        for wf in loaded.workflows.values():
            if wf.definition.subject == "programme":
                self.workflows.start(s, loaded, wf.name, "programme", loaded.id, actor=actor)
        self.host.call("volunteer_programme_loaded", plan_type=loaded.plan_type_id, programme=loaded, session=s)

    def _migrate_instances(self, s: Session, loaded: LoadedProgramme, migrate: dict[str, dict[str, str]],
                           actor: str) -> None:
        stranded: list[Stranded] = []
        moves: list[tuple[str, str, str]] = []
        rows = s.execute(select(WorkflowInstance.workflow, WorkflowInstance.state, WorkflowInstance.subject_type,
                                WorkflowInstance.subject_id).where(WorkflowInstance.programme_id == loaded.id))
        groups: dict[tuple[str, str], list[str]] = {}
        for workflow, state, stype, sid in rows:
            groups.setdefault((workflow, state), []).append(f"{stype}:{sid}")
        for (workflow, state), subjects in sorted(groups.items()):
            wf = loaded.workflows.get(workflow)
            if wf is not None and state in wf.definition.states:
                continue
            mapping = {**(wf.definition.migrate_states if wf else {}), **migrate.get(workflow, {})}
            target = mapping.get(state)
            if wf is not None and target in wf.definition.states:
                moves.append((workflow, state, target))
            else:
                stranded.append(Stranded(workflow, state, len(subjects), subjects[:3]))
        if stranded:
            lines = "\n".join(f"  - {x}" for x in stranded)
            raise StrandedInstances(
                f"新定义会让运行中的实例无处可去，未加载 / the new definition strands running instances; nothing was "
                f"loaded:\n{lines}\nMap each state to a new one: in the YAML under workflows.<name>.migrate_states "
                f"(old: new), or with `volunteer load --map <workflow>.<old>=<new>`.",
                stranded=[x.__dict__ for x in stranded])
        for workflow, old, new in moves:
            wf = loaded.workflows[workflow]
            insts = list(s.scalars(select(WorkflowInstance).where(
                WorkflowInstance.programme_id == loaded.id, WorkflowInstance.workflow == workflow,
                WorkflowInstance.state == old)))
            s.execute(update(WorkflowInstance).where(
                WorkflowInstance.programme_id == loaded.id, WorkflowInstance.workflow == workflow,
                WorkflowInstance.state == old).values(
                    state=new, version=WorkflowInstance.version + 1, definition_version=wf.version,
                    updated_at=utcnow()).execution_options(synchronize_session=False))
            s.add_all(TransitionLog(instance_id=i.id, programme_id=loaded.id, workflow=workflow, trigger="__migrate__",
                                    from_state=old, to_state=new, outcome="migrated", actor=actor, roles=[], reasons=[],
                                    payload={"reason": "definition changed"}, definition_version=wf.version)
                      for i in insts)
        s.flush()

    def programme(self, programme_id: str, session: Session | None = None) -> LoadedProgramme:
        """The stored programme, parsed (cached by content hash)."""
        if session is None:
            with self.session() as s:
                return self.programme(programme_id, s)
        # Read only the hash on the hot path; the YAML text is fetched when the cache is stale.
        stored_hash = session.scalar(select(ProgrammeRow.config_hash).where(ProgrammeRow.id == programme_id))
        if stored_hash is None:
            known = ", ".join(sorted(session.scalars(select(ProgrammeRow.id)))) or "(none loaded)"
            raise NotFound(f"没有项目 / no programme {programme_id!r}; loaded: {known}", programme=programme_id)
        cached = self._cache.get(programme_id)
        if cached is not None and cached.config_hash == stored_hash:
            return cached
        row = session.get(ProgrammeRow, programme_id)
        assert row is not None
        if self.host.plan_type(row.plan_type) is None:
            raise PluginError(f'项目 {programme_id} 的计划类型 "{row.plan_type}" 未安装 / plan type "{row.plan_type}" '
                              f"of programme {programme_id!r} is not installed; installed: {', '.join(self.host.plan_type_ids())}")
        loaded = self.parse(row.source_text, row.source_name)
        self._cache[programme_id] = loaded
        return loaded

    def programme_ids(self) -> list[str]:
        with self.session() as s:
            return sorted(s.scalars(select(ProgrammeRow.id)))

    # ------------------------------------------------------------------ workflows
    def lifecycle(self, s: Session, programme: LoadedProgramme, workflow: str = "lifecycle") -> WorkflowInstance:
        inst = self.workflows.find(s, programme.id, workflow, "programme", programme.id)
        if inst is None:
            raise NotFound(f"项目 {programme.id} 没有 {workflow} 实例 / programme {programme.id!r} has no "
                           f"{workflow!r} instance")
        return inst

    def fire(self, programme_id: str, instance_id: int, trigger: str, *, actor: str, roles: set[str] | frozenset[str],
             expected_version: int | None = None, payload: dict[str, Any] | None = None) -> FireResult:
        """Fire in a transaction of its own; guard refusals are logged, then raised as GuardsFailed."""
        with self.session() as s:
            programme = self.programme(programme_id, s)
            inst = self.workflows.get(s, programme, instance_id)
            result = self.workflows.fire(s, programme, inst, trigger, actor=actor, roles=frozenset(roles),
                                         expected_version=expected_version, payload=payload)
        if not result.ok:
            raise GuardsFailed(trigger, result.reasons)
        return result
