"""Regenerate the legal_aid branch's first Alembic revision from the models (development only).

Like ``engine.store.regen``: until the first release the plan type keeps one revision, ``la_0001``
(branch ``legal_aid``, no parent, depends on the engine's ``0001_core``). Run
``python -m plugins.legal_aid.regen_migration`` after changing :mod:`plugins.legal_aid.models`.
The engine's tables are created from the current models and stamped, so that the revision holds the
``la_*`` tables only, whatever the engine's models look like today.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

import engine.stages.models
import engine.store.models  # noqa: F401
from engine.store.base import Base
from engine.store.db import alembic_config, make_engine

from . import models  # noqa: F401

TARGET = Path(__file__).with_name("migrations")


def main() -> None:
    for old in TARGET.glob("la_0001_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        eng = make_engine(f"sqlite:///{Path(tmp) / 'gen.db'}")
        engine_tables = [t for name, t in Base.metadata.tables.items() if not name.startswith("la_")]
        Base.metadata.create_all(eng, tables=engine_tables)
        cfg = alembic_config([str(TARGET)])
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "0001_core")
            command.revision(cfg, message="legal aid tables", autogenerate=True, rev_id="la_0001", head="base",
                             branch_label="legal_aid", version_path=str(TARGET), depends_on="0001_core")
        eng.dispose()
    print(f"wrote {next(TARGET.glob('la_0001_*.py'))}")


if __name__ == "__main__":
    main()
