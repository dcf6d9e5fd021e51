"""``volunteer check``: report first whatever ``load`` or ``serve`` would refuse, with its line.

Parsing (:func:`engine.config.loader.load_programme`) finds syntax, type and workflow problems. What
only storing finds — a plan type refusing the programme in ``volunteer_programme_loaded`` (e.g. a
programme the plan type cannot set up), or two files with one programme id — is found by
loading every file into a throwaway SQLite database, exactly as ``load`` does, and placing the
refusal at the line of the key it names (``field``), or at the ``id`` line.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from engine.config import yamlpos
from engine.errors import ConfigError, Problem, VolunteerEngineError
from engine.plugins import PluginHost

SUFFIXES = (".yaml", ".yml")


def expand(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, and the ``*.yaml``/``*.yml`` files of folders named (sorted); missing paths are problems."""
    files: list[Path] = []
    missing: list[Problem] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.suffix in SUFFIXES and f.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            missing.append(Problem(str(p), 1, 1, f"文件不存在 / no such file or folder: {p}"))
    return files, missing


def _position(path: Path, field: str | None) -> tuple[int, int]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    _, positions, problems = yamlpos.load(text, str(path))
    if problems or not field:
        return 1, 1
    key = tuple(int(x) if x.isdigit() else x for x in field.split("."))
    pos = positions.find(key, yamlpos.Pos(str(path), 1, 1))
    return pos.line, pos.column


def check_paths(paths: list[Path], host: PluginHost) -> dict[str, list[Problem]]:
    """Problems per file (an empty list: the file would load), for files and folders alike."""
    from engine.core import VolunteerEngine

    files, missing = expand(paths)
    out: dict[str, list[Problem]] = {p.file: [p] for p in missing}
    ids: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix="volunteer-check-") as tmp:
        eng = VolunteerEngine(f"sqlite:///{Path(tmp) / 'check.db'}", host=host)
        try:
            for path in files:
                name = str(path)
                try:
                    loaded = eng.parse(path)
                except ConfigError as exc:
                    out[name] = exc.problems
                    continue
                first = ids.get(loaded.id)
                if first is not None:
                    line, col = _position(path, "id")
                    out[name] = [Problem(name, line, col,
                                         f"项目 id {loaded.id!r} 与 {first} 重复：每个项目文件需要不同的 id / programme id "
                                         f"{loaded.id!r} is already used by {first}; each programme needs its own id",
                                         "id", "an id no other file uses")]
                    continue
                ids[loaded.id] = path
                try:
                    eng.load(path)
                except VolunteerEngineError as exc:
                    cause = exc.__cause__ if isinstance(exc.__cause__, VolunteerEngineError) else exc
                    field = cause.details.get("field") if isinstance(cause.details.get("field"), str) else None
                    line, col = _position(path, field)
                    out[name] = [Problem(name, line, col, cause.message, field or "")]
                    continue
                out[name] = []
        finally:
            eng.db.dispose()
    return out
