"""Work off the request path, on one job runner: analysis after a session goes quiet,
asset caching soon after a batch names a stylesheet or font, compaction once idle."""
