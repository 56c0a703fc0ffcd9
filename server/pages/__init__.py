"""Server-rendered review UI pages (templates live in review_ui/templates)."""
