"""A start with nothing to migrate skips Alembic (engine/store/schema_state.py), and anything that
moved the store or the revision files makes it run again — on whichever database the suite runs."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import event, text

from engine.store.db import alembic_config
from engine.testing import temp_engine


def _statements(eng, dirs: list[str]) -> list[str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(eng.db.engine, "before_cursor_execute", count)
    try:
        eng.db.upgrade(dirs)
    finally:
        event.remove(eng.db.engine, "before_cursor_execute", count)
    return seen


def _heads(eng) -> set[str]:
    with eng.db.engine.connect() as conn:
        return set(conn.scalars(text("SELECT version_num FROM alembic_version")))


def test_nothing_to_migrate_is_one_read_and_a_downgrade_migrates_again(tmp_path: Path) -> None:
    with temp_engine(tmp_path, builtin=()) as eng:
        dirs = eng.host.migration_dirs()
        newest = _heads(eng)
        quiet = _statements(eng, dirs)
        assert len([s for s in quiet if s.lstrip().upper().startswith("SELECT")]) == 2, quiet  # state + versions
        assert not any("CREATE" in s.upper() or "INSERT" in s.upper() for s in quiet), quiet

        with eng.db.engine.begin() as conn:  # an operator takes the store one revision back by hand
            cfg = alembic_config(dirs)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0013_post_notes")
        assert _heads(eng) == {"0013_post_notes"}
        again = _statements(eng, dirs)
        assert len(again) > len(quiet) and _heads(eng) == newest  # Alembic ran and brought it back
        assert len(_statements(eng, dirs)) == len(quiet)  # and then it is quiet again


BRANCH = '''"""a plan type's first revision"""
revision = "xplan_0001"
down_revision = None
branch_labels = ("xplan",)
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


def test_another_plan_types_migrations_run_alembic(tmp_path: Path) -> None:
    """A plan type installed later brings its own revision folder: the digest changes, Alembic runs."""
    with temp_engine(tmp_path, builtin=()) as eng:
        dirs = eng.host.migration_dirs()
        quiet = len(_statements(eng, dirs))
        extra = tmp_path / "xplan_versions"
        extra.mkdir()
        (extra / "xplan_0001.py").write_text(BRANCH, encoding="utf-8")
        assert len(_statements(eng, [*dirs, str(extra)])) > quiet and "xplan_0001" in _heads(eng)
        assert len(_statements(eng, [*dirs, str(extra)])) == quiet
