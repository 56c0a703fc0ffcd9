"""Notes and findings: validation of what reviewers send (``fields``, pure), the shapes
we return (``shapes``) and the reports we export (``export``); ``notes`` and
``findings`` validate, then store through ``server.storage``."""
