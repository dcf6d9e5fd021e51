"""Core tables: programmes, workflow instances, the transition log, people who log in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base, utcnow


class ProgrammeRow(Base):
    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    plan_type: Mapped[str] = mapped_column(String(63), index=True)
    source_name: Mapped[str] = mapped_column(String(500))
    source_text: Mapped[str] = mapped_column(Text)
    config_hash: Mapped[str] = mapped_column(String(64))
    # the organisation that runs it (engine.orgs): it records the service and certifies it
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WorkflowInstance(Base):
    """One thing following one workflow: its state and the lock version."""

    __tablename__ = "workflow_instances"
    __table_args__ = (UniqueConstraint("programme_id", "workflow", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    workflow: Mapped[str] = mapped_column(String(63))
    subject_type: Mapped[str] = mapped_column(String(63))
    subject_id: Mapped[str] = mapped_column(String(63))
    state: Mapped[str] = mapped_column(String(63))
    version: Mapped[int] = mapped_column(default=1)
    definition_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TransitionLog(Base):
    """Append-only: who fired what, when, from where to where, and why it was refused."""

    __tablename__ = "transition_log"
    __table_args__ = (Index("ix_transition_log_instance_at", "instance_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"))
    programme_id: Mapped[str] = mapped_column(String(63), index=True)
    workflow: Mapped[str] = mapped_column(String(63))
    trigger: Mapped[str] = mapped_column(String(63))
    from_state: Mapped[str] = mapped_column(String(63))
    to_state: Mapped[str | None] = mapped_column(String(63))
    outcome: Mapped[str] = mapped_column(String(16))  # done | refused | migrated
    actor: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    definition_version: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))  # where email notifications go (engine.notify)
    is_superuser: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked: Mapped[bool] = mapped_column(default=False)


class RoleGrant(Base):
    """A person's role in one programme (admin, coordinator, team_leader, supervisor, volunteer …)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "programme_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    role: Mapped[str] = mapped_column(String(63))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


import engine.orgs.models  # noqa: E402,F401  (programmes reference organisations)
