"""posts.notes (event issue): a post's other requirements as free text (appearance, fitness …), shown
to applicants and not checked

Revision ID: 0013_post_notes
Revises: 0012_swap_requests
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0013_post_notes'
down_revision = '0012_swap_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('notes')
