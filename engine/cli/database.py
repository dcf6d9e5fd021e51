"""Which database a command uses (docs/admin.md): shared by every CLI module and `serve`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

err = Console(stderr=True, soft_wrap=True)


def resolve_database(database_url: str | None) -> str:
    """--database, VOLUNTEER_DATABASE_URL, the nearest volunteer.toml's database_url, else ./volunteer.db —
    said aloud when none is set and a new volunteer.db would appear here."""
    from engine.settings import database_source

    url, source = database_source(database_url)
    if source == "default":
        here = Path("volunteer.db").resolve()
        if not here.exists():
            err.print(f"[yellow]注意 / note[/yellow]: 未设置数据库，将在当前文件夹新建 {here} / no database set (no "
                      "--database, no VOLUNTEER_DATABASE_URL, no volunteer.toml here or above): creating a new one "
                      "here. Put `database_url = \"sqlite:///volunteer.db\"` in a volunteer.toml at your project's "
                      "root so every command and `serve` share it.", highlight=False)
    return url
