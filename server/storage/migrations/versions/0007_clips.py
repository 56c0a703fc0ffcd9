"""clips and clip_segments: videos of replay moments (a range, or a finding's highlight
reel), rendered by the job runner

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('fps', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('blob_key', sa.String(length=300), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('due_at', sa.BigInteger(), nullable=True),
    sa.Column('finished_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.create_index('ix_clips_due', ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clips_finding_id'), ['finding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clips_project_id'), ['project_id'], unique=False)

    op.create_table('clip_segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clip_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('from_ms', sa.BigInteger(), nullable=False),
    sa.Column('to_ms', sa.BigInteger(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['clip_id'], ['clips.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('clip_segments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clip_segments_clip_id'), ['clip_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clip_segments_session_id'), ['session_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('clip_segments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clip_segments_session_id'))
        batch_op.drop_index(batch_op.f('ix_clip_segments_clip_id'))

    op.drop_table('clip_segments')
    with op.batch_alter_table('clips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clips_project_id'))
        batch_op.drop_index(batch_op.f('ix_clips_finding_id'))
        batch_op.drop_index('ix_clips_due')

    op.drop_table('clips')
