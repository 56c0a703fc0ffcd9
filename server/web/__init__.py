"""What the web packages (api, pages, live) share: query-string parsing, list
cursors, session filters and JSON shapes. Nothing here routes or commits."""
