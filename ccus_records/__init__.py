"""ccus-records: lint, diff, edit and report on a corpus of CCUS policy records."""

__version__ = "0.1.0"
