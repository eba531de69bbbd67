"""Features: typed functions that return data (queries, diffs, edits, reports)."""
