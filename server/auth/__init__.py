"""Reviewer identity (cookie session or API token) and the sign-in pages."""
