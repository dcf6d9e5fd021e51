"""Scheduled work and notifications from the command line: ``worker``, ``tick``, ``notify``.

* ``volunteer worker`` — the long-running process: a tick every ``--every`` seconds (default
  ``VOLUNTEER_SCHEDULER_EVERY``, 60): every programme's jobs (the engine's and each plan type's
  ``volunteer_scheduled``), then the due notifications. Run as many as you like (claims make the
  extra ones harmless); stop with Ctrl-C or SIGTERM (a running tick finishes first).
* ``volunteer tick`` — one tick now, for cron (``* * * * * volunteer tick``); exits 1 if a job failed.
* ``volunteer notify test`` — queue a test message to an account; ``volunteer user email`` — set
  the address e-mail goes to.
"""

from __future__ import annotations

import logging
import signal
from typing import Annotated, Any

import typer
from rich.console import Console

from engine.errors import VolunteerEngineError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[str | None, typer.Option("--database", "--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                               help="SQLAlchemy URL (else VOLUNTEER_DATABASE_URL, else database_url in the nearest volunteer.toml, else sqlite:///volunteer.db)")]
EveryOpt = Annotated[int | None, typer.Option("--every", min=1,
                                                  help="seconds between ticks (default VOLUNTEER_SCHEDULER_EVERY, 60)")]

notify_app = typer.Typer(no_args_is_help=True, help="Notifications 通知.")


def _engine(database_url: str | None) -> Any:
    from engine.cli.database import resolve_database
    from engine.core import VolunteerEngine

    return VolunteerEngine(resolve_database(database_url))


def _fail(exc: VolunteerEngineError) -> None:
    err.print(f"[red]{type(exc).__name__}[/red]: {exc.message}", markup=True, highlight=False)
    raise typer.Exit(1)


def worker(every: EveryOpt = None, database_url: DbOpt = None) -> None:
    """Run scheduled work and send notifications until stopped (one tick every --every seconds)."""
    from engine.scheduling.timer import scheduler
    from engine.settings import get_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    every = every or get_settings().scheduler_every
    eng = _engine(database_url)
    sched = scheduler(eng, every, background=False)
    signal.signal(signal.SIGTERM, lambda *_: sched.shutdown(wait=False))
    out.print(f"volunteer worker: a tick every {every} s on "
              f"{eng.db.engine.url.render_as_string(hide_password=True)} (Ctrl-C to stop)")
    try:
        sched.start()
    except KeyboardInterrupt:
        pass
    finally:
        eng.db.dispose()


def tick(programme: Annotated[list[str] | None, typer.Option("--programme", "-p", help="only these programmes")] = None,
         every: EveryOpt = None, database_url: DbOpt = None) -> None:
    """Run one tick now: due scheduled work of every programme, then due notifications (for cron)."""
    from engine.scheduling.runner import tick as run_tick

    eng = _engine(database_url)
    try:
        report = run_tick(eng, every=every, programme_ids=programme)
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"tick {report.now:%Y-%m-%d %H:%M:%S}Z (slot {report.slot:%Y-%m-%d %H:%M:%S}Z)", highlight=False)
    for run in report.runs:
        colour = {"done": "green", "skipped": "dim", "failed": "red"}[run.outcome]
        out.print(f"  [{colour}]{run}[/{colour}]", highlight=False)
    out.print(f"  notifications: {report.delivery or 'nothing due'}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


def notify_test(programme: str, to: Annotated[str, typer.Option("--to", help="username of the account")],
                note: Annotated[str, typer.Option(help="a line added to the message")] = "",
                database_url: DbOpt = None) -> None:
    """Queue a test notification to an account of PROGRAMME (sent by the next tick)."""
    from engine.notify import enqueue
    from engine.timeutil import now

    eng = _engine(database_url)
    try:
        with eng.session() as s:
            eng.programme(programme, s)
            user = eng.auth.user(s, to)
            queued = enqueue(s, programme_id=programme, template="engine.test", data={"note": note},
                             key=f"engine.test:{user.id}:{now().isoformat()}", to_user_id=user.id, host=eng.host)
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"queued for {to}; sent by the next tick (volunteer tick)" if queued
              else "nothing queued: no sender is enabled (VOLUNTEER_NOTIFY_SENDERS)")


def user_email(username: str, address: Annotated[str, typer.Argument(help="e-mail address; '' to remove")],
               database_url: DbOpt = None) -> None:
    """Set the e-mail address notifications to USERNAME go to."""
    address = address.strip()
    if address and ("@" not in address or len(address) > 254 or any(c.isspace() for c in address)):
        err.print(f"不是邮箱地址 / not an e-mail address: {address!r}")
        raise typer.Exit(2)
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            eng.auth.user(s, username).email = address or None
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"e-mail of {username}: {address or '(none)'}")


def register(app: typer.Typer, user_app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(tick)
    notify_app.command("test")(notify_test)
    app.add_typer(notify_app, name="notify")
    user_app.command("email")(user_email)
