"""sessions.assets_due_at: asset caching is scheduled in the database, like analysis

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assets_due_at', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_sessions_assets_due', ['assets_due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_sessions_assets_due')
        batch_op.drop_column('assets_due_at')
