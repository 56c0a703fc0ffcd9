"""Notes and findings: validation of what reviewers send, the shapes we return and
the reports we export. Pure functions except ``store.py``, which touches the database."""
