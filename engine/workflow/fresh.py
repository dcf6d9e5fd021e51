"""A new subject and its workflow instance, written together: one statement on PostgreSQL.

What :meth:`WorkflowService.start_with_subject` does: insert the subject's row, the instance of its
workflow in the initial state, and the instance's ``__start__`` log entry — the same three rows, with
the same values, as ``insert_loaded`` followed by :meth:`WorkflowService.start` with ``fresh=True``.
On PostgreSQL they are one ``INSERT`` with the other two in data-modifying ``WITH`` clauses (the
instance's ``subject_id`` is the subject's new id), so a sign-up (``applications.apply``) writes in one
round trip instead of three; foreign keys are checked at the end of the statement, as for three. SQLite
has no ``INSERT`` in ``WITH`` and runs the three statements (no round trips there).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import JSON, Integer, String, Table, bindparam, literal, select, true
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from engine.store.base import Base, UTCDateTime, adopt_loaded
from engine.store.models import TransitionLog, WorkflowInstance

_INSTANCE = ("programme_id", "workflow", "subject_type", "subject_id", "state", "version", "definition_version",
             "created_at", "updated_at")
_LOG = ("instance_id", "programme_id", "workflow", "trigger", "from_state", "to_state", "outcome", "actor", "roles",
        "reasons", "payload", "definition_version", "at")
_STATEMENTS: dict[tuple[type, tuple[str, ...]], Any] = {}


def _arg(name: str, type_: Any) -> Any:
    return bindparam(name, type_=type_)


def statement(model: type[Base], columns: tuple[str, ...]) -> Any:
    """The one PostgreSQL statement for ``model`` with ``columns`` given (parameters ``s_<column>``),
    then the instance (``w_*``) and the start log (``actor``); rows labelled ``s_*`` and ``i_*``."""
    key = (model, columns)
    cached = _STATEMENTS.get(key)
    if cached is not None:
        return cached
    table = cast(Table, model.__table__)
    wi, tl = cast(Table, WorkflowInstance.__table__), cast(Table, TransitionLog.__table__)
    subject = (postgresql.insert(table).values({c: _arg(f"s_{c}", table.c[c].type) for c in columns})
               .returning(*table.c).cte("subject"))
    now = _arg("w_now", UTCDateTime())
    instance = (postgresql.insert(wi).from_select(_INSTANCE, select(
        _arg("w_programme_id", String()), _arg("w_workflow", String()), _arg("w_subject_type", String()),
        sql_cast(subject.c.id, String()), _arg("w_state", String()), literal(1, Integer()),
        _arg("w_definition_version", String()), now, now).select_from(subject), include_defaults=False)
        .returning(*wi.c).cte("instance"))
    log = postgresql.insert(tl).from_select(_LOG, select(
        instance.c.id, instance.c.programme_id, instance.c.workflow, literal("__start__", String()),
        literal("", String()), instance.c.state, literal("done", String()), _arg("actor", String()),
        _arg("roles", JSON()), _arg("reasons", JSON()), _arg("payload", JSON()), instance.c.definition_version,
        instance.c.created_at).select_from(instance), include_defaults=False).cte("start_log")
    stmt = (select(*[c.label(f"s_{c.name}") for c in subject.c], *[c.label(f"i_{c.name}") for c in instance.c])
            .select_from(subject.join(instance, true())).add_cte(log))
    _STATEMENTS[key] = stmt
    return stmt


def write(session: Session, model: type[Base], values: dict[str, Any], instance: dict[str, Any],
          actor: str) -> tuple[Any, WorkflowInstance]:
    """Run :func:`statement` (PostgreSQL): the subject and its instance as loaded ORM objects of the session."""
    if session.new:
        session.flush()
    columns = tuple(values)
    params = {f"s_{c}": v for c, v in values.items()}
    params.update({f"w_{k}": v for k, v in instance.items()})
    params.update(actor=actor, roles=[], reasons=[], payload={})
    row = session.connection().execute(statement(model, columns), params).one()
    m = row._mapping
    table = cast(Table, model.__table__)
    subject = adopt_loaded(session, model, {c.name: m[f"s_{c.name}"] for c in table.c})
    inst = adopt_loaded(session, WorkflowInstance, {c.name: m[f"i_{c.name}"] for c in WorkflowInstance.__table__.c})
    return subject, inst
