"""The youth plan type's own tables (prefix ``youth_``; Alembic branch ``youth`` in ``migrations/``).

Students, teachers and guardians are registry people and logins of the engine; these tables add
what a school needs: a student's school, grade and class this year; instructor teachers and their
school; an activity's (a shift's) safety file; instructors with each team; reflections, teacher
comments and the service-learning components of the growth portfolio (成长档案).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.sdk.tables import Base, utcnow


class Student(Base):
    __tablename__ = "youth_students"
    __table_args__ = (UniqueConstraint("programme_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    school: Mapped[str] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(30))
    class_name: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Teacher(Base):
    """An instructor teacher (指导教师): a login with the ``instructor`` role, and their school."""

    __tablename__ = "youth_teachers"
    __table_args__ = (UniqueConstraint("programme_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    school: Mapped[str] = mapped_column(String(120))


class ActivitySafety(Base):
    """The safety file of one activity (a shift): briefing, risk assessment, insurance."""

    __tablename__ = "youth_activity_safety"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), unique=True)
    briefing_by: Mapped[str | None] = mapped_column(String(120))
    briefing_at: Mapped[dt.datetime | None]
    briefing_note: Mapped[str | None] = mapped_column(Text)
    risk_summary: Mapped[str | None] = mapped_column(Text)
    dangerous: Mapped[bool] = mapped_column(default=False)
    risk_submitted_by: Mapped[str | None] = mapped_column(String(120))
    risk_approved_by: Mapped[str | None] = mapped_column(String(120))
    risk_approved_at: Mapped[dt.datetime | None]
    insurer: Mapped[str | None] = mapped_column(String(120))
    policy_no: Mapped[str | None] = mapped_column(String(60))
    insured_until: Mapped[dt.date | None]
    insurance_recorded_by: Mapped[str | None] = mapped_column(String(120))


class ActivityInstructor(Base):
    __tablename__ = "youth_activity_instructors"
    __table_args__ = (UniqueConstraint("shift_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_by: Mapped[str] = mapped_column(String(120))


class Reflection(Base):
    """A student's own reflection (反思), optionally on one project."""

    __tablename__ = "youth_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A teacher's comment (教师评语) on a student."""

    __tablename__ = "youth_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Component(Base):
    """A service-learning component on record (e.g. preparation) for a student and project."""

    __tablename__ = "youth_components"
    __table_args__ = (UniqueConstraint("volunteer_id", "project_id", "component"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    component: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
