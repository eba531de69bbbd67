"""The language server (`ccus-records server`): the only package that imports pygls and lsprotocol."""
