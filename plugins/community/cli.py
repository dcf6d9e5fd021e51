"""``volunteer community …``: the operator's commands for community programmes.

``reset-points`` is meant for a daily scheduler (cron): it runs the yearly reset when it is due and
is a no-op otherwise, so triggering it twice — or on two machines — resets a year once.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from engine.errors import VolunteerEngineError

app = typer.Typer(no_args_is_help=True, help="社区志愿服务 Community plan type: points reset, standing, report.")

DbOpt = Annotated[str | None, typer.Option("--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                               help="SQLAlchemy URL; default sqlite:///volunteer.db")]


def _engine(database_url: str | None) -> Any:
    from engine import VolunteerEngine

    return VolunteerEngine(database_url)


def _community(eng: Any, s: Any, programme_id: str) -> Any:
    prog = eng.programme(programme_id, s)
    if prog.plan_type_id != "community":
        raise typer.BadParameter(f"{programme_id} is of plan type {prog.plan_type_id!r}, not community")
    return prog


@app.command("reset-points")
def reset_points(programme: str, year: Annotated[int | None, typer.Option(help="default: the current community year")] = None,
                 actor: Annotated[str, typer.Option("--as", help="recorded as who ran it")] = "operator",
                 database_url: DbOpt = None) -> None:
    """Run the yearly reset of spendable points of PROGRAMME (once per year; lifetime points stay)."""
    from plugins.community import reset

    eng = _engine(database_url)
    try:
        with eng.session() as s:
            prog = _community(eng, s, programme)
            ctx = eng.host.context(s, prog, actor=actor)
            row, ran = reset.reset_points(ctx, year or reset.due_year(prog, ctx.now))
            verb = "reset" if ran else "already reset"
            typer.echo(f"{programme} {row.year}: {verb} on {row.run_at:%Y-%m-%d %H:%M} UTC — {row.volunteers} volunteer(s), "
                       f"{row.total} points / 已清零 {row.volunteers} 人 {row.total} 分")
    except VolunteerEngineError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None


@app.command("standing")
def show_standing(programme: str, volunteer_id: int, database_url: DbOpt = None) -> None:
    """A volunteer's points, lifetime points, hours this year, backbone status and star level (JSON)."""
    from plugins.community.standing import standing

    eng = _engine(database_url)
    try:
        with eng.session() as s:
            ctx = eng.host.context(s, _community(eng, s, programme))
            typer.echo(json.dumps(standing(ctx, volunteer_id), ensure_ascii=False, indent=2, default=str))
    except VolunteerEngineError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None


@app.command("report")
def show_report(programme: str, database_url: DbOpt = None) -> None:
    """The community sections of the programme report (JSON)."""
    from plugins.community.report import sections

    eng = _engine(database_url)
    with eng.session() as s:
        prog = _community(eng, s, programme)
        typer.echo(json.dumps([x.to_dict() for x in sections(s, prog)], ensure_ascii=False, indent=2, default=str))


def register(root: Any) -> None:
    root.add_typer(app, name="community")
