"""POST /api/v1/ingest: the only public write route (project key, CORS open)."""
