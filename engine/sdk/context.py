"""The facade a plan type acts through: :class:`PlanContext` (and :class:`GuardContext`).

One object per unit of work and programme: it holds the database session (the caller's
transaction — nothing here commits), the programme, who acts (``actor``, ``roles``) and the clock
(``now``). Every method runs the engine's own stage services, so a plan type gets the same rules,
checks and errors as the HTTP API: a record created here is checked, counted and awarded exactly
as one entered by a coordinator.

Hooks receive it as ``ctx`` (take the argument and the engine passes it), guards and actions
receive a :class:`GuardContext` (a ``PlanContext`` with the transition's details), plan-type
routes get one from :data:`engine.sdk.http.ProgrammeCtx`, scheduled work from
``volunteer_scheduled(programme, now, ctx)``.

Reading is typed (:mod:`engine.sdk.views`); people are read *within the programme*: a volunteer
who is not enrolled in it is not found, as for any other reader of this programme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engine import timeutil
from engine import views as v
from engine.errors import GuardsFailed, NotFound
from engine.sdk.minors import MinorsMethods  # --- added for youth (issue 13): consent, minors, credits
from engine.sdk.rewards import RewardsMethods
from engine.workflow.context import GuardContext as _TransitionContext

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy import Result, Select
    from sqlalchemy.orm import Session

    from engine.plugins import PluginHost
    from engine.programme import LoadedProgramme
    from engine.store.models import WorkflowInstance


class PlanContext(MinorsMethods, RewardsMethods):  # --- youth (issue 13): MinorsMethods; points/levels: RewardsMethods
    """Act on one programme inside one unit of work.

    Attributes: ``session`` (SQLAlchemy session of the caller's transaction: use it for your own
    tables), ``programme`` (the loaded programme: ``.id``, ``.config``, ``.rules``), ``actor`` (the
    username that acts, ``"system"`` for scheduled work), ``roles`` (the actor's roles here).
    """

    def __init__(self, session: Session, programme: LoadedProgramme, host: PluginHost, *, actor: str = "system",
                 roles: Iterable[str] = (), now: dt.datetime | None = None) -> None:
        self.session = session
        self.programme = programme
        self.host = host
        self.actor = actor
        self.roles = frozenset(roles)
        self._now = now

    # ------------------------------------------------------------------ identity and time
    @property
    def rules(self) -> BaseModel:
        """The programme's validated ``rules:`` section (your plan type's rules model)."""
        rules: BaseModel = self.programme.rules
        return rules

    @property
    def now(self) -> dt.datetime:
        """The current time (UTC, aware). Fixed for scheduled work; tests set it with
        :func:`engine.testing.frozen_clock`."""
        return self._now if self._now is not None else timeutil.now()

    @property
    def zone(self) -> ZoneInfo:
        """The programme's time zone (``timezone:`` in its YAML)."""
        zone: ZoneInfo = self.programme.config.tz
        return zone

    @property
    def today(self) -> dt.date:
        """Today's date where the programme runs."""
        return self.now.astimezone(self.zone).date()

    def local(self, when: dt.datetime) -> dt.datetime:
        """A stored (UTC) time in the programme's zone, for showing to people."""
        return when.astimezone(self.zone)

    def acting_as(self, actor: str, roles: Iterable[str] = ()) -> PlanContext:
        """The same unit of work and clock, acting as someone else (e.g. ``"system"``)."""
        return PlanContext(self.session, self.programme, self.host, actor=actor, roles=roles, now=self._now)

    # ------------------------------------------------------------------ workflows
    def _workflows(self) -> Any:
        from engine.workflow.service import WorkflowService

        return WorkflowService(self.host)

    def _instance_row(self, instance: v.InstanceView | int) -> WorkflowInstance:
        iid = instance if isinstance(instance, int) else instance.id
        row: WorkflowInstance = self._workflows().get(self.session, self.programme, iid)
        return row

    def start(self, workflow: str, subject_type: str, subject_id: str | int) -> v.InstanceView:
        """Start ``workflow`` for a subject in its initial state (idempotent: an existing instance
        is returned). The workflow must be defined in the programme (your plan type's YAML)."""
        row = self._workflows().start(self.session, self.programme, workflow, subject_type, subject_id,
                                      actor=self.actor)
        return v.view_of(v.InstanceView, row)

    def find_instance(self, workflow: str, subject_type: str, subject_id: str | int) -> v.InstanceView | None:
        """The instance of ``workflow`` for a subject, or None."""
        row = self._workflows().find(self.session, self.programme.id, workflow, subject_type, str(subject_id))
        return v.view_of(v.InstanceView, row) if row is not None else None

    def instance_by_id(self, instance_id: int) -> v.InstanceView:
        """An instance of this programme by id (NotFound otherwise)."""
        return v.view_of(v.InstanceView, self._instance_row(instance_id))

    def instances(self, workflow: str, *, state: str | None = None, subject_type: str | None = None,
                  limit: int = 1000) -> list[v.InstanceView]:
        """Instances of a workflow in this programme, oldest first, optionally in one state."""
        from engine.store.models import WorkflowInstance as W

        q = select(W).where(W.programme_id == self.programme.id, W.workflow == workflow)
        if state is not None:
            q = q.where(W.state == state)
        if subject_type is not None:
            q = q.where(W.subject_type == subject_type)
        return [v.view_of(v.InstanceView, r) for r in self.session.scalars(q.order_by(W.id).limit(limit))]

    def fire(self, instance: v.InstanceView | int, trigger: str, *, payload: Mapping[str, Any] | None = None,
             expected_version: int | None = None) -> v.Fired:
        """Fire ``trigger`` as ``actor`` with ``roles`` inside this unit of work.

        Guards run and a refusal is logged and returned (``ok`` False, ``reasons``); a trigger not
        available from the state, roles that may not fire it, or a stale ``expected_version`` raise.
        Scheduled work acts as ``system``: give such transitions ``roles: [system]`` in YAML.
        """
        res = self._workflows().fire(self.session, self.programme, self._instance_row(instance), trigger,
                                     actor=self.actor, roles=self.roles, expected_version=expected_version,
                                     payload=dict(payload or {}))
        return v.Fired(res.ok, v.view_of(v.InstanceView, res.instance), res.trigger, list(res.reasons), res.log_id)

    def fire_or_raise(self, instance: v.InstanceView | int, trigger: str, *,
                      payload: Mapping[str, Any] | None = None, expected_version: int | None = None) -> v.Fired:
        """Like :meth:`fire`, but a refusal by guards raises :class:`engine.GuardsFailed` (HTTP 422)."""
        res = self.fire(instance, trigger, payload=payload, expected_version=expected_version)
        if not res.ok:
            raise GuardsFailed(trigger, list(res.reasons))
        return res

    def triggers(self, instance: v.InstanceView | int, *,
                 payload: Mapping[str, Any] | None = None) -> list[v.TriggerView]:
        """Every trigger from the instance's state: may this actor fire it, and what blocks it."""
        rows = self._workflows().evaluate(self.session, self.programme, self._instance_row(instance),
                                          actor=self.actor, roles=self.roles, payload=dict(payload or {}))
        return [v.TriggerView(t.trigger, t.title, t.to, list(t.roles), t.allowed_for_you, list(t.reasons))
                for t in rows]

    def history(self, instance: v.InstanceView | int) -> list[v.TransitionView]:
        """The instance's transition log, oldest first (refusals included)."""
        row = self._instance_row(instance)
        return [v.view_of(v.TransitionView, r) for r in self._workflows().history(self.session, row.id)]

    # ------------------------------------------------------------------ people
    def volunteer(self, volunteer_id: int) -> v.VolunteerView:
        """A volunteer enrolled in this programme (NotFound for anyone else)."""
        from engine.stages.recruitment.service import enrolled_volunteer

        return v.view_of(v.VolunteerView, enrolled_volunteer(self.session, self.programme.id, volunteer_id))

    def volunteer_of_user(self, user_id: int) -> v.VolunteerView | None:
        """The registry record linked to a login, if that person is enrolled in this programme."""
        from engine.stages.recruitment.service import enrolment_of, own_volunteer

        vol = own_volunteer(self.session, user_id)
        if vol is None or enrolment_of(self.session, self.programme.id, vol.id) is None:
            return None
        return v.view_of(v.VolunteerView, vol)

    def enrolment(self, volunteer_id: int) -> v.EnrolmentView | None:
        """The volunteer's enrolment in this programme, or None."""
        from engine.stages.recruitment.service import enrolment_of

        row = enrolment_of(self.session, self.programme.id, volunteer_id)
        return v.view_of(v.EnrolmentView, row) if row is not None else None

    def enrolled(self, *, q: str | None = None, unit: str | None = None, skill: str | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[list[v.VolunteerView], int]:
        """Enrolled volunteers (search by name or unit substring, or an exact skill) and the total count."""
        from engine.stages.recruitment.service import list_volunteers

        rows, total = list_volunteers(self.session, self.programme.id, q=q, unit=unit, skill=skill,
                                      limit=limit, offset=offset)
        return [v.view_of(v.VolunteerView, r) for r in rows], total

    def enrolled_ids(self) -> list[int]:
        """Ids of every volunteer enrolled in this programme, ascending."""
        from engine.stages.recruitment.models import Enrolment

        return list(self.session.scalars(select(Enrolment.volunteer_id).where(
            Enrolment.programme_id == self.programme.id).order_by(Enrolment.volunteer_id)))

    def completed_courses(self, volunteer_id: int, *, on: dt.date | None = None) -> list[v.CompletionView]:
        """The volunteer's course completions here; with ``on``, only those valid on that day."""
        from engine.stages.training.service import list_completions

        out = [v.view_of(v.CompletionView, c, course_code=course.code)
               for c, course in list_completions(self.session, self.programme.id, volunteer_id=volunteer_id)]
        return [c for c in out if c.valid_on(on)] if on is not None else out

    def user(self, user_id: int) -> v.UserView:
        """A login account by id."""
        from engine.store.models import User

        row = self.session.get(User, user_id)
        if row is None:
            raise NotFound(f"没有账号 {user_id} / no account {user_id}", user_id=user_id)
        return v.view_of(v.UserView, row)

    def user_by_name(self, username: str) -> v.UserView | None:
        from engine.store.models import User

        row = self.session.scalars(select(User).where(User.username == username)).one_or_none()
        return v.view_of(v.UserView, row) if row is not None else None

    def roles_of(self, user_id: int) -> frozenset[str]:
        """The roles a login holds in this programme."""
        from engine.store.models import RoleGrant

        return frozenset(self.session.scalars(select(RoleGrant.role).where(
            RoleGrant.user_id == user_id, RoleGrant.programme_id == self.programme.id)))

    # ------------------------------------------------------------------ design (read)
    def post(self, post_id: int) -> v.PostView:
        from engine.stages.design.service import get_post

        return v.view_of(v.PostView, get_post(self.session, self.programme, post_id))

    def project(self, project_id: int) -> v.ProjectView:
        from engine.stages.design.service import get_project

        return v.view_of(v.ProjectView, get_project(self.session, self.programme, project_id))

    def shift(self, shift_id: int) -> v.ShiftView:
        from engine.stages.service.roster import get_shift

        return v.view_of(v.ShiftView, get_shift(self.session, self.programme, shift_id))

    def assignments(self, *, shift_id: int | None = None, volunteer_id: int | None = None) -> list[v.AssignmentView]:
        from engine.stages.service.roster import list_assignments

        rows = list_assignments(self.session, self.programme, shift_id=shift_id, volunteer_id=volunteer_id)
        return [v.view_of(v.AssignmentView, a) for a in rows]

    # ------------------------------------------------------------------ records
    def record_service(self, volunteer_id: int, started_at: dt.datetime, ended_at: dt.datetime, *,
                       captured: str = "coordinator", minutes: int | None = None, post_id: int | None = None,
                       project_id: int | None = None, category: str | None = None, content: str | None = None,
                       rating: int | None = None, verified: bool = False) -> v.RecordView:
        """Append a service record for an enrolled volunteer (the same checks as a coordinator's entry).

        ``captured`` says how it was captured (``coordinator``, ``self_reported``, ``checkin``);
        ``minutes`` defaults to the span. ``verified=True`` verifies it now, which counts it into
        totals and runs ``volunteer_compute_awards`` once.
        """
        from engine.stages.records.service import enter_record

        self.volunteer(volunteer_id)
        rec = enter_record(self.session, self.programme, self.host, volunteer_id=volunteer_id,
                           started_at=started_at, ended_at=ended_at, actor=self.actor, minutes=minutes,
                           project_id=project_id, post_id=post_id, category=category, content=content,
                           rating=rating, verify=verified, now=self.now, captured=captured)
        return v.view_of(v.RecordView, rec)

    def verify_records(self, record_ids: Sequence[int]) -> list[int]:
        """Verify records (each is counted and awarded once); returns the ids this call verified."""
        from engine.stages.records.service import verify_records

        return verify_records(self.session, self.programme, self.host, list(record_ids), actor=self.actor)["verified"]

    def record(self, record_id: int) -> v.RecordView:
        from engine.stages.records.service import get_record

        return v.view_of(v.RecordView, get_record(self.session, self.programme, record_id))

    def records(self, *, volunteer_id: int | None = None, project_id: int | None = None,
                verified: bool | None = None, limit: int = 100, offset: int = 0) -> list[v.RecordView]:
        from engine.stages.records.service import list_records

        rows = list_records(self.session, self.programme, volunteer_id=volunteer_id, project_id=project_id,
                            verified=verified, limit=limit, offset=offset)
        return [v.view_of(v.RecordView, r) for r in rows]

    # ------------------------------------------------------------------ ledger, totals, levels
    def append_ledger(self, volunteer_id: int, unit: str, amount: Decimal | int | str, *, kind: str, reason: str,
                      ref: str | None = None, record_id: int | None = None,
                      data: Mapping[str, Any] | None = None,
                      what: str | tuple[str, str] | None = None) -> v.LedgerEntryView | None:
        """Append a ledger entry and move the balance. A negative amount is a debit and is refused
        (Conflict, with the figures) rather than going below zero. With ``ref`` (an idempotency key)
        a repeated call writes nothing and returns None. ``what`` names a debit in that refusal
        (``"中文 / English"`` or a pair; default "扣减 / the debit")."""
        from engine.stages.rewards.ledger import append

        extra: dict[str, Any] = {"what": what} if what is not None else {}
        row = append(self.session, programme_id=self.programme.id, volunteer_id=volunteer_id, unit=unit,
                     amount=Decimal(str(amount)), kind=kind, reason=reason, actor=self.actor, record_id=record_id,
                     ref=ref, data=dict(data or {}), **extra)
        return v.view_of(v.LedgerEntryView, row) if row is not None else None

    def reverse_ledger(self, entry_id: int, *, reason: str) -> v.LedgerEntryView:
        """Correct an entry with a reversing one (never twice; never below zero)."""
        from engine.stages.rewards.ledger import reverse

        return v.view_of(v.LedgerEntryView, reverse(self.session, self.programme.id, entry_id, reason=reason,
                                                    actor=self.actor))

    def balance(self, volunteer_id: int, unit: str) -> Decimal:
        from engine.stages.rewards.ledger import balance_of

        return balance_of(self.session, self.programme.id, volunteer_id, unit)

    def ledger(self, volunteer_id: int, *, unit: str | None = None, kind: str | None = None,
               limit: int = 1000) -> list[v.LedgerEntryView]:
        """A volunteer's ledger entries here, oldest first."""
        from engine.stages.rewards.models import LedgerEntry as L

        q = select(L).where(L.programme_id == self.programme.id, L.volunteer_id == volunteer_id)
        if unit is not None:
            q = q.where(L.unit == unit)
        if kind is not None:
            q = q.where(L.kind == kind)
        return [v.view_of(v.LedgerEntryView, r) for r in self.session.scalars(q.order_by(L.id).limit(limit))]

    def totals(self, volunteer_id: int) -> v.TotalsView:
        """Verified totals and current level (zeros for someone with no verified record)."""
        from engine.stages.records.models import VolunteerTotal as T

        row = self.session.scalars(select(T).where(T.programme_id == self.programme.id,
                                                   T.volunteer_id == volunteer_id)).one_or_none()
        if row is None:
            return v.TotalsView(volunteer_id, 0, 0, 0, None)
        return v.view_of(v.TotalsView, row)

    def recompute_level(self, volunteer_id: int) -> tuple[str | None, str | None]:
        """Decide the volunteer's level again now (e.g. after a nomination); returns (old, new)."""
        from engine.stages.rewards.levels import update_level

        return update_level(self.session, self.programme, self.host, volunteer_id, actor=self.actor)

    # ------------------------------------------------------------------ incidents
    def report_incident(self, category: str, description: str, *, level: str | None = None,
                        shift_id: int | None = None) -> v.IncidentView:
        """Open an incident at ``level`` (default: the first of ``service.incident_levels``)."""
        from engine.stages.service.incidents import report

        return v.view_of(v.IncidentView, report(self.session, self.programme, category=category,
                                                description=description, actor=self.actor, level=level,
                                                shift_id=shift_id))

    def escalate_incident(self, incident_id: int, *, to_level: str | None = None,
                          note: str | None = None) -> v.IncidentView:
        """Move an open incident one level up (or to a named higher level)."""
        from engine.stages.service.incidents import escalate

        return v.view_of(v.IncidentView, escalate(self.session, self.programme, incident_id, actor=self.actor,
                                                  to_level=to_level, note=note))

    def incidents(self, *, status: str | None = None) -> list[v.IncidentView]:
        from engine.stages.service.incidents import list_incidents

        return [v.view_of(v.IncidentView, i) for i in list_incidents(self.session, self.programme, status=status)]

    # ------------------------------------------------------------------ scheduled work and notifications
    def claim(self, job: str, key: str | dt.datetime, *, keep: dt.timedelta | None = None) -> bool:
        """Claim ``key`` for ``job`` in this programme, once ever (or a time slot, for ``keep``):
        True if this unit of work got it, False if another already did. The claim commits with
        your work or not at all, so "claim, then act" happens once however many workers run
        (see :mod:`engine.scheduling.claims`). Name jobs ``<plan type>.<what>``."""
        from engine.scheduling.claims import claim

        return claim(self.session, job, self.programme.id, key, keep=keep)

    def lock_rows(self, stmt: Select[Any]) -> Result[Any]:
        """Run a select taking its rows for this unit of work, skipping rows another worker holds
        (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite has one writer): per-item work that two
        workers split instead of both doing."""
        from engine.scheduling.claims import lock_rows

        return lock_rows(self.session, stmt)

    def notify(self, template: str, data: Mapping[str, Any], *, key: str, to_user_id: int | None = None,
               to_volunteer_id: int | None = None, not_before: dt.datetime | None = None,
               kind: str | None = None, channels: Iterable[str] | None = None) -> bool:
        """Queue a notification for one person (sent by the scheduled path once this unit of work
        commits); False if ``key`` was queued before. ``template``: ``NAME`` with ``NAME.zh.j2`` and
        ``NAME.en.j2`` in a folder from ``volunteer_notification_templates``; ``kind`` (default: the
        template) is what people turn off. See :func:`engine.notify.enqueue`."""
        from engine.notify.outbox import enqueue

        return enqueue(self.session, programme_id=self.programme.id, template=template, data=data, key=key,
                       to_user_id=to_user_id, to_volunteer_id=to_volunteer_id, not_before=not_before, kind=kind,
                       channels=channels, host=self.host)

    # ---- added for community
    # What the community plan type (points, yearly reset, time bank, catalogue) needed beyond the
    # above; each runs the engine's own rules, as the methods above do.

    def balance_for_update(self, volunteer_id: int, unit: str) -> Decimal:
        """The balance of ``unit``, with its row locked until this unit of work ends (``FOR UPDATE``
        on PostgreSQL; SQLite serialises writers): check a limit ("at most N points held"), then
        credit, without another transaction's credit landing in between. 0 when there is no row."""
        from engine.stages.rewards.ledger import balance_of
        from engine.stages.rewards.models import Balance

        self.session.execute(select(Balance.id).where(
            Balance.programme_id == self.programme.id, Balance.volunteer_id == volunteer_id,
            Balance.unit == unit).with_for_update())
        return balance_of(self.session, self.programme.id, volunteer_id, unit)

    def reset_balances(self, unit: str, period: str,
                       decide: Callable[[Mapping[int, Decimal]], Mapping[int, tuple[Decimal, Mapping[str, Any]]]],
                       *, reason: str) -> tuple[int, Decimal]:
        """A periodic reset of a spendable unit (积分年度清零) as ledger entries, once per period.

        Every positive balance of ``unit`` here is locked first (``FOR UPDATE`` on PostgreSQL), so
        a redemption or a credit racing the reset is either wholly before or wholly after it. Then
        ``decide(balances)`` — balances by volunteer id — answers how much to take from whom, with
        the evidence to keep: ``{volunteer_id: (amount, data)}`` (amount ≥ 0; at most the balance:
        more is capped). One ``reset`` entry per volunteer is written (ref
        ``reset:<programme>:<unit>:<period>:<volunteer>``, the engine's own reset ref, so a period
        is never taken twice), dated ``now``, and the balances move with them. Returns (volunteers
        reset, total taken).
        """
        from sqlalchemy import insert, update

        from engine.stages.rewards.models import Balance, LedgerEntry

        pid = self.programme.id
        locked = self.session.execute(select(Balance.id, Balance.volunteer_id, Balance.amount).where(
            Balance.programme_id == pid, Balance.unit == unit, Balance.amount > 0)
            .order_by(Balance.volunteer_id).with_for_update()).all()
        if not locked:
            return 0, Decimal(0)
        wanted = decide({int(vid): Decimal(amount) for _, vid, amount in locked})

        def ref_of(vid: int) -> str:
            return f"reset:{pid}:{unit}:{period}:{vid}"

        done = set(self.session.scalars(select(LedgerEntry.ref).where(
            LedgerEntry.ref.in_([ref_of(vid) for _, vid, _ in locked]))))
        entries: list[dict[str, Any]] = []
        moves: list[dict[str, Any]] = []
        taken = Decimal(0)
        for bid, vid, amount in locked:
            balance = Decimal(amount)
            take, data = wanted.get(vid, (Decimal(0), {}))
            take = min(balance, Decimal(take))
            if take <= 0 or ref_of(vid) in done:
                continue
            entries.append(dict(programme_id=pid, volunteer_id=vid, unit=unit, amount=-take, kind="reset",
                                reason=reason, record_id=None, reverses_id=None, ref=ref_of(vid),
                                created_by=self.actor, created_at=self.now, data=dict(data)))
            moves.append({"id": bid, "amount": balance - take})
            taken += take
        if entries:
            self.session.execute(insert(LedgerEntry), entries)
            self.session.execute(update(Balance), moves)  # the rows are locked above
        return len(entries), taken

    def create_catalogue_item(self, code: str, title: str, cost: Decimal | int | str, *, unit: str = "points",
                              stock: int | None = None, flags: Sequence[str] = (),
                              active: bool = True) -> v.CatalogueItemView:
        """Add a redemption catalogue item (``stock`` None: unlimited; ``flags``: your plan type's tags,
        which ``volunteer_check_redemption`` can look at). A code used before is a Conflict."""
        from engine.stages.rewards.service import create_item

        row = create_item(self.session, self.programme, code=code, title=title, cost=Decimal(str(cost)), unit=unit,
                          stock=stock, flags=list(flags), active=active, actor=self.actor)
        return v.view_of(v.CatalogueItemView, row)

    def update_catalogue_item(self, item_id: int, *, title: str | None = None, cost: Decimal | int | str | None = None,
                              flags: Sequence[str] | None = None, active: bool | None = None) -> v.CatalogueItemView:
        """Change an item's title, cost, flags or active switch (None: unchanged). Its code and unit
        stay: past redemptions name them; a deactivated item is kept, not deleted."""
        from engine.stages.rewards.service import update_item

        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = title
        if cost is not None:
            changes["cost"] = Decimal(str(cost))
        if flags is not None:
            changes["flags"] = list(flags)
        if active is not None:
            changes["active"] = active
        return v.view_of(v.CatalogueItemView, update_item(self.session, self.programme, item_id, changes,
                                                          actor=self.actor))


    # ---- added for legal_aid
    # A plan type that registers its own people (legal aid: lawyers, law teachers, students with a
    # professional profile) needs the registry record and the enrolment to exist without going
    # through the generic registration form. These run the engine's own checks and writes.
    def register_person(self, name: str, id_number: str, *, phone: str | None = None,
                        languages: list[str] | None = None, skills: list[str] | None = None) -> v.VolunteerView:
        """The registry record of the person with this ID number, created (name, sex and birth date
        read from the checked ID number; the phone normalised) if the registry has none. Not
        enrolled by this call: see :meth:`enrol_volunteer`. Raises InvalidInput for a bad ID number
        or phone, naming ``id_number`` / ``phone``. ``languages`` and ``skills`` are what the
        registration declares: a new record gets them, an existing one gains those it lacks (they
        are matched against posts' requirements; nothing is removed, the other stored fields are kept)."""
        from engine.errors import InvalidInput
        from engine.people import IdNumberError, PhoneError, normalise_mobile, parse_id_number
        from engine.stages.recruitment.models import Volunteer
        from engine.stages.recruitment.service import find_by_id_number

        try:
            idn = parse_id_number(id_number)
        except IdNumberError as exc:
            raise InvalidInput(f"身份证号无效：{exc.zh} / invalid ID number: {exc.en}", field="id_number") from exc
        try:
            mobile = normalise_mobile(phone) if phone else None
        except PhoneError as exc:
            raise InvalidInput(f"手机号无效 / invalid phone: {exc}", field="phone") from exc
        from engine.stages.recruitment.people import clean_list

        row = find_by_id_number(self.session, idn.number)
        if row is None:
            row = Volunteer(name=name.strip(), gender=idn.gender, birth_date=idn.birth_date, id_number=idn.number,
                            phone=mobile)
            self.session.add(row)
        for attr, declared in (("languages", languages), ("skills", skills)):
            merged = clean_list([*(getattr(row, attr) or []), *(declared or [])])
            if merged != list(getattr(row, attr) or []):
                setattr(row, attr, merged)
        self.session.flush()
        return v.view_of(v.VolunteerView, row)

    def _registry_volunteer(self, volunteer_id: int) -> Any:
        from engine.stages.recruitment.models import Volunteer

        vol = self.session.get(Volunteer, volunteer_id)
        if vol is None:
            raise NotFound(f"登记簿中没有志愿者 {volunteer_id} / no volunteer {volunteer_id} in the registry",
                           volunteer_id=volunteer_id)
        return vol

    def enrol_volunteer(self, volunteer_id: int, *, source: str) -> v.EnrolmentView:
        """Enrol a registry volunteer in this programme (idempotent; the engine's age and guardian
        checks apply). ``source`` says who enrolled them (e.g. your plan type's id)."""
        from engine.stages.recruitment.service import enrol

        row, _created, _warnings = enrol(self.session, self.programme, self._registry_volunteer(volunteer_id),
                                         source=source, on=self.today)
        return v.view_of(v.EnrolmentView, row)

    def link_account(self, volunteer_id: int, user_id: int) -> None:
        """Link a registry volunteer to a login (Conflict if it is linked to another one)."""
        from engine.errors import Conflict

        vol = self._registry_volunteer(volunteer_id)
        if vol.user_id not in (None, user_id):
            raise Conflict("该志愿者已关联其他账号 / the volunteer is linked to another account", field="username")
        vol.user_id = user_id
        self.session.flush()

class GuardContext(PlanContext, _TransitionContext):
    """What a guard or an action receives: a :class:`PlanContext` plus the transition.

    ``instance`` (the instance being moved, as a view), ``trigger``, ``source`` and ``dest`` states,
    ``payload`` (what the person firing sent: a reason, a decision …) and ``params`` (the guard's
    or action's parameters from YAML). Guards must only read; actions may write in the same
    transaction (if one raises, nothing of the transition is stored).
    """

    def __init__(self, session: Session, programme: LoadedProgramme, host: PluginHost, *,
                 instance: WorkflowInstance, trigger: str, source: str, dest: str, actor: str,
                 roles: frozenset[str], payload: dict[str, Any], now: dt.datetime | None = None) -> None:
        _TransitionContext.__init__(self, session, programme, host, instance=instance, trigger=trigger,
                                    source=source, dest=dest, actor=actor, roles=roles, payload=payload, now=now)
