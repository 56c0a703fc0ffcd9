"""Reports across sessions: experiment comparisons and study results."""
