"""``volunteer import-volunteers``: a unit's people from a CSV/XLSX file (定向招募, seed 004).

The operator's way to load the rosters units send: a progress bar while the file is validated and
written, a summary, and a table of every bad row (row, column, message). Exit code 1 when the
file cannot be used at all, or when it has bad rows and the mode is ``all_or_nothing`` (then
nothing was stored); 0 otherwise. The lead wires :func:`register` into ``engine/cli/main.py``.
"""

from __future__ import annotations

import getpass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from engine.errors import VolunteerEngineError

if TYPE_CHECKING:
    from engine.core import VolunteerEngine
    from engine.stages.recruitment.batch import BatchReport

out = Console()
err = Console(stderr=True)


class Mode(StrEnum):
    all_or_nothing = "all_or_nothing"
    good_rows = "good_rows"


def _engine(database_url: str | None) -> VolunteerEngine:
    """The engine on the operator's database (a seam for tests)."""
    from engine.cli.database import resolve_database
    from engine.core import VolunteerEngine

    return VolunteerEngine(resolve_database(database_url))


def columns_help() -> str:
    """The columns a roster may have, Chinese and English headers accepted (docs/admin.md)."""
    from engine.imports.tabular import DEFAULT_HEADER_MAP

    lines = ["列 Columns (first row = headers; any of the names shown is accepted; 必填 = required):", ""]
    for spec in DEFAULT_HEADER_MAP.fields.values():
        need = " 必填 required" if spec.required else ""
        names = ", ".join(dict.fromkeys(spec.aliases))
        lines.append(f"  {spec.label} {spec.label_en}{need}: {names}")
    lines.append("")
    lines.append("  ignored 忽略: 序号, 编号, No.")
    return "\n\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the recruitment commands to the ``volunteer`` CLI."""
    app.command("import-volunteers", epilog=columns_help())(import_volunteers)


def import_volunteers(
    programme: Annotated[str, typer.Argument(help="programme id")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX roster")],
    unit: Annotated[str, typer.Option("--unit", help="the unit registering its people (报名单位)")],
    mode: Annotated[Mode, typer.Option("--mode", help="all_or_nothing: store nothing if a row is bad; "
                                                       "good_rows: store the good rows")] = Mode.all_or_nothing,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check and count, store nothing")] = False,
    show: Annotated[int, typer.Option("--show", min=0, help="how many row errors to list")] = 200,
    database_url: Annotated[str | None, typer.Option("--database", "--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                                        help="SQLAlchemy URL (else VOLUNTEER_DATABASE_URL, else database_url in the nearest volunteer.toml, else sqlite:///volunteer.db)")] = None,
) -> None:
    """定向招募导入 Register a unit's people from FILE into PROGRAMME (enrolment source batch:UNIT)."""
    from engine.stages.recruitment.batch import import_volunteers as run

    eng = _engine(database_url)
    actor = f"cli:{getpass.getuser()}"
    try:
        with _progress() as bar, eng.session() as s:
            tasks: dict[str, TaskID] = {}

            def tick(phase: str, done: int, total: int | None) -> None:
                if phase not in tasks:
                    label = "校验 validating" if phase == "validate" else "写入 writing"
                    tasks[phase] = bar.add_task(label, total=total)
                bar.update(tasks[phase], completed=done, total=total)

            report = run(s, eng.programme(programme, s), file.read_bytes(), filename=file.name, unit=unit,
                         mode=mode.value, dry_run=dry_run, actor=actor, progress=tick)
    except VolunteerEngineError as exc:
        err.print(f"[red]{type(exc).__name__}[/red]: {exc.message}", highlight=False)
        raise typer.Exit(1) from None
    _print(report, show)
    if report.refused:
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False)


def _print(report: BatchReport, show: int) -> None:
    for problem in report.file_errors:
        err.print(f"[red]文件无法导入 / file not imported[/red]: {problem}", highlight=False, markup=True)
    for warning in report.warnings:
        err.print(f"[yellow]注意 / warning[/yellow]: {warning}", highlight=False)
    title = f"{report.filename} → {report.unit} ({report.mode}{', dry run' if report.dry_run else ''})"
    summary = Table("", "", title=title, show_header=False)
    for label, value in (("读取行 rows read", report.rows_read), ("合格行 good rows", report.good_rows),
                         ("出错行 rows with errors", len(report.error_rows)), ("新登记 created", report.created),
                         ("已登记、新加入 linked", report.linked), ("已在本项目 already enrolled", report.already_enrolled),
                         ("已保存 stored", "yes" if report.stored else "no"),
                         ("用时 seconds", ", ".join(f"{k} {v:.2f}" for k, v in report.seconds.items()))):
        summary.add_row(label, str(value))
    out.print(summary)
    if report.errors:
        table = Table("行 row", "列 column", "问题 message", title="错误 Errors", show_lines=False)
        for e in report.errors[:show]:
            table.add_row(str(e.row), e.column, _without_place(e.row, e.column, e.message))
        out.print(table)
        if len(report.errors) > show:
            out.print(f"… 另有 {len(report.errors) - show} 条 / {len(report.errors) - show} more (use --show)")
    if report.differences:
        out.print(f"{len(report.differences)} 名已登记者的文件数据与登记簿不同，登记簿未改动 / {len(report.differences)} "
                  "registered people differ from the file; the registry was not changed")
    if report.refused:
        err.print("[red]未保存任何数据 / nothing was stored[/red]")


def _without_place(row: int, column: str, message: str) -> str:
    """The message without "第 N 行「列」: " and "row N, column 列: ", which the table shows already."""
    return (message.replace(f"第 {row} 行「{column}」: ", "", 1)
            .replace(f"/ row {row}, column {column}: ", "/ ", 1))
