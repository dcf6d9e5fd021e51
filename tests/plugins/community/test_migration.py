"""Star nominations recorded before stars moved onto the engine's rules.levels are copied to the
engine's level nominations by the community branch's migration c0002 (one head on the branch)."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from engine.stages.rewards.models import LevelNomination
from engine.store.db import alembic_config
from plugins.community.models import StarNomination


def test_the_community_branch_has_one_head(eng) -> None:
    script = ScriptDirectory.from_config(alembic_config(eng.host.migration_dirs()))
    community = [h for h in script.get_heads() if h.startswith("c0")]  # the community branch's revisions
    assert community == ["c0002_star_nominations_to_levels"]


def test_old_star_nominations_become_level_nominations(eng, town) -> None:
    cfg = alembic_config(eng.host.migration_dirs())
    with eng.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "c0001_community")
    with eng.session() as s:
        v = town.volunteer(s)
        s.add_all([StarNomination(programme_id=town.prog.id, volunteer_id=v.id, stars=5, reason="年度之星 star of the year",
                                  nominated_by="coord1"),
                   StarNomination(programme_id=town.prog.id, volunteer_id=v.id, stars=7, reason="a custom seventh",
                                  nominated_by="coord1")])
        s.commit()
        vid = v.id
    with eng.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        command.upgrade(cfg, "heads")  # nothing more to do
    with eng.session() as s:
        rows = s.scalars(select(LevelNomination).where(LevelNomination.volunteer_id == vid)).all()
        assert [(r.level, r.note, r.nominated_by) for r in rows] == [
            ("五星志愿者 5-star", "migrated from community_star_nominations: 年度之星 star of the year", "coord1")]
        assert s.execute(text("SELECT count(*) FROM community_star_nominations")).scalar() == 2  # kept
