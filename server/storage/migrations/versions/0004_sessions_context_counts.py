"""sessions: console_error_count, failed_request_count, slowest_request_ms (the
engineer's context, counted per batch at ingest, for the session list's filters)

Sessions stored before have 0 / 0 / NULL until they are analysed again: the analysis
version changed with this release, so the background pass re-analyses every session and
fills the three in from its whole stream (``replaydesk analyze --all`` does it at once).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('console_error_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('failed_request_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('slowest_request_ms', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('slowest_request_ms')
        batch_op.drop_column('failed_request_count')
        batch_op.drop_column('console_error_count')
