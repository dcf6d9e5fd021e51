"""The engine's migrations form one chain: helpers that add revisions in parallel must re-chain them
(two heads would make `upgrade heads` order-dependent and `volunteer db revision` ambiguous)."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from engine.store.db import alembic_config


def test_the_engine_has_one_migration_head() -> None:
    script = ScriptDirectory.from_config(alembic_config([]))
    heads = script.get_heads()
    assert len(heads) == 1, heads
    assert sum(1 for _ in script.walk_revisions()) >= 8
