"""session_answers: study participants' answers (SEQ, SUS, comments) from $answer events

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('session_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('task_id', sa.String(length=200), nullable=True),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('ts', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_answers_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('session_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_answers_session_id'))

    op.drop_table('session_answers')
