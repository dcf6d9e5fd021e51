"""``volunteer user passwd|disable|enable|revoke`` and the first operator account.

Every change takes effect on the account's next request: a new password revokes all its tokens,
a disabled account is refused (and its tokens revoked), a revoked role is gone from the next
request's role check. The same actions exist over HTTP (``PUT /api/v1/users/{name}/password``,
``PUT /api/v1/users/{name}/active``, ``DELETE /api/v1/programmes/{id}/members/{name}/{role}``).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from engine.errors import VolunteerEngineError

if TYPE_CHECKING:
    from engine.core import VolunteerEngine

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DbOpt = Annotated[str | None, typer.Option("--database", "--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                           help="SQLAlchemy URL (else VOLUNTEER_DATABASE_URL, else database_url in the nearest volunteer.toml, else sqlite:///volunteer.db)")]


def _engine(database_url: str | None) -> VolunteerEngine:
    from engine.cli.database import resolve_database
    from engine.core import VolunteerEngine

    return VolunteerEngine(resolve_database(database_url))


def _fail(exc: VolunteerEngineError) -> None:
    err.print(f"[red]{type(exc).__name__}[/red]: {exc.message}", markup=True, highlight=False)
    raise typer.Exit(1)


def passwd(username: str, password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
           database_url: DbOpt = None) -> None:
    """Set an account's password (at least 10 characters, not a common one); its tokens are revoked."""
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            eng.auth.set_password(s, eng.auth.user(s, username), password)
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"password of {username} changed; every session of the account was logged out")


def _set_active(username: str, active: bool, database_url: str | None) -> None:
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            eng.auth.set_active(s, eng.auth.user(s, username), active)
    except VolunteerEngineError as exc:
        _fail(exc)


def disable(username: str, database_url: DbOpt = None) -> None:
    """Disable an account: refused from its next request on, its tokens revoked."""
    _set_active(username, False, database_url)
    out.print(f"{username} disabled")


def enable(username: str, database_url: DbOpt = None) -> None:
    """Enable a disabled account again (the person logs in anew)."""
    _set_active(username, True, database_url)
    out.print(f"{username} enabled")


def revoke(username: str, programme: str, role: str, database_url: DbOpt = None) -> None:
    """Take ROLE in PROGRAMME away from USERNAME (effective on their next request)."""
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            held = eng.auth.revoke_role(s, eng.auth.user(s, username), programme, role)
    except VolunteerEngineError as exc:
        _fail(exc)
    if not held:
        err.print(f"{username} had no role {role!r} in {programme}")
        raise typer.Exit(1)
    out.print(f"{username} is no longer {role} in {programme}")


def register(user_app: typer.Typer) -> None:
    user_app.command("passwd")(passwd)
    user_app.command("disable")(disable)
    user_app.command("enable")(enable)
    user_app.command("revoke")(revoke)


def ensure_operator(eng: Any) -> None:
    """On a fresh database, create the operator account ``admin`` so that someone can log in.

    The password is ``VOLUNTEER_ADMIN_PASSWORD`` if set. Otherwise one is generated and never goes
    to a log: on a terminal it is printed once; without one (a service manager or a container,
    whose output is kept in logs) it is written to ``VOLUNTEER_ADMIN_PASSWORD_FILE`` (mode 0600,
    never overwritten) and only that file's name is printed.
    """
    from sqlalchemy import func, select

    from engine.settings import get_settings
    from engine.store.models import User

    settings = get_settings()
    with eng.session() as s:
        if s.scalar(select(func.count()).select_from(User)):
            return
        password = settings.admin_password or secrets.token_urlsafe(16)
        eng.auth.create_user(s, "admin", password, display_name="系统管理员 Operator", superuser=True)
    change = "change it: volunteer user passwd admin"
    if settings.admin_password:
        out.print(f"[bold]Created operator account[/bold] admin (password from VOLUNTEER_ADMIN_PASSWORD) — {change}")
    elif sys.stdout.isatty():
        out.print(f"[bold]Created operator account[/bold] admin / {password}  — shown once, not logged; {change}",
                  highlight=False)
    else:
        path = Path(settings.admin_password_file)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(password + "\n")
        out.print(f"Created operator account admin; its password is in {path} (mode 0600) — read it, delete the "
                  f"file, {change}", highlight=False)
