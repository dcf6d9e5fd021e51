"""Typed read models: what hooks, guards and the facade hand a plan type (public as ``engine.sdk``).

Why read models and not the stored rows: a plan type must not depend on how the engine stores
things (columns move, personal data gets encrypted, tables split), and must not write by
assigning attributes. Each view is a frozen dataclass with the fields documented below; the
engine fills it from the store. Views are cheap (slots, no lazy loading) and safe to keep after
the unit of work ends.

Times are timezone-aware UTC (convert with ``ctx.local(t)``); dates are calendar dates; money and
points are :class:`~decimal.Decimal`; minutes are whole minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, TypeVar

T = TypeVar("T")

_FIELDS: dict[type, tuple[str, ...]] = {}


def view_of(cls: type[T], row: Any, **extra: Any) -> T:
    """Build a view from any object carrying its field names as attributes (a stored row)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.init)  # type: ignore[arg-type]
    values = {n: extra[n] if n in extra else getattr(row, n, None) for n in names}
    return cls(**values)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day`` (the birthday itself counts: born 2008-03-01 → 18 on 2026-03-01)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class VolunteerView:
    """A person in the real-name registry, as seen from one programme they are enrolled in.

    id: registry id · name: real name · gender: ``male`` | ``female`` · birth_date: from the ID
    number · id_number: resident ID number (personal data: show it masked unless the reader's role
    ``sees_personal_data``) · phone: mobile number or None (personal data) · skills, languages,
    qualifications: free tags · availability: free text · unit: the unit (work place, school …)
    that registered them, if any · user_id: the linked login account, or None.
    """

    id: int
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    phone: str | None
    skills: list[str]
    languages: list[str]
    qualifications: list[str]
    availability: str | None
    unit: str | None
    user_id: int | None

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on ``day`` (use the activity's date, not today's)."""
        return age_on(self.birth_date, day)


@dataclass(frozen=True, slots=True)
class EnrolmentView:
    """A volunteer's membership of a programme.

    source: ``self`` | ``coordinator`` | ``batch:<unit>`` · node: station-network node (community)
    · guardian_consent / guardian_name: a minor's guardian consent as recorded at enrolment ·
    enrolled_at: when.
    """

    id: int
    programme_id: str
    volunteer_id: int
    source: str
    node: str | None
    guardian_consent: bool
    guardian_name: str | None
    enrolled_at: dt.datetime


@dataclass(frozen=True, slots=True)
class UserView:
    """A login account. ``is_superuser``: the operator; ``active``: False once disabled."""

    id: int
    username: str
    display_name: str
    is_superuser: bool
    active: bool


@dataclass(frozen=True, slots=True)
class ProjectView:
    """A project (项目): kind ``daily`` | ``periodic`` | ``emergency``; node in the station network."""

    id: int
    programme_id: str
    name: str
    description: str | None
    kind: str
    place: str | None
    node: str | None
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass(frozen=True, slots=True)
class PostView:
    """A post (岗位) and what a volunteer must bring to take it.

    category: the service category points and rules key on · min_age / max_age: inclusive, on the
    day of service · skills, languages, qualifications: all required · required_courses: course
    codes that must be completed and unexpired.
    """

    id: int
    programme_id: str
    project_id: int
    name: str
    duties: str | None
    capacity: int
    category: str
    min_age: int | None
    max_age: int | None
    skills: list[str]
    languages: list[str]
    qualifications: list[str]
    required_courses: list[str]


@dataclass(frozen=True, slots=True)
class ShiftView:
    """A time slot of a post. ``cancelled_at`` is set when cancelled (the row stays)."""

    id: int
    programme_id: str
    post_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str | None
    capacity: int
    series: str | None
    cancelled_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """A volunteer rostered on a shift: status ``assigned`` | ``cancelled`` | ``no_show`` | ``substituted``."""

    id: int
    programme_id: str
    shift_id: int
    volunteer_id: int
    status: str
    substitute_for_id: int | None
    assigned_by: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RecordView:
    """A service record (append-only). A correction is a record with ``reverses_id`` and negative minutes.

    captured: how it was captured — ``checkin`` | ``self_reported`` | ``coordinator`` |
    ``transferred`` · minutes: credited minutes (negative on a reversal) · category: the service
    category (from the post) · rating: the beneficiary's 1–5 stars or None · verified_by/_at: set
    once when verified · source_org/source_ref/source_project: provenance of a transferred record.
    """

    id: int
    programme_id: str
    volunteer_id: int
    project_id: int | None
    post_id: int | None
    shift_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: int
    category: str
    content: str | None
    rating: int | None
    captured: str
    node: str | None
    verified_by: str | None
    verified_at: dt.datetime | None
    reverses_id: int | None
    source_org: str | None
    source_ref: str | None
    source_project: str | None
    created_by: str
    created_at: dt.datetime

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60


@dataclass(frozen=True, slots=True)
class TotalsView:
    """A volunteer's verified totals in a programme: ``minutes`` of all verified service,
    ``level_minutes`` of the kinds that count for levels, ``records`` (net count), current ``level``."""

    volunteer_id: int
    minutes: int
    level_minutes: int
    records: int
    level: str | None

    @property
    def hours(self) -> Decimal:
        return Decimal(self.minutes) / 60

    @property
    def level_hours(self) -> Decimal:
        return Decimal(self.level_minutes) / 60


@dataclass(frozen=True, slots=True)
class LedgerEntryView:
    """One ledger movement (append-only): ``amount`` positive credits, negative debits, in ``unit``.

    kind: why (``award``, ``bonus``, ``redemption``, ``refund``, ``reset``, ``reversal``, ``transfer`` …)
    · record_id: the service record that earned it · reverses_id: the entry it corrects · ref: its
    idempotency key · data: evidence.
    """

    id: int
    programme_id: str
    volunteer_id: int
    unit: str
    amount: Decimal
    kind: str
    reason: str
    record_id: int | None
    reverses_id: int | None
    ref: str | None
    data: dict[str, Any]
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CatalogueItemView:
    """A redemption catalogue item: ``cost`` in ``unit``; ``stock`` None means unlimited; ``flags`` are
    plan-defined tags (e.g. ``love_reward``)."""

    id: int
    programme_id: str
    code: str
    title: str
    unit: str
    cost: Decimal
    stock: int | None
    flags: list[str]
    active: bool


@dataclass(frozen=True, slots=True)
class NeedView:
    """A need (需求): frequency and urgency 1–5, people_affected a count (高频次、紧急性、普遍性)."""

    id: int
    programme_id: str
    title: str
    beneficiary_group: str
    category: str
    place: str | None
    source: str
    frequency: int
    urgency: int
    people_affected: int
    node: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class CompletionView:
    """A completed course: ``course_code`` with ``completed_on`` and ``expires_on`` (None: never)."""

    id: int
    course_id: int
    course_code: str
    volunteer_id: int
    completed_on: dt.date
    expires_on: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return self.completed_on <= day and (self.expires_on is None or day <= self.expires_on)


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident: ``level`` is the on-site responder level (``service.incident_levels``);
    ``status`` ``open`` | ``resolved``."""

    id: int
    programme_id: str
    shift_id: int | None
    category: str
    description: str
    level: str
    status: str
    reported_by: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    # --- added for event (incidents) ---
    gov_grade: str | None = None
    warning_colour: str | None = None
    acknowledged_at: dt.datetime | None = None
    acknowledged_by: str | None = None
    level_since: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class InstanceView:
    """A workflow instance: one subject (``subject_type`` + ``subject_id``) following ``workflow``,
    in ``state``; ``version`` is the optimistic-lock counter (pass it back to refuse a stale fire)."""

    id: int
    programme_id: str
    workflow: str
    subject_type: str
    subject_id: str
    state: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Fired:
    """What firing a trigger did: ``ok`` False means guards refused (``reasons``; the refusal is logged)."""

    ok: bool
    instance: InstanceView
    trigger: str
    reasons: list[str]
    log_id: int


@dataclass(frozen=True, slots=True)
class TransitionView:
    """One row of an instance's transition log (``outcome`` ``done`` | ``refused`` | ``migrated``)."""

    id: int
    trigger: str
    from_state: str
    to_state: str | None
    outcome: str
    actor: str
    reasons: list[str]
    payload: dict[str, Any]
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class TriggerView:
    """A trigger available from an instance's state: whether this actor may fire it and what blocks it."""

    trigger: str
    title: str | None
    to: str
    roles: list[str]
    allowed_for_you: bool
    reasons: list[str]

    @property
    def available(self) -> bool:
        return self.allowed_for_you and not self.reasons
