"""community: star nominations become the engine's level nominations (stars moved onto rules.levels)

Each ``community_star_nominations`` row (a number of stars) is copied to ``level_nominations`` under
the name of that level in the national scheme — the default (pack ``community-points-002``) and the
only preset the plan type shipped: 1 → 一星志愿者 1-star … 5 → 五星志愿者 5-star. A row already there
(same programme, volunteer and level) is left as it is. The old table is kept, read by nothing: a
programme that wrote its own ``rules.stars.levels`` named its levels itself, and those names are
not in the database, so its nominations are re-entered under its new ``rules.levels.scheme``
(``POST …/community/stars/nominations``) from the rows kept there. The downgrade removes the copies.

Revision ID: c0002_star_nominations_to_levels
Revises: c0001_community
Create Date: 2026-12-06 18:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c0002_star_nominations_to_levels'
down_revision = 'c0001_community'
branch_labels = None
depends_on = '0008_rules'

NAMES = {1: "一星志愿者 1-star", 2: "二星志愿者 2-star", 3: "三星志愿者 3-star", 4: "四星志愿者 4-star",
         5: "五星志愿者 5-star"}
NOTE = "migrated from community_star_nominations: "


def upgrade() -> None:
    old = sa.table("community_star_nominations", sa.column("programme_id"), sa.column("volunteer_id"),
                   sa.column("stars"), sa.column("reason"), sa.column("nominated_by"), sa.column("created_at"))
    new = sa.table("level_nominations", sa.column("programme_id"), sa.column("volunteer_id"), sa.column("level"),
                   sa.column("note"), sa.column("nominated_by"), sa.column("created_at"))
    level = sa.case(*((old.c.stars == n, sa.literal(name)) for n, name in NAMES.items()))
    there = sa.select(new.c.programme_id).where(new.c.programme_id == old.c.programme_id,
                                                 new.c.volunteer_id == old.c.volunteer_id, new.c.level == level)
    rows = sa.select(old.c.programme_id, old.c.volunteer_id, level, sa.literal(NOTE) + old.c.reason,
                     old.c.nominated_by, old.c.created_at).where(old.c.stars.in_(list(NAMES)), ~there.exists())
    op.execute(new.insert().from_select(["programme_id", "volunteer_id", "level", "note", "nominated_by",
                                         "created_at"], rows))


def downgrade() -> None:
    new = sa.table("level_nominations", sa.column("note"))
    op.execute(new.delete().where(new.c.note.like(NOTE + "%")))
