"""Who may see a person: the one tenancy rule of the shared real-name registry (issue 9).

The registry holds one record per person across all organisations (one identity, as in the
national system). A programme sees a person only once that person has **joined** it, i.e. holds an
enrolment there — by their own action (self-registration, a confirmed claim, a coordinator at the
desk with the person present) or by the import of their unit, which the person can see
(``GET volunteers/me``) and leave (``POST …/leave``). An **organisation** (the programmes with the
same ``organisation: name``) may enrol someone who already joined another of its programmes.
Everyone else's people do not exist for it: every lookup answers 404 with the same words whether
the id is unused or belongs to someone elsewhere, so ids cannot be probed.

Every route that returns or acts on a person by id goes through :func:`visible_volunteer` (or
:func:`visible_here` inside a larger query); :func:`visible_to_organisation` decides enrolment.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.programme import LoadedProgramme
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.store.models import ProgrammeRow

_ORG_CACHE: dict[tuple[str, str], str] = {}


def visible_here(programme_id: str) -> ColumnElement[bool]:
    """SQL condition on ``Volunteer.id``: the person joined this programme."""
    return Volunteer.id.in_(select(Enrolment.volunteer_id).where(Enrolment.programme_id == programme_id))


def not_found(programme_id: str, volunteer_id: int, field: str = "volunteer_id") -> NotFound:
    return NotFound(f"本项目没有志愿者 {volunteer_id} / programme {programme_id!r} has no volunteer {volunteer_id}",
                    field=field, volunteer_id=volunteer_id)


def visible_volunteer(session: Session, programme_id: str, volunteer_id: int, *, lock: bool = False,
                      field: str = "volunteer_id") -> Volunteer:
    """The person, if they joined this programme; otherwise 404 (whether or not the id exists)."""
    q = select(Volunteer).where(Volunteer.id == volunteer_id, visible_here(programme_id))
    vol = session.scalars(q.with_for_update() if lock else q).one_or_none()
    if vol is None:
        raise not_found(programme_id, volunteer_id, field)
    return vol


def organisation_programme_ids(session: Session, programme: LoadedProgramme) -> list[str]:
    """The programmes run by the same organisation (same ``organisation: name``), this one included."""
    from ruamel.yaml import YAML

    mine = programme.config.organisation.name
    out = []
    for pid, digest in session.execute(select(ProgrammeRow.id, ProgrammeRow.config_hash)):
        name = _ORG_CACHE.get((pid, digest))
        if name is None:
            text = session.scalar(select(ProgrammeRow.source_text).where(ProgrammeRow.id == pid))
            doc: Any = YAML(typ="safe").load(text or "")
            org = doc.get("organisation") if isinstance(doc, dict) else None
            name = str(org.get("name", "")) if isinstance(org, dict) else ""
            _ORG_CACHE[(pid, digest)] = name
        if name == mine:
            out.append(pid)
    return out


def visible_to_organisation(session: Session, programme: LoadedProgramme, volunteer_id: int) -> Volunteer | None:
    """The person, if they joined any programme of this programme's organisation."""
    pids = organisation_programme_ids(session, programme)
    return session.scalars(select(Volunteer).where(Volunteer.id == volunteer_id, Volunteer.id.in_(
        select(Enrolment.volunteer_id).where(Enrolment.programme_id.in_(pids))))).one_or_none()
