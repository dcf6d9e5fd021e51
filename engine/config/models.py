"""The programme configuration as pydantic models (the ``programme.yaml`` an admin writes).

Keys are English; titles and messages may be Chinese. Every model forbids unknown keys, so a
misspelled key is reported at its line instead of being silently ignored. The JSON Schema of
:class:`ProgrammeConfig` (``volunteer schema``) gives editors completion and checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z][a-z0-9_-]{1,62}$"
NAME = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallRef(_Strict):
    """A guard or action by name, with optional parameters.

    YAML accepts ``needs_ranked``, ``{min_count: {n: 3}}`` or ``{name: min_count, params: {n: 3}}``.
    """

    name: str = Field(pattern=NAME)
    params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"name": value}
        if isinstance(value, dict) and "name" not in value and len(value) == 1:
            (name, params), = value.items()
            return {"name": name, "params": params or {}}
        return value


class StateDef(_Strict):
    title: str | None = None
    description: str | None = None
    final: bool = False


class TransitionDef(_Strict):
    """One transition. The mapping key is its name; ``trigger`` defaults to that name.

    Several transitions may share a trigger when their ``from`` states do not overlap
    (e.g. ``reject`` from *screened* and from *interviewed*).
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    trigger: str | None = Field(default=None, pattern=NAME)
    from_: list[str] = Field(alias="from", min_length=1)
    to: str
    title: str | None = None
    guards: list[CallRef] = Field(default_factory=list)
    actions: list[CallRef] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=lambda: ["admin"], min_length=1)

    @field_validator("from_", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class WorkflowDef(_Strict):
    """A state machine: the lifecycle, or the workflow of an entity (application, need, case …).

    ``subject`` says what an instance follows: ``programme`` workflows get one instance per
    programme when it is loaded; the others are started by the stage that owns the entity.
    ``migrate_states`` maps states that were renamed or removed to their replacement, so running
    instances can follow a changed definition.
    """

    title: str | None = None
    subject: str = "programme"
    initial: str
    states: dict[str, StateDef | None] = Field(min_length=1)
    transitions: dict[str, TransitionDef] = Field(default_factory=dict)
    migrate_states: dict[str, str] = Field(default_factory=dict)

    @field_validator("states", mode="after")
    @classmethod
    def _empty_states(cls, value: dict[str, StateDef | None]) -> dict[str, StateDef | None]:
        return {k: (v or StateDef()) for k, v in value.items()}

    def state(self, name: str) -> StateDef:
        return self.states[name] or StateDef()

    def trigger_of(self, transition_name: str) -> str:
        return self.transitions[transition_name].trigger or transition_name


class RoleDef(_Strict):
    title: str
    description: str | None = None
    sees_personal_data: bool = False


class Organisation(_Strict):
    """The organisation that runs the programme, records its service and certifies it (engine.orgs).
    Programmes with the same ``slug`` (default: made from ``name``) share one organisation."""

    name: str = Field(min_length=1, max_length=200)
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
                             description="stable short id (lower-case letters, digits, hyphens); default: from name")
    name_en: str | None = Field(default=None, max_length=200)
    kind: str | None = None
    address: str | None = None
    contact: str | None = None


class Period(_Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self


# ---------------------------------------------------------------- stage settings (engine, any plan type)


class NeedsSettings(_Strict):
    """How needs are ranked: 高频次、紧急性、普遍性 (seed 000 篇1)."""

    priority_weights: dict[str, float] = Field(
        default_factory=lambda: {"frequency": 0.3, "urgency": 0.4, "people_affected": 0.3}
    )
    categories: list[str] = Field(default_factory=list)
    beneficiary_groups: list[str] = Field(default_factory=list)


class RecruitmentSettings(_Strict):
    min_age: int = Field(default=18, ge=0, description="志愿服务条例: 18 岁以上; minors need guardian consent")
    minors_allowed: bool = False
    require_agreement: bool = True
    # --- added for youth (issue 13): guardian consent as a workflow (engine/stages/recruitment/consent.py) ---
    guardian_consent: Literal["at_enrolment", "workflow"] = Field(
        default="at_enrolment", description="at_enrolment: a minor's enrolment carries consent or is refused; "
        "workflow: a minor without consent is enrolled and held as pending until a guardian consents")
    public: bool = Field(default=False, description="list this programme's open shifts on the anonymous start "
                         "page (post, time, place, free places; never a person) and allow self sign-up for it")


class ServiceSettings(_Strict):
    @field_validator("reminders_hours_before")
    @classmethod
    def _reminder_hours(cls, value: list[int]) -> list[int]:
        if any(not 1 <= h <= 168 for h in value):
            raise ValueError("each reminder is 1–168 hours before the shift")
        return sorted(set(value), reverse=True)

    checkin_opens_minutes_before: int = Field(default=60, ge=0)
    auto_close_after_minutes: int = Field(default=120, ge=0, description="after shift end, an open check-in is closed and flagged")
    min_rest_minutes: int = Field(default=0, ge=0, description="rest between two shifts of one volunteer")
    max_minutes_per_day: int | None = Field(default=None, ge=1)
    max_no_shows: int | None = Field(default=None, ge=1)
    reminders_hours_before: list[int] = Field(
        default_factory=lambda: [24, 2], max_length=5,
        description="shift reminders to rostered volunteers, hours before the shift starts (each 1–168); [] for none")
    self_cancel_minutes_before: int | None = Field(
        default=None, ge=0, le=60 * 24 * 60,
        description="a volunteer may take themselves off a shift, or swap it for another shift of the same post, "
                    "until this many minutes before its start; absent: only a coordinator changes the roster")
    incident_levels: list[str] = Field(
        default_factory=lambda: ["ordinary", "team_leader", "group_head", "hq"],
        description="escalation path, lowest first (seed 000 篇3: 一般→小组长→功能组长→总指挥部)",
    )


class LevelDef(_Strict):
    name: str
    min_hours: float = Field(ge=0)


class RewardsSettings(_Strict):
    levels: list[LevelDef] = Field(default_factory=list)
    level_hours_from: list[str] = Field(
        default_factory=lambda: ["checkin", "self_reported", "coordinator", "transferred"],
        description="which captured kinds of records count toward levels",
    )

    @field_validator("levels")
    @classmethod
    def _ascending(cls, value: list[LevelDef]) -> list[LevelDef]:
        hours = [lvl.min_hours for lvl in value]
        if hours != sorted(hours):
            raise ValueError("levels must be listed from the lowest min_hours to the highest")
        return value


class StageWindow(_Strict):
    """One kind of action, open from the moment stage ``from`` is reached until stage ``until`` is
    entered (``until: null`` never closes). Entity workflows listed under ``workflows`` follow it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    title: str | None = None
    from_: str = Field(alias="from")
    until: str | None = None
    workflows: list[str] = Field(default_factory=list)


class StagesSettings(_Strict):
    """Which kinds of action each lifecycle stage opens (docs/stages.md)."""

    lifecycle: str = Field(default="lifecycle", description="the programme workflow whose states are the stages")
    actions: dict[str, StageWindow] = Field(default_factory=dict)


def _check_zone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from exc
    return value


class ProgrammeConfig(_Strict):
    """One programme: who runs it, which plan type, its period, roles, workflows and rules."""

    id: str = Field(pattern=SLUG, description="stable identifier, lowercase: used in URLs")
    name: str
    plan_type: str
    description: str | None = None
    organisation: Organisation
    period: Period
    timezone: str = Field(default="Asia/Shanghai", description="IANA zone; times given without an offset are read in it")
    roles: dict[str, RoleDef] = Field(default_factory=dict)
    workflows: dict[str, WorkflowDef] = Field(default_factory=dict)
    rules: dict[str, Any] = Field(default_factory=dict)
    needs: NeedsSettings = Field(default_factory=NeedsSettings)
    recruitment: RecruitmentSettings = Field(default_factory=RecruitmentSettings)
    service: ServiceSettings = Field(default_factory=ServiceSettings)
    rewards: RewardsSettings = Field(default_factory=RewardsSettings)
    stages: StagesSettings = Field(default_factory=StagesSettings)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _check_zone(value)

    @property
    def tz(self):  # type: ignore[no-untyped-def]
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)
