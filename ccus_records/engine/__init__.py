"""The engine: configuration, rule selection, running the rules over a corpus."""
