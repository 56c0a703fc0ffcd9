"""Work off the request path: analysis after a session goes quiet, compaction once idle."""
