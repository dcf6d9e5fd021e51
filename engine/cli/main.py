"""The ``volunteer`` command: serve, check, schema, init, plugins, draw, load, advance, history …

The CLI is the operator's tool: it talks to the database directly — ``--database``, else
``VOLUNTEER_DATABASE_URL``, else ``database_url`` in the nearest ``volunteer.toml`` (this folder or
one above; docs/admin.md), else ``sqlite:///volunteer.db`` (said aloud when it would be created). ``advance`` acts as a named account (``--as``) with that
account's roles in the programme, or as the operator with a role given by ``--role``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from engine.certificates import cli as certificates_cli
from engine.cli.database import resolve_database
from engine.errors import ConfigError, GuardsFailed, VolunteerEngineError

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="志愿服务引擎 Volunteer Engine — run volunteer-service programmes from YAML.")
user_app = typer.Typer(no_args_is_help=True, help="Accounts and roles 账号与角色.")
db_app = typer.Typer(no_args_is_help=True, help="Database 数据库.")
app.add_typer(user_app, name="user")
app.add_typer(db_app, name="db")
certificates_cli.register(app)  # `volunteer verify FILE`, `volunteer org …` (docs/certificates.md)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[str | None, typer.Option("--database", "--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                               help="SQLAlchemy URL (else VOLUNTEER_DATABASE_URL, else database_url in the nearest volunteer.toml, else sqlite:///volunteer.db)")]


def _engine(database_url: str | None):  # type: ignore[no-untyped-def]
    from engine.core import VolunteerEngine

    return VolunteerEngine(resolve_database(database_url))


def _fail(exc: VolunteerEngineError, code: int = 1) -> None:
    err.print(f"[red]{type(exc).__name__}[/red]: {exc.message}", markup=True, highlight=False)
    raise typer.Exit(code)


@app.command()
def serve(
    folder: Annotated[Path, typer.Argument(help="folder of programme YAML files to load")] = Path("examples"),
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    reload: Annotated[bool, typer.Option(help="restart on code changes (development)")] = False,
    workers: Annotated[int, typer.Option(help="worker processes (use PostgreSQL for more than one)")] = 1,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        help="addresses of reverse proxies whose X-Forwarded-For/-Proto are trusted (default: uvicorn's, "
             "$FORWARDED_ALLOW_IPS or 127.0.0.1); see docs/security.md")] = None,
    scheduler: Annotated[bool, typer.Option(help="run scheduled work and send notifications in this process "
                                                 "(default: VOLUNTEER_SCHEDULER, on)")] = True,
    database_url: DbOpt = None,
) -> None:
    """Serve the HTTP API and pages, loading every programme in FOLDER (default examples/)."""
    import uvicorn

    os.environ["VOLUNTEER_DATABASE_URL"] = resolve_database(database_url)  # the server uses what the CLI uses
    if not scheduler:
        os.environ["VOLUNTEER_SCHEDULER"] = "off"
    os.environ["VOLUNTEER_PROGRAMMES_DIR"] = str(folder.resolve())
    _announce_skipped(folder)
    eng = _engine(database_url)
    _ensure_operator(eng)
    out.print(f"Volunteer Engine on http://{host}:{port}  (API docs: http://{host}:{port}/docs, "
              f"database: {eng.db.engine.url.render_as_string(hide_password=True)})")
    out.print(f"Pages for coordinators and volunteers: http://{host}:{port}/ — log in at "
              f"http://{host}:{port}/login (the operator account above, or one an operator made at /admin)")
    eng.db.dispose()
    # templates are compiled once per process (engine.web.kit.render): --reload restarts on edits to them too
    extra: dict[str, Any] = {"reload_includes": ["*.py", "*.html"]} if reload else {}
    uvicorn.run("engine.http.asgi:app", host=host, port=port, reload=reload, workers=workers if not reload else None,
                factory=False, proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips, **extra)


def _announce_skipped(folder: Path) -> None:
    """Say loudly, before the server starts, which programme files it will skip and why."""
    from engine.cli.check import check_paths
    from engine.plugins import default_host

    if not folder.is_dir():
        err.print(f"[red]没有这个文件夹 / no such folder: {folder}[/red]", highlight=False)
        raise typer.Exit(2)
    results = check_paths([folder], default_host())
    bad = {name: problems for name, problems in results.items() if problems}
    for name, problems in bad.items():
        err.print(f"[red bold]跳过 SKIPPED[/red bold] {name}:", highlight=False)
        for p in problems:
            err.print(f"  {p}", highlight=False, markup=False)
    loaded = len(results) - len(bad)
    out.print(f"{folder}: {loaded} 个项目文件将被加载 / programme file(s) will be loaded"
              + (f"; [red]{len(bad)} 个被跳过 / skipped (above)[/red]" if bad else ""))


def _ensure_operator(eng) -> None:  # type: ignore[no-untyped-def]
    from engine.cli.accounts import ensure_operator

    ensure_operator(eng)


@app.command()
def check(files: Annotated[list[Path], typer.Argument(help="programme YAML files, or folders of them")]) -> None:
    """Check programme files (or every *.yaml in a FOLDER) as `load` and `serve` would: print every problem
    as file:line:column and exit non-zero if any."""
    from engine.cli.check import check_paths
    from engine.plugins import default_host

    host = default_host()
    for f in host.failures:
        err.print(f"warning: {f}", highlight=False)
    results = check_paths(files, host)
    if not results:
        err.print("没有找到项目文件 / no programme files (*.yaml) found")
        raise typer.Exit(1)
    bad = 0
    for name, problems in results.items():
        if problems:
            bad += 1
            for p in problems:
                out.print(str(p), highlight=False, markup=False)
        else:
            out.print(f"{name}: ok", highlight=False)
    if bad:
        err.print(f"{bad} of {len(results)} file(s) have problems")
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of programme files (for editors)."""
    from engine.config.schema import programme_schema
    from engine.plugins import default_host

    out.print_json(json.dumps(programme_schema(default_host()), ensure_ascii=False))


@app.command()
def init(plan_type: str, output: Annotated[Path | None, typer.Option("-o", "--output")] = None) -> None:
    """Write a commented starter programme file for PLAN_TYPE."""
    from engine.config.starter import starter_yaml
    from engine.plugins import default_host

    host = default_host()
    if host.plan_type(plan_type) is None:
        err.print(f"unknown plan type {plan_type!r}; installed: {', '.join(host.plan_type_ids())}")
        raise typer.Exit(2)
    text = starter_yaml(host, plan_type)
    path = output or Path(f"{plan_type}-programme.yaml")
    if path.exists():
        err.print(f"{path} exists; not overwritten (use -o to choose another name)")
        raise typer.Exit(1)
    path.write_text(text, encoding="utf-8")
    out.print(f"wrote {path}; edit it, then: volunteer check {path}")


@app.command()
def plugins() -> None:
    """List installed plugins: plan types, version, source package, hooks implemented."""
    from engine.plugins import default_host

    host = default_host()
    for info in sorted(host.plugins(), key=lambda i: (not i.plan_types, i.name)):
        kinds = f"plan types: {', '.join(info.plan_types)}" if info.plan_types else "engine built-in"
        out.print(f"[bold]{info.name}[/bold]  {info.distribution or '—'} {info.version or ''}  ({kinds})")
        out.print(f"    module: {info.module}", highlight=False)
        out.print(f"    hooks:  {', '.join(h.removeprefix('volunteer_') for h in info.hooks) or '—'}", highlight=False)
    for f in host.failures:
        err.print(f"[red]{f}[/red]", highlight=False)


@app.command()
def draw(
    target: Annotated[str, typer.Argument(help="a programme file, or the id of a loaded programme")],
    workflow: Annotated[str, typer.Option("--workflow", "-w")] = "lifecycle",
    fmt: Annotated[str, typer.Option("--format", "-f", help="svg, png or mermaid")] = "svg",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    subject: Annotated[str | None, typer.Option(help="subject id whose state to highlight")] = None,
    database_url: DbOpt = None,
) -> None:
    """Draw a workflow (SVG/PNG via Graphviz, or Mermaid text); a loaded programme's state is highlighted."""
    from engine.workflow.draw import mermaid, render

    current = None
    if Path(target).is_file():
        from engine.config.loader import load_programme
        from engine.plugins import default_host

        try:
            prog = load_programme(Path(target), default_host())
        except ConfigError as exc:
            _fail(exc)
    else:
        eng = _engine(database_url)
        try:
            with eng.session() as s:
                prog = eng.programme(target, s)
                wf = prog.workflow(workflow)
                inst = eng.workflows.find(s, prog.id, workflow, wf.definition.subject,
                                          subject or (prog.id if wf.definition.subject == "programme" else ""))
                current = inst.state if inst else None
        except VolunteerEngineError as exc:
            _fail(exc)
    try:
        wdef = prog.workflow(workflow).definition
    except VolunteerEngineError as exc:
        _fail(exc)
    if fmt == "mermaid":
        data = mermaid(wdef, current).encode("utf-8")
    elif fmt in ("svg", "png"):
        try:
            data = render(wdef, fmt, current)
        except RuntimeError as exc:
            err.print(str(exc))
            raise typer.Exit(1) from exc
    else:
        err.print(f"unknown format {fmt!r}: use svg, png or mermaid")
        raise typer.Exit(2)
    if output is None and fmt == "png":
        output = Path(f"{prog.id}-{workflow}.png")
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        out.print(f"wrote {output}")


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="programme YAML files")],
    map_: Annotated[list[str] | None, typer.Option("--map", help="workflow.old=new for stranded instances")] = None,
    database_url: DbOpt = None,
) -> None:
    """Load (or reload) programmes into the database."""
    migrate: dict[str, dict[str, str]] = {}
    for item in map_ or []:
        try:
            left, new = item.split("=", 1)
            wf, old = left.split(".", 1)
        except ValueError:
            err.print(f"--map {item!r}: expected workflow.old_state=new_state")
            raise typer.Exit(2) from None
        migrate.setdefault(wf, {})[old] = new
    eng = _engine(database_url)
    for f in files:
        try:
            p = eng.load(f, migrate=migrate, actor=_operator())
        except VolunteerEngineError as exc:
            _fail(exc)
        out.print(f"loaded {p.id} ({p.plan_type_id}) from {f}")


def _operator() -> str:
    try:
        return f"operator:{getpass.getuser()}"
    except Exception:
        return "operator"


def _who(eng, s, programme_id: str, as_user: str | None, role: list[str] | None) -> tuple[str, frozenset[str]]:  # type: ignore[no-untyped-def]
    if as_user:
        user = eng.auth.user(s, as_user)
        roles = set(eng.auth.roles(s, user, programme_id))
        if user.is_superuser:
            roles.add("admin")
        return user.username, frozenset(roles)
    return _operator(), frozenset(role or ["admin"])


@app.command()
def status(programme: str, workflow: Annotated[str, typer.Option("--workflow", "-w")] = "lifecycle",
           subject: Annotated[str | None, typer.Option()] = None,
           as_user: Annotated[str | None, typer.Option("--as")] = None,
           role: Annotated[list[str] | None, typer.Option()] = None, database_url: DbOpt = None) -> None:
    """Show a workflow instance's state, what can be fired and what is blocked (with reasons)."""
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            prog = eng.programme(programme, s)
            wf = prog.workflow(workflow)
            inst = _instance(eng, s, prog, wf, subject)
            actor, roles = _who(eng, s, programme, as_user, role)
            st = wf.definition.state(inst.state)
            out.print(f"{prog.id} · {workflow}: [bold]{inst.state}[/bold] {st.title or ''} (version {inst.version})")
            for t in eng.workflows.evaluate(s, prog, inst, actor=actor, roles=roles):
                if t.available:
                    out.print(f"  [green]✓ {t.trigger}[/green] → {t.to}  {t.title or ''}")
                else:
                    why = t.reasons + ([] if t.allowed_for_you else [f"roles: {', '.join(t.roles)}"])
                    out.print(f"  [yellow]✗ {t.trigger}[/yellow] → {t.to}: {'; '.join(why)}")
    except VolunteerEngineError as exc:
        _fail(exc)


def _instance(eng: Any, s: Any, prog: Any, wf: Any, subject: str | None) -> Any:
    from engine.errors import NotFound

    sid = subject or (prog.id if wf.definition.subject == "programme" else None)
    if sid is None:
        raise NotFound(f"workflow {wf.name!r} follows {wf.definition.subject}s: give --subject ID")
    inst = eng.workflows.find(s, prog.id, wf.name, wf.definition.subject, sid)
    if inst is None:
        raise NotFound(f"no {wf.name!r} instance for {wf.definition.subject} {sid!r} in programme {prog.id!r}")
    return inst


@app.command()
def advance(
    programme: str,
    trigger: str,
    workflow: Annotated[str, typer.Option("--workflow", "-w")] = "lifecycle",
    subject: Annotated[str | None, typer.Option(help="subject id for entity workflows")] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="act as this account, with its roles")] = None,
    role: Annotated[list[str] | None, typer.Option(help="operator acting in this role (default admin)")] = None,
    expected_version: Annotated[int | None, typer.Option("--expected-version")] = None,
    payload: Annotated[str | None, typer.Option(help="JSON object sent to guards and logged")] = None,
    database_url: DbOpt = None,
) -> None:
    """Fire TRIGGER on a programme's workflow instance (the lifecycle by default)."""
    try:
        data = json.loads(payload) if payload else {}
    except json.JSONDecodeError as exc:
        err.print(f"--payload is not valid JSON: {exc}")
        raise typer.Exit(2) from None
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            prog = eng.programme(programme, s)
            inst = _instance(eng, s, prog, prog.workflow(workflow), subject)
            actor, roles = _who(eng, s, programme, as_user, role)
            inst_id = inst.id
        result = eng.fire(programme, inst_id, trigger, actor=actor, roles=roles,
                          expected_version=expected_version, payload=data)
    except GuardsFailed as exc:
        err.print(f"[red]blocked[/red]: {trigger}")
        for r in exc.reasons:
            err.print(f"  - {r}", highlight=False)
        raise typer.Exit(1) from None
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"{programme} · {workflow}: {trigger} → [bold]{result.instance.state}[/bold] (version {result.instance.version})")


@app.command()
def history(programme: str, workflow: Annotated[str, typer.Option("--workflow", "-w")] = "lifecycle",
            subject: Annotated[str | None, typer.Option()] = None, database_url: DbOpt = None) -> None:
    """Print the transition log of a workflow instance."""
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            prog = eng.programme(programme, s)
            inst = _instance(eng, s, prog, prog.workflow(workflow), subject)
            rows = eng.workflows.history(s, inst.id)
    except VolunteerEngineError as exc:
        _fail(exc)
    tz = prog.config.tz
    out.print(f"时间为项目当地时间 / times in the programme's zone: {prog.config.timezone}", highlight=False)
    for r in rows:
        at = (r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.UTC)).astimezone(tz)
        line = (f"{r.id:>5}  {at:%Y-%m-%d %H:%M:%S%z}  {r.outcome:<8}  {r.trigger:<20}  "
                f"{r.from_state or '·'} → {r.to_state or '·'}  by {r.actor}")
        out.print(line, highlight=False, markup=False)
        for reason in r.reasons:
            out.print(f"         - {reason}", highlight=False, markup=False)
        if r.payload:
            out.print(f"         payload: {json.dumps(r.payload, ensure_ascii=False)}", highlight=False, markup=False)


@app.command()
def report(programme: str, fmt: Annotated[str, typer.Option("--format", "-f", help="md or json")] = "md",
           database_url: DbOpt = None) -> None:
    """Print the programme report (engine sections and the plan type's)."""
    from engine.reports import build_report, render_markdown

    eng = _engine(database_url)
    try:
        with eng.session() as s:
            prog = eng.programme(programme, s)
            sections = build_report(s, prog, eng.host)
    except VolunteerEngineError as exc:
        _fail(exc)
    if fmt == "json":
        out.print_json(json.dumps([x.to_dict() for x in sections], ensure_ascii=False, default=str))
    else:
        out.print(render_markdown(prog, sections), markup=False, highlight=False)


@app.command()
def sweep(programme: str, database_url: DbOpt = None) -> None:
    """Close forgotten check-outs past the programme's limit now and list them for a coordinator to confirm
    (they count only once confirmed). The worker does this every tick; this runs that job once."""
    from engine.scheduling import run_job, slot_of
    from engine.settings import get_settings
    from engine.stages.service.jobs import JOB
    from engine.timeutil import now

    eng = _engine(database_url)
    at = now()
    try:
        eng.programme(programme)
    except VolunteerEngineError as exc:
        _fail(exc)
    run = run_job(eng, JOB, programme, now=at, slot=slot_of(at, get_settings().scheduler_every), use_claim=False)
    if run.outcome == "failed":
        err.print(f"[red]{run.error}[/red]", highlight=False)
        raise typer.Exit(1)
    closed = (run.result or {}).get("auto_closed_checkins", [])
    out.print(f"{programme}: {len(closed)} 条签到已自动签退，待协调员确认 / check-in(s) closed automatically, awaiting "
              "confirmation" + (":" if closed else ""), highlight=False)
    for line in _closed_lines(eng, programme, closed):
        out.print(f"  {line}", highlight=False, markup=False)


def _closed_lines(eng: Any, programme_id: str, ids: list[int]) -> list[str]:
    """One line per closed check-in: who, which post, when (the programme's local time)."""
    from sqlalchemy import select

    from engine.stages.design.models import Post, Shift
    from engine.stages.recruitment.models import Volunteer
    from engine.stages.service.models import Assignment, Checkin

    if not ids:
        return []
    with eng.session() as s:
        tz = eng.programme(programme_id, s).config.tz
        rows = s.execute(select(Checkin.id, Volunteer.name, Post.name, Checkin.checked_in_at, Checkin.checked_out_at)
                         .join(Assignment, Assignment.id == Checkin.assignment_id)
                         .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
                         .join(Shift, Shift.id == Assignment.shift_id).join(Post, Post.id == Shift.post_id)
                         .where(Checkin.id.in_(ids)).order_by(Checkin.id)).all()
    return [f"#{cid} {name} · {post} · 签到 in {_local(at_in, tz)} → 自动签退 auto-out {_local(at_out, tz)}"
            for cid, name, post, at_in, at_out in rows]


def _local(at: Any, tz: Any) -> str:
    import datetime as dt

    if at is None:
        return "—"
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return str(at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))


@user_app.command("add")
def user_add(username: str, password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
             display_name: Annotated[str | None, typer.Option()] = None,
             superuser: Annotated[bool, typer.Option(help="operator account")] = False,
             database_url: DbOpt = None) -> None:
    """Create an account."""
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            eng.auth.create_user(s, username, password, display_name=display_name, superuser=superuser)
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"created {username}")


@user_app.command("grant")
def user_grant(username: str, programme: str, role: str, database_url: DbOpt = None) -> None:
    """Give USERNAME the ROLE in PROGRAMME."""
    eng = _engine(database_url)
    try:
        with eng.session() as s:
            prog = eng.programme(programme, s)
            eng.auth.grant(s, eng.auth.user(s, username), programme, role, known_roles=set(prog.config.roles))
    except VolunteerEngineError as exc:
        _fail(exc)
    out.print(f"{username} is {role} in {programme}")


@db_app.command("upgrade")
def db_upgrade(database_url: DbOpt = None) -> None:
    """Create or upgrade the database schema (engine and every plugin)."""
    eng = _engine(database_url)
    out.print(f"database at the newest schema: {eng.db.engine.url.render_as_string(hide_password=True)}")


def _register_stage_commands() -> None:
    from engine.cli import accounts, authoring, keys, recruitment, rules, worker

    recruitment.register(app)
    rules.register(app)
    accounts.register(user_app)
    app.add_typer(keys.keys_app, name="keys")
    worker.register(app, user_app)
    authoring.register(app, db_app)


_register_stage_commands()


def main() -> None:
    from engine.plugins import default_host

    for failure in default_host().call_isolated("volunteer_cli_commands", app=app)[1]:
        err.print(str(failure), highlight=False)
    app()


if __name__ == "__main__":
    main()
