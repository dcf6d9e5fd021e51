"""``volunteer rules list | show PACK | replay PROGRAMME --with changed.yaml``.

``list`` prints every installed pack (engine and plugins) with its version and sources; ``show``
prints one pack's policy with its sources (``--yaml`` prints the full policy as YAML to copy
into a programme). ``replay`` recomputes every volunteer's figures under changed rules without
writing, and prints who changes (``--csv`` writes the same as CSV); ``--apply`` writes the
adjusting ledger entries, logged under the operator's name.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from engine.errors import ConfigError, VolunteerEngineError

out = Console()
err = Console(stderr=True)
rules_app = typer.Typer(no_args_is_help=True, help="Rule packs and replays 规则包与重算.")


def _host() -> Any:
    from engine.plugins import default_host

    return default_host()


def _engine(database_url: str | None) -> Any:
    from engine.core import VolunteerEngine

    return VolunteerEngine(database_url)


def _operator() -> str:
    import getpass

    try:
        return f"operator:{getpass.getuser()}"
    except Exception:
        return "operator"


def _packs() -> dict[str, Any]:
    from engine.rules.registry import load_packs

    try:
        return load_packs(_host())
    except ConfigError as exc:
        err.print(str(exc), highlight=False)
        raise typer.Exit(1) from None


@rules_app.command("list")
def list_packs() -> None:
    """Every installed rule pack 已安装的规则包."""
    for name, pack in sorted(_packs().items()):
        parent = f" (extends {pack.meta.extends})" if pack.meta.extends else ""
        out.print(f"[bold]{name}[/bold] {pack.meta.version}{parent} — {pack.meta.title}", highlight=False,
                  soft_wrap=True)
        out.print(f"  policies: {', '.join(pack.expanded())}", highlight=False, soft_wrap=True)
        for src in pack.meta.sources:
            out.print(f"  source: {src.title}", highlight=False, soft_wrap=True)


@rules_app.command("show")
def show(name: str, as_yaml: Annotated[bool, typer.Option("--yaml", help="the full policy as YAML")] = False) -> None:
    """One pack: its sources and every figure 规则包内容与出处."""
    from ruamel.yaml import YAML

    packs = _packs()
    if name not in packs:
        err.print(f"未知的规则包 / unknown rule pack {name!r}; installed: {', '.join(sorted(packs))}")
        raise typer.Exit(2)
    pack = packs[name]
    yaml = YAML()
    yaml.default_flow_style = False
    buf = io.StringIO()
    yaml.dump(pack.expanded(), buf)
    if as_yaml:
        sys.stdout.write(f"# {pack.name} {pack.meta.version}: {pack.meta.title}\n")
        for src in pack.meta.sources:
            sys.stdout.write(f"# source: {src.title}" + (f" — {src.cites}" if src.cites else "") + "\n")
        sys.stdout.write("rules:\n" + "".join(f"  {line}\n" for line in buf.getvalue().splitlines()))
        return
    out.print(f"[bold]{pack.name}[/bold] {pack.meta.version} — {pack.meta.title}", highlight=False)
    if pack.meta.description:
        out.print(pack.meta.description.strip(), highlight=False)
    if len(pack.lineage) > 1:
        out.print(f"extends 继承: {' → '.join(pack.lineage[1:])}", highlight=False)
    out.print("出处 Sources:", highlight=False)
    for src in pack.meta.sources:
        out.print(f"  • {src.title}" + (f": {src.cites}" if src.cites else "") + (f" <{src.url}>" if src.url else ""),
                  highlight=False)
    out.print("规则 Policy:", highlight=False)
    out.print(buf.getvalue(), highlight=False)


@rules_app.command("replay")
def replay(
    programme: Annotated[str, typer.Argument(help="id of a loaded programme")],
    with_: Annotated[Path, typer.Option("--with", help="the changed programme YAML (same id)")],
    csv_out: Annotated[Path | None, typer.Option("--csv", help="also write the changes as CSV here")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="write adjusting records and ledger/time-bank entries (logged)")
                     ] = False,
    reason: Annotated[str | None, typer.Option(help="why the change is applied (required with --apply)")] = None,
    limit: Annotated[int, typer.Option(help="rows shown in the table")] = 50,
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="VOLUNTEER_DATABASE_URL")] = None,
) -> None:
    """Recompute hours, points, levels and balances under changed rules, without writing 规则变更试算."""
    from engine.config.loader import load_programme
    from engine.rules.replay import apply_replay, replay_programme, to_csv

    if apply and not reason:
        err.print("--apply 需要 --reason / --apply needs --reason (it is logged)")
        raise typer.Exit(2)
    eng = _engine(database_url)
    try:
        changed = load_programme(with_, eng.host)
        with eng.session() as s:
            current = eng.programme(programme, s)
            report = replay_programme(s, current, changed)
            if apply:
                log = apply_replay(s, current, changed, actor=_operator(), reason=reason or "", host=eng.host)
                eng.load(with_, actor=_operator(), session=s)
    except VolunteerEngineError as exc:
        err.print(str(exc), highlight=False)
        raise typer.Exit(1) from None
    table = Table(title=f"{programme}: {len(report.changes)} 人变化 / volunteers change "
                        f"({report.volunteers} checked, {report.records} records)")
    for col in ("volunteer", "hours", "Δ hours", "level", "→ level", "points", "Δ points"):
        table.add_column(col, overflow="fold")
    for c in report.changes[:limit]:
        table.add_row(str(c.volunteer_id), f"{c.hours_before:g}→{c.hours_after:g}", f"{c.hours_delta:+g}",
                      c.level_before or "—", c.level_after or "—", f"{c.points_before:g}→{c.points_after:g}",
                      f"{c.points_delta:+g}")
    out.print(table)
    if report.bank:
        bank = Table(title=f"时间银行 Time bank: {len(report.bank)} 个账户变化 / accounts change (hours)")
        for col in ("account", "before", "after", "Δ", "donate-only", "blocked by cap", "below floor"):
            bank.add_column(col, overflow="fold")
        for b in report.bank[:limit]:
            bank.add_row(b.account, str(b.before), str(b.after), f"{b.delta:+}",
                         f"{b.donate_only_before}→{b.donate_only_after}", str(b.blocked), str(b.below_floor))
        out.print(bank)
    if csv_out is not None:
        csv_out.write_text(to_csv(report), encoding="utf-8")
        out.print(f"CSV: {csv_out}")
    if apply:
        out.print(f"规则变更 #{log.id} 已应用：{log.summary['adjusted_records']} 条调整记录，{log.summary['ledger_entries']} "
                  f"条积分调整 / rule change #{log.id} applied: {log.summary['adjusted_records']} adjusting records, "
                  f"{log.summary['ledger_entries']} adjusting ledger entries, {log.summary['timebank_entries']} "
                  f"adjusting time-bank entries; the programme now follows {with_}")


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
