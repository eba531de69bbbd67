"""`ccus-records server`: a Language Server Protocol server on stdin and stdout, for editors."""


def server_command() -> None:
    """Serve the Language Server Protocol on stdio: diagnostics, hover, formatting, fixes and completion."""
    from ccus_records.server.lsp import main

    main()
