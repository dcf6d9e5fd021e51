"""The plugin contract: every hook a plan type (or any plugin) may implement.

This file is the whole contract between ``engine`` and the plan types. The engine never
imports ``plugins``; it only calls these hooks, through :class:`engine.plugins.PluginHost`.

Conventions (the same as pytest's and datasette's):

* Every hook starts with ``volunteer_``. Implement one with ``@engine.hookimpl`` on a function of
  the same name in your plugin module. pluggy lets an implementation accept *fewer* arguments
  than the spec, so take only the ones you need; new arguments can be added without breaking you.
* Hooks that take a ``programme`` are **scoped**: the engine calls them only on the plugin that
  registered the programme's plan type (and on plugins that register no plan type at all, such
  as the engine's built-ins). A community plugin's award rules never run for a legal-aid programme.
* "First answer wins" (``firstresult=True``) is said on the hooks where it applies: the first
  implementation returning something other than ``None`` decides and the rest are not called.
  Otherwise every answer is collected into a list (``None`` answers are dropped).
* A hook that raises does not take the others down: the engine names the plugin in the error
  (guards turn it into a refusal reason, reports into a failed section).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    import datetime as dt
    from pathlib import Path

    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from engine.notify.senders import SenderRegistry
    from engine.plugins import ActionRegistry, GuardRegistry, PlanTypeRegistry
    from engine.programme import LoadedProgramme
    from engine.sdk import PlanContext
    from engine.web.extension import WebPages

PROJECT_NAME = "volunteer_engine"
ENTRY_POINT_GROUP = "volunteer_engine.plan_types"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --------------------------------------------------------------------------- registration
# Called once, when the plugin host starts, in plugin registration order.


@hookspec
def volunteer_register_plan_types(register: PlanTypeRegistry) -> None:
    """Declare the plan types this plugin provides.

    Called once at start-up with a registry; call ``register.add(PlanType(...))`` for each plan
    type. A plan type names its id (the ``plan_type:`` value in programme YAML), a title, its
    pydantic rules model (validates the ``rules:`` section) and its default programme YAML (the
    layer between the engine's defaults and the programme's file). Two plugins declaring the
    same id is a start-up error that names both. Returns nothing.
    """


@hookspec
def volunteer_register_guards(register: GuardRegistry) -> None:
    """Provide workflow guards by name.

    Called once at start-up. Call ``register.add(name, function, description=...)``. A guard is
    called with one :class:`engine.workflow.GuardContext` and returns an iterable of reasons the
    transition may not happen (strings a coordinator understands, e.g. "3 名已排班志愿者未完成
    安全培训"); an empty iterable or ``None`` means it passes. Guards must not write.
    Names are global: prefix a plan type's guards with its id (``legal_aid.conflict_cleared``).
    Returns nothing.
    """


@hookspec
def volunteer_register_actions(register: ActionRegistry) -> None:
    """Provide workflow actions by name.

    Called once at start-up. Call ``register.add(name, function, description=...)``. An action
    is called with a :class:`engine.workflow.GuardContext` after a transition's guards passed and
    the new state is set, inside the same database transaction: if it raises, nothing of the
    transition is stored. Returns nothing.
    """


@hookspec
def volunteer_migration_dirs() -> str | list[str] | None:
    """Return the folder(s) holding this plugin's Alembic revisions, or ``None``.

    Called when the database is upgraded. A plugin that owns tables ships its own revisions as
    a branch (``branch_labels=("<plan type id>",)``, ``depends_on`` the engine's base revision);
    the engine upgrades every head. Not scoped to a programme.
    """


@hookspec
def volunteer_rule_packs() -> str | Path | list[str | Path] | None:
    """Return folder(s) of rule-pack YAML files (or single files) this plugin ships, or ``None``.

    Each ``*.yaml`` is a pack (``docs/rules.md``: ``pack``, ``version``, ``title``, ``sources``,
    ``policy``); programmes select one with ``rules: {pack: <name>}``. Not scoped to a programme.
    """


# --------------------------------------------------------------------------- programmes


@hookspec
def volunteer_programme_loaded(programme: LoadedProgramme, session: Session, ctx: PlanContext) -> None:
    """A programme of this plugin's plan type was loaded or reloaded (scoped).

    Called inside the loading transaction, after the engine stored the programme and started its
    programme-level workflow instances. Use it to create the plan type's own per-programme rows,
    and ``ctx`` (acting as ``"system"``) to write the engine's (e.g. catalogue items).
    Raising aborts the load and nothing is stored. Returns nothing.
    """


@hookspec
def volunteer_check_programme(programme: LoadedProgramme) -> list[tuple[Any, ...]] | None:
    """Cross-section checks of a programme file of this plugin's plan type (scoped; all collected).

    Called by ``volunteer check`` and every load, after each section validated on its own, with
    the whole programme: the plan type's rules (``programme.rules``), the engine's sections
    (``programme.config``) and the resolved rule policy (``programme.policy``, pack and file
    merged). Return the mistakes that only show across sections, each as ``(path, message)`` or
    ``(path, message, expected)``: ``path`` is the key path in the file where it is reported
    (e.g. ``("rules", "event", "starts_on")``; the nearest written key is used when the value came
    from a default or a pack), ``message`` says what is wrong in Chinese and English. Any answer
    refuses the file, nothing is stored; ``None`` or ``[]`` means no objection.
    """


# --------------------------------------------------------------------------- time (scoped)


@hookspec
def volunteer_scheduled(programme: LoadedProgramme, now: dt.datetime, ctx: PlanContext) -> Any:
    """Do the programme's work that happens when nothing is clicked (scoped).

    Called by the scheduled path — ``volunteer worker`` (every ``VOLUNTEER_SCHEDULER_EVERY``
    seconds, default 60), ``volunteer tick`` (once, from cron) and the scheduler inside
    ``volunteer serve`` — once per programme per due slot (the start of the period ``now`` falls
    in). ``now`` is the tick's time (UTC, aware); ``ctx`` is a :class:`engine.sdk.PlanContext`
    acting as ``"system"`` with the role ``system`` and ``ctx.now == now``, holding the run's
    transaction (``ctx.session``).

    Exactly once: each implementation runs for a programme in a transaction of its own, which
    first claims ``(plugin name, programme, slot)`` in the claims table; a worker that finds the
    slot claimed skips it, so any number of workers (and ``serve`` processes) run it once per
    slot. If the implementation raises, its transaction is rolled back (the claim with it), the
    error is logged naming the plugin, and the other plan types and programmes go on.

    Slots can be missed (no worker was running), so act on *everything due by* ``now`` ("close
    every window that ended before now"), not on what fell due inside the slot; and mark what you
    did in the store, so the next slot does not do it again. For items that must happen once
    ever, claim them (``ctx.claim(job, key)``); for queues shared by workers, take rows with
    ``ctx.lock_rows(select(...))``. Keep a run short: it holds one transaction.

    Returns ``None``, or a short summary (a string or JSON-able value) that the worker logs and
    ``volunteer tick`` prints.
    """


# --------------------------------------------------------------------------- stages (scoped)


@hookspec(firstresult=True)
def volunteer_score_need(need: Any, weights: dict[str, float], programme: LoadedProgramme) -> float | None:
    """Score a need for ranking (higher first). First answer wins.

    ``need`` is the stored need (frequency, urgency, people_affected, category …); ``weights``
    come from the programme's ``needs.priority_weights``. Return ``None`` to keep the engine's
    weighted score.
    """


@hookspec
def volunteer_check_eligibility(
    volunteer: Any, post: Any, programme: LoadedProgramme, session: Session, on: Any
) -> list[str] | None:
    """Say why a volunteer may not take a post (all answers are collected).

    Called when a volunteer applies to a post and when they are assigned to one of its shifts,
    after the engine's own checks (age range, skills, languages, required courses). ``on`` is the
    date the check is for. Return the reasons, each naming the rule and, where a law or source
    document is behind it, its article; an empty list or ``None`` means no objection.
    """


@hookspec
def volunteer_compute_awards(
    record: Any, programme: LoadedProgramme, session: Session, ctx: PlanContext
) -> list[Any] | None:
    """Compute the ledger entries a verified service record earns (all answers are collected).

    Called once per record, in the transaction that marks it verified (or imports it). Return a
    list of :class:`engine.Award` (unit, amount, reason, kind). The engine appends them
    to the ledger; it never calls this twice for the same record. ``ctx`` (acting as
    ``"system"``) reads balances and writes what is not the record's own volunteer's award
    (e.g. a mentor's bonus: ``ctx.append_ledger``).
    """


@hookspec
def volunteer_check_redemption(
    volunteer: Any, item: Any, programme: LoadedProgramme, session: Session
) -> list[str] | None:
    """Say why a volunteer may not redeem a catalogue item (all answers are collected).

    The engine already checks the balance and stock. Return reasons (e.g. "仅骨干志愿者可兑换
    爱心回馈") or ``None``.
    """


@hookspec(firstresult=True)
def volunteer_level_for(hours: float, programme: LoadedProgramme, volunteer: Any, session: Session) -> Any:
    """Decide a volunteer's level (star rating) from their hours. First answer wins.

    Return a :class:`engine.Level`, or ``None`` to let the engine apply the programme's
    ``rewards.levels`` thresholds.
    """


@hookspec
def volunteer_report_sections(programme: LoadedProgramme, session: Session) -> list[Any] | None:
    """Contribute sections to the programme report (all answers are collected).

    Return a list of :class:`engine.ReportSection` (title, rows, figures). Called when a
    report is built; must only read.
    """


@hookspec(firstresult=True)
def volunteer_instance_access(
    programme: LoadedProgramme, instance: Any, user: Any, roles: frozenset[str], session: Session
) -> bool | None:
    """May this person see and fire this workflow instance? First answer wins (scoped).

    Called by the generic workflow endpoints for entity instances (not the programme lifecycle).
    Return ``False`` to refuse (403), ``True`` to allow, ``None`` for the engine's default (staff
    roles: admin, coordinator, supervisor, team_leader). A plan type with confidential entities
    (legal-aid cases) answers here so that no generic route leaks them.
    """



@hookspec
def volunteer_instance_filter(
    programme: LoadedProgramme, instances: list[Any], user: Any, roles: frozenset[str], session: Session
) -> list[int] | None:
    """Which of these instances must this reader not see in a list? Return their ids (scoped; every
    answer is collected and every id named is left out).

    Called by ``GET /programmes/{programme_id}/instances`` with the page it is about to return
    (``instances``: :class:`engine.sdk.InstanceView`, after the engine's own role check), so a
    plan type that owns confidential entities keeps their ids and states from readers who may not
    open them. The page may then hold fewer than ``limit`` rows; page on with ``offset``. Must
    only read: report what was shown through ``volunteer_instance_read``.
    """


@hookspec
def volunteer_instance_read(
    programme: LoadedProgramme, instances: list[Any], user: Any, roles: frozenset[str], session: Session,
    what: str, allowed: bool
) -> None:
    """Told of every read of entity instances through the engine's instance routes (scoped; every
    implementation is called). Returns nothing.

    ``what`` names the route: ``instance_list``, ``instance``, ``instance_log``, ``instance_fire``;
    ``instances`` are :class:`engine.sdk.InstanceView` (those shown, or the one refused);
    ``allowed`` is False for a look that was refused (403). Write your read log here, in the
    request's unit of work: the engine commits it, a refused look included (it commits before
    answering 403), so a plan type never commits on its own. Programme lifecycle instances are not
    reported.
    """

# --------------------------------------------------------------------------- surfaces (not scoped)


@hookspec
def volunteer_api_routers() -> list[APIRouter] | None:
    """Return FastAPI routers to mount under ``/api/v1`` (all answers are collected).

    Called once when the app is built. Use the engine's dependencies (``engine.http.deps``) for
    authentication and per-programme roles; every route must check them.
    """


@hookspec
def volunteer_web_pages() -> WebPages | list[WebPages] | None:
    """Return the plugin's pages for the web app: an ``engine.web.WebPages`` (or a list of them).

    Called once when the app is built; every answer is collected, and a plugin that raises is
    reported (on the admin's problem list and in the log) without taking the pages down.
    ``WebPages`` carries:

    * ``plan_type`` — the plan type whose programmes show the entries and panels (None: all);
    * ``router`` — made with ``engine.web.page_router()`` (CSRF on POST, errors drawn as pages),
      paths under ``/p/{programme_id}/x/<plugin>/``, each taking ``access: engine.web.PageAccess``
      (built exactly like the API's ``AccessDep``) and checking roles with ``access.require(...)``;
      render with ``engine.web.kit.render.render(request, "<template>", {...})``;
    * ``nav`` — ``NavEntry(key, label, path, roles)`` tabs, shown to readers holding one of ``roles``;
    * ``panels`` — ``Panel(key, title, template, context, roles)`` boxes on the coordinator's
      dashboard; ``context(session, access)`` is called only for readers holding one of ``roles``;
    * ``template_dir`` — the folder of the plugin's templates (they ``{% extends "base.html" %}``).

    Put rules in the plugin's services, not in page code: a page reads a form, calls the same
    service (or API endpoint function) as the API, and draws the result. See docs/plugin-authors.md.
    """


@hookspec
def volunteer_notification_senders(register: SenderRegistry) -> None:
    """Provide ways to deliver notifications (SMS gateways, WeChat, …).

    Called once per plugin host, the first time a notification is enqueued or sent. Call
    ``register.add(sender)`` with an :class:`engine.sdk.Sender` (``name``, ``channel`` such as
    ``email`` or ``sms``, ``send(message)``). The operator enables senders by name in
    ``VOLUNTEER_NOTIFY_SENDERS`` (one per channel); the engine registers ``console``, ``file``
    (development, channel ``email``) and ``smtp`` itself. Two plugins adding the same name is a
    start-up error naming both. Returns nothing.
    """


@hookspec
def volunteer_notification_templates() -> str | Path | list[str | Path] | None:
    """Return the folder(s) of this plugin's notification templates, or ``None``.

    A template ``NAME`` is two jinja2 files, ``NAME.zh.j2`` and ``NAME.en.j2``, each with a
    ``subject`` and a ``body`` block (and optionally ``short``, for SMS-sized channels); the
    message shows the Chinese first and the English alongside. Name them ``<plan type>.<name>``.
    Not scoped.
    """


@hookspec
def volunteer_cli_commands(app: Any) -> None:
    """Add commands to the ``volunteer`` CLI. ``app`` is the root ``typer.Typer``. Returns nothing."""
