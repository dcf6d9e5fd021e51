"""legal aid: birth dates of parties and declarations; the case a firm declaration is about

Revision ID: la_0002_conflict_dob_firm
Revises: la_0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "la_0002_conflict_dob_firm"
down_revision = "la_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("la_case_parties") as batch:
        batch.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
    with op.batch_alter_table("la_declarations") as batch:
        batch.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_la_declarations_case_id_la_cases", "la_cases", ["case_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("la_declarations") as batch:
        batch.drop_constraint("fk_la_declarations_case_id_la_cases", type_="foreignkey")
        batch.drop_column("case_id")
        batch.drop_column("birth_date")
    with op.batch_alter_table("la_case_parties") as batch:
        batch.drop_column("birth_date")
