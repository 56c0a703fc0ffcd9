"""Storage: SQLAlchemy models, queries, the ingest write path and blob stores."""
