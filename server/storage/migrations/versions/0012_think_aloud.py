"""think-aloud: studies.think_aloud, camera, consent_text; media_chunks (the recordings)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('think_aloud', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('camera', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('consent_text', sa.Text(), server_default='', nullable=False))

    op.create_table('media_chunks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('recording_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('mime', sa.String(length=100), nullable=False),
    sa.Column('started_at', sa.BigInteger(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('blob_key', sa.String(length=300), nullable=False),
    sa.Column('received_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'recording_id', 'seq')
    )
    with op.batch_alter_table('media_chunks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_chunks_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('media_chunks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_chunks_session_id'))

    op.drop_table('media_chunks')
    with op.batch_alter_table('studies', schema=None) as batch_op:
        batch_op.drop_column('consent_text')
        batch_op.drop_column('camera')
        batch_op.drop_column('think_aloud')
