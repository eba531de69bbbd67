"""The command line: Typer commands that parse options, call a feature and pick a renderer."""
