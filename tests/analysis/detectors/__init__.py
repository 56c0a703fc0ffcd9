"""One test module per detector: tables over hand-built event streams."""
