"""``volunteer new-plan-type NAME``: write an installable plan-type package that uses only the public
surface (``engine``, ``engine.sdk``, ``engine.testing``), with passing tests.

The files are Jinja2 templates under ``template/`` (``.j2`` suffix dropped; ``PKG`` in a path becomes
the package name). Every template is rendered with ``name`` (the plan type id, snake_case), ``pkg``
(the Python package), ``dist`` (the distribution name), ``title`` and ``engine_version``.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from engine.errors import InvalidInput

TEMPLATE = Path(__file__).with_name("template")
NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class Written:
    root: Path
    files: list[Path]


def _engine_version() -> str:
    try:
        return metadata.version("volunteer-engine")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0.1.0"


def new_plan_type(name: str, directory: Path, *, title: str | None = None, force: bool = False) -> Written:
    """Write the package for plan type ``name`` into ``directory/<dist>``; returns what was written."""
    if not NAME.match(name) or keyword.iskeyword(name):
        raise InvalidInput(f"计划类型名 {name!r} 无效：请用小写字母、数字和下划线，以字母开头（2–31 个字符） / "
                           f"plan type name {name!r} is not valid: lowercase letters, digits and _, starting "
                           "with a letter (2–31 characters)", field="name")
    dist = f"volunteer-plan-{name.replace('_', '-')}"
    root = directory / dist
    if root.exists() and any(root.iterdir()) and not force:
        raise InvalidInput(f"目录 {root} 已存在且不为空 / {root} exists and is not empty (use --force to overwrite)",
                           field="dir")
    context = {"name": name, "pkg": f"vol_plan_{name}", "dist": dist, "title": title or name.replace("_", " ").title(),
               "engine_version": _engine_version()}
    env = Environment(loader=FileSystemLoader(TEMPLATE), undefined=StrictUndefined, keep_trailing_newline=True,
                      autoescape=False)
    written: list[Path] = []
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        rel = source.relative_to(TEMPLATE).as_posix()
        target = root / rel.replace("PKG", context["pkg"]).replace("NAME", name).removesuffix(".j2")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(env.get_template(rel).render(context), encoding="utf-8")
        written.append(target)
    return Written(root, written)
