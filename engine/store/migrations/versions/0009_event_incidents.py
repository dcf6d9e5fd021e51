"""incidents (event issue): government event grade (突发事件应对法 第三条), warning colour (第六十三条),
acknowledgement and the time the current responder level was reached (for the escalation timer)

Revision ID: 0009_event_incidents
Revises: 0009_youth_consent
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import engine.store.base


revision = '0009_event_incidents'
down_revision = '0009_youth_consent'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gov_grade', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('warning_colour', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_at', engine.store.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('level_since', engine.store.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('level_since')
        batch_op.drop_column('acknowledged_by')
        batch_op.drop_column('acknowledged_at')
        batch_op.drop_column('warning_colour')
        batch_op.drop_column('gov_grade')
