"""Regenerate the engine's initial Alembic revision from the models (development only).

Until the first release the engine keeps a single revision, ``0001_core``; after a model change
run ``python -m engine.store.regen``. After a release, add new revisions instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from alembic import command

from engine.store.db import MIGRATIONS, alembic_config, make_engine


def main() -> None:
    target = MIGRATIONS / "versions" / "0001_core.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        eng = make_engine(f"sqlite:///{Path(tmp) / 'gen.db'}")
        cfg = alembic_config([])
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="core and stage tables", autogenerate=True, rev_id="0001_core")
        eng.dispose()
    generated = next((MIGRATIONS / "versions").glob("0001_core_*.py"))
    text = generated.read_text().replace("branch_labels = None", 'branch_labels = ("engine",)')
    target.write_text(text)
    generated.unlink()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
