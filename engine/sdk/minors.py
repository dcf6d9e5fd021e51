"""Facade methods for minors' safeguards and credits (issue 13), mixed into :class:`PlanContext`.

Guardians and consent (:mod:`engine.stages.recruitment.consent`):

* ``link_guardian(volunteer_id, user_id, relationship=)``, ``guardians_of(volunteer_id)``,
  ``wards_of(user_id)`` — a guardian's login linked to one or more students;
* ``consent(volunteer_id)`` (the latest :class:`ConsentView`, or None), ``consent_history(…)``;
* ``record_consent(volunteer_id, status, via=, guardian_user_id=, guardian_name=, note=)`` →
  ``(ConsentView, [assignment ids taken off])`` — ``requested`` / ``given`` / ``refused`` /
  ``withdrawn``, by the guardian's account (``via="account"``) or a paper form (``via="paper"``,
  recorded by ``ctx.actor``);
* ``record_presence(shift_id, volunteer_id, guardian_name=)`` and ``consent_blocker(volunteer_id,
  shift_id)`` — where the region lets a guardian's presence (陪同) replace consent.

Rules (:mod:`engine.rules.minors`, :mod:`engine.rules.credits`): ``minors_policy``,
``credit_schemes``, ``organisation_records(volunteer_id)`` (credited minutes, net of corrections,
over every programme of this programme's organisation), ``credit_report(volunteer_id, scheme, …)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from engine.rules.credits import CreditInput, CreditReport, convert

if TYPE_CHECKING:
    from engine.rules.credits import CreditScheme
    from engine.rules.minors import MinorsPolicy


@dataclass(frozen=True, slots=True)
class ConsentView:
    """One consent event: ``status`` requested/given/refused/withdrawn, ``via`` account/paper (decisions),
    ``guardian_name`` (the signer, or the relationship for an account), ``recorded_by`` who entered it."""

    id: int
    volunteer_id: int
    status: str
    via: str | None
    guardian_user_id: int | None
    guardian_name: str | None
    recorded_by: str
    note: str | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class GuardianView:
    volunteer_id: int
    user_id: int
    relationship: str


def _consent_view(row: Any) -> ConsentView:
    return ConsentView(row.id, row.volunteer_id, row.status, row.via, row.guardian_user_id, row.guardian_name,
                       row.recorded_by, row.note, row.created_at)


def age_awards_policy(pack: str, host: Any = None) -> Any:
    """The ``age_awards`` policy of an installed pack (e.g. ``pvsa``), or None if it has none;
    KeyError for a pack that is not installed."""
    from engine.rules.registry import get_pack

    return get_pack(pack, host).policy().age_awards


class MinorsMethods:
    """Mixed into :class:`engine.sdk.PlanContext` (which supplies session, programme, actor, now)."""

    session: Any
    programme: Any
    actor: str

    if TYPE_CHECKING:  # supplied by PlanContext as a read-only property
        @property
        def now(self) -> dt.datetime: ...

    # ---------------------------------------------------------------- guardians
    def link_guardian(self, volunteer_id: int, user_id: int, *, relationship: str) -> GuardianView:
        from engine.stages.recruitment import consent

        row = consent.link_guardian(self.session, volunteer_id, user_id, relationship=relationship,
                                    created_by=self.actor)
        return GuardianView(row.volunteer_id, row.user_id, row.relationship)

    def guardians_of(self, volunteer_id: int) -> list[GuardianView]:
        from engine.stages.recruitment import consent

        return [GuardianView(r.volunteer_id, r.user_id, r.relationship)
                for r in consent.guardians_of(self.session, volunteer_id)]

    def wards_of(self, user_id: int) -> list[int]:
        """Volunteer ids of the students this login is a guardian of."""
        from engine.stages.recruitment import consent

        return consent.wards_of(self.session, user_id)

    # ---------------------------------------------------------------- consent
    def consent(self, volunteer_id: int) -> ConsentView | None:
        from engine.stages.recruitment import consent

        row = consent.current(self.session, self.programme.id, volunteer_id)
        return _consent_view(row) if row is not None else None

    def consent_history(self, volunteer_id: int) -> list[ConsentView]:
        from engine.stages.recruitment import consent

        return [_consent_view(r) for r in consent.history(self.session, self.programme.id, volunteer_id)]

    def record_consent(self, volunteer_id: int, status: str, *, via: str | None = None,
                       guardian_user_id: int | None = None, guardian_name: str | None = None,
                       note: str | None = None) -> tuple[ConsentView, list[int]]:
        from engine.stages.recruitment import consent

        row, removed = consent.record(self.session, self.programme, volunteer_id, status, actor=self.actor, via=via,
                                      guardian_user_id=guardian_user_id, guardian_name=guardian_name, note=note,
                                      now=self.now)
        return _consent_view(row), removed

    def record_presence(self, shift_id: int, volunteer_id: int, *, guardian_name: str) -> None:
        from engine.stages.recruitment import consent

        consent.record_presence(self.session, self.programme, shift_id, volunteer_id, guardian_name=guardian_name,
                                actor=self.actor)

    def consent_blocker(self, volunteer_id: int, shift_id: int, age: int) -> str | None:
        """Why consent keeps this student (of ``age`` on the shift's day) off the shift, or None."""
        from engine.stages.recruitment import consent

        return consent.cleared_for_shift(self.session, self.programme, volunteer_id, shift_id, age)

    # ---------------------------------------------------------------- rules
    @property
    def minors_policy(self) -> MinorsPolicy | None:
        return self.programme.rules_policy.minors  # type: ignore[no-any-return]

    @property
    def credit_schemes(self) -> dict[str, CreditScheme]:
        return dict(self.programme.rules_policy.credits or {})

    def organisation_records(self, volunteer_id: int) -> list[CreditInput]:
        """The volunteer's verified records, net of corrections, over every programme of this
        programme's organisation (a school's yearly programmes), as credited minutes per record."""
        from engine.stages.design.models import Project
        from engine.stages.records.models import ServiceRecord as R
        from engine.store.models import ProgrammeRow

        org = self.session.get(ProgrammeRow, self.programme.id)
        org_id = org.organisation_id if org is not None else None
        pids = ([self.programme.id] if org_id is None else
                list(self.session.scalars(select(ProgrammeRow.id).where(ProgrammeRow.organisation_id == org_id))))
        rows = self.session.execute(select(R, Project.name).outerjoin(Project, Project.id == R.project_id).where(
            R.programme_id.in_(pids), R.volunteer_id == volunteer_id, R.verified_at.is_not(None))
            .order_by(R.id)).all()
        base: dict[int, Any] = {}
        minutes: dict[int, int] = {}
        for rec, pname in rows:
            key = rec.reverses_id or rec.adjusts_id or rec.id
            if key == rec.id:
                base[rec.id] = (rec, pname)
            minutes[key] = minutes.get(key, 0) + rec.minutes
        out = []
        for rid, (rec, pname) in base.items():
            day = rec.started_at.astimezone(self.programme.config.tz).date()
            out.append(CreditInput(record_id=rid, day=day, category=rec.category, minutes=minutes.get(rid, 0),
                                   captured=rec.captured, project_id=rec.project_id,
                                   project_name=pname or rec.source_project))
        return out

    def credit_report(self, volunteer_id: int, scheme: str, *, components: dict[int | None, set[str]] | None = None,
                      school_years: list[int] | None = None) -> CreditReport:
        schemes = self.credit_schemes
        if scheme not in schemes:
            from engine.errors import NotFound

            raise NotFound(f"本项目没有学分方案 {scheme!r} / no credit scheme {scheme!r} (have: "
                           f"{', '.join(schemes) or 'none'})", field="scheme")
        return convert(scheme, schemes[scheme], self.organisation_records(volunteer_id), components=components,
                       school_years=school_years)
