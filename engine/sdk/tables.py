"""Tables a plan type may define and query (public).

* :class:`Base`, :class:`UTCDateTime`, :func:`utcnow`, :func:`upsert` — to define your own tables
  (ship Alembic revisions for them: ``volunteer db revision PLAN_TYPE -m "…"``) and write them
  portably on SQLite and PostgreSQL.
* :class:`EncryptedString`, :func:`blind_index` — personal data your tables hold (ID numbers, phones)
  stored encrypted with the engine's data keys, and a keyed index for exact look-ups
  (``docs/security.md``); ``volunteer keys rotate`` re-encrypts your columns too.
* The engine's tables, for **reading and joining** in your own queries (a report, a filter, a join
  to your own table). Write to them only through :class:`engine.sdk.PlanContext`: it runs the
  engine's checks, counts totals and calls the award hooks, which a direct ``INSERT`` would skip.

The column names of the tables listed here are part of the public contract: they change only with a
migration and a note in the changelog.
"""

from __future__ import annotations

from engine.crypto import EncryptedString, blind_index
from engine.stages.design.models import Post, Project, Shift
from engine.stages.needs.models import Need
from engine.stages.records.models import ServiceRecord, VolunteerTotal
from engine.stages.recruitment.models import Application, Enrolment, Volunteer
from engine.stages.rewards.models import Balance, CatalogueItem, Honour, LedgerEntry, Redemption
from engine.stages.service.models import Assignment, Checkin, HourReport, Incident
from engine.stages.training.models import Completion, Course
from engine.store.base import Base, UTCDateTime, utcnow
from engine.store.base import dialect_insert as upsert
from engine.store.models import RoleGrant, TransitionLog, User, WorkflowInstance

__all__ = [
    "Application", "Assignment", "Balance", "Base", "CatalogueItem", "Checkin", "Completion", "Course",
    "EncryptedString", "Enrolment", "Honour", "HourReport", "Incident", "LedgerEntry", "Need", "Post", "Project", "Redemption",
    "RoleGrant", "ServiceRecord", "Shift", "TransitionLog", "UTCDateTime", "User", "Volunteer",
    "VolunteerTotal", "WorkflowInstance", "blind_index", "upsert", "utcnow",
]

