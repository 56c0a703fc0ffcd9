"""What a share link opens, without signing in: a read-only player of one session (or
a range of it), its events and the cached assets its replay uses. Nothing else."""
