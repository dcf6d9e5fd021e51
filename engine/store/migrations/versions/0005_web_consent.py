"""consent records on enrolments: when the registrant agreed, and the guardian's relationship,
phone and time of consent (the web app's registration, engine/stages/recruitment/models.py)

Revision ID: 0005_web_consent
Revises: 0004_certificates
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import engine.store.base


revision = '0005_web_consent'
down_revision = '0004_certificates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enrolments') as batch:
        batch.add_column(sa.Column('consent_at', engine.store.base.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('guardian_relationship', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('guardian_phone', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('guardian_consent_at', engine.store.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enrolments') as batch:
        batch.drop_column('guardian_consent_at')
        batch.drop_column('guardian_phone')
        batch.drop_column('guardian_relationship')
        batch.drop_column('consent_at')
