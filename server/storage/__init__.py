"""Storage: the only package that talks SQL and commits. Models, named queries, the
ingest write path, blob stores, and the unit of work every write goes through."""
from server.storage.database import dispose_storage, init_storage

__all__ = ["dispose_storage", "init_storage"]
