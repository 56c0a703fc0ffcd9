"""asset_files and session_assets: cached stylesheets, fonts and images stored once by
the SHA-256 of their bytes, and each session's own URL → bytes map (so purge and delete
release what no session uses, and a later fetch of a URL changes no older replay)

Copies cached before this revision were keyed by their URL's SHA-256 in the blob store
(``assets/<url hash>``); they become files under that same key and hash (the player's
paths to them stay the same), and every session is made due for asset caching once, so
the worker links each session to the copies its scan found.

Revision ID: 0008
Revises: 0007
"""
import time

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('asset_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('blob_key', sa.String(length=300), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('session_assets',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('url_hash', sa.String(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sha256'], ['asset_files.sha256'], ),
    sa.PrimaryKeyConstraint('session_id', 'url_hash')
    )
    with op.batch_alter_table('session_assets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_assets_sha256'), ['sha256'], unique=False)

    with op.batch_alter_table('cached_assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), nullable=True))
    op.execute("INSERT INTO asset_files (sha256, content_type, size, blob_key, parts, created_at) "
               "SELECT url_hash, content_type, size, blob_key, '{}', fetched_at FROM cached_assets WHERE blob_key IS NOT NULL")
    op.execute("UPDATE cached_assets SET sha256 = url_hash WHERE blob_key IS NOT NULL")
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT COUNT(*) FROM asset_files")).scalar():
        bind.execute(sa.text("UPDATE sessions SET assets_due_at = :now WHERE assets_due_at IS NULL"),
                     {"now": int(time.time() * 1000)})
    with op.batch_alter_table('cached_assets', schema=None) as batch_op:
        batch_op.drop_column('blob_key')
        batch_op.drop_column('size')
        batch_op.drop_column('content_type')


def downgrade() -> None:
    with op.batch_alter_table('cached_assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_type', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('blob_key', sa.String(length=300), nullable=True))
    # Before 0008 a URL's row held the blob key of its bytes.
    op.execute("UPDATE cached_assets SET blob_key = (SELECT f.blob_key FROM asset_files f WHERE f.sha256 = cached_assets.sha256), "
               "content_type = COALESCE((SELECT f.content_type FROM asset_files f WHERE f.sha256 = cached_assets.sha256), ''), "
               "size = COALESCE((SELECT f.size FROM asset_files f WHERE f.sha256 = cached_assets.sha256), 0) "
               "WHERE sha256 IS NOT NULL")
    with op.batch_alter_table('cached_assets', schema=None) as batch_op:
        batch_op.drop_column('sha256')
    with op.batch_alter_table('session_assets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_assets_sha256'))
    op.drop_table('session_assets')
    op.drop_table('asset_files')
