"""Usage errors (an unknown command or option, a missing argument, a value an option does not take) in the one
style of every error: `ccus-records: error: MESSAGE` on stderr, a line saying where the help is, exit 2.

Click words these errors itself and Typer draws them in a box; here they are caught where the command line is
parsed, reworded in the tool's style, and every unknown name gets the same "did you mean" as the rest.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from ccus_records.errors import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_USAGE

# The value at the start of click's message for a value a choice does not take: `'contry' is not one of ...`.
_QUOTED_VALUE = re.compile(r"^('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") is not ")


class Commands(TyperGroup):
    """The application's command group: one-line usage errors, and a suggestion for an unknown command."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as error:
            typed = args[0] if args else ""
            if typed.startswith("-"):
                raise  # an unknown option of the group, not a command
            from ccus_records.suggest import hint

            error.message = f"no such command {typed!r}{hint(typed, self.list_commands(ctx))}"
            raise

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        parse = {"windows_expand_args": windows_expand_args, **extra}
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **parse)
        try:
            outcome = super().main(args, prog_name, complete_var, standalone_mode=False, **parse)
        except typer.Abort as error:  # a question left unanswered: Ctrl-C, or the end of the input
            if sys.stdout.isatty():
                sys.stdout.write("\n")  # the question's line is left open
                sys.stdout.flush()
            if isinstance(error.__context__, KeyboardInterrupt):
                from ccus_records.cli.interrupt import interrupted

                interrupted()
                sys.exit(EXIT_INTERRUPTED)
            report("no answer: nothing done")
            sys.exit(EXIT_FINDINGS)  # as a question answered no
        except typer.TyperException as error:  # click's errors: a usage error, a file that cannot be opened
            if type(error).__name__ == "NoArgsIsHelpError":
                sys.exit(EXIT_USAGE)  # the help, which is what to say, is printed already
            report(usage_message(error), getattr(error, "ctx", None))
            sys.exit(getattr(error, "exit_code", EXIT_USAGE))
        # Without standalone mode, click hands back the exit code a command ended with (`typer.Exit`), or what
        # the command returned (None): the process ends with it as in standalone mode.
        sys.exit(outcome if isinstance(outcome, int) else 0)


def usage_message(error: Any) -> str:
    """Click's message for a person, in the tool's style: `--format: 'x' is not one of ...`, lower case, no full
    stop, and for an unknown option the closest the command has."""
    from ccus_records.suggest import hint

    param = getattr(error, "param", None)
    if type(error).__name__ == "BadParameter" and param is not None and getattr(param, "opts", None):
        message = f"{'/'.join(param.opts)}: {error.message}".rstrip().removesuffix(".")
        choices = getattr(param.type, "choices", None)
        typed = _QUOTED_VALUE.match(error.message)
        if choices and typed is not None:  # click words it `'VALUE' is not one of ...`
            import ast

            message += hint(ast.literal_eval(typed.group(1)), [str(getattr(c, "value", c)) for c in choices])
    else:
        message = error.format_message() if type(error).__name__ != "NoSuchOption" else error.message
    message = message.rstrip().removesuffix(".")
    message = message[:1].lower() + message[1:]
    if type(error).__name__ == "NoSuchOption" and getattr(error, "ctx", None) is not None:
        options = [name for param in error.ctx.command.params for name in (*param.opts, *param.secondary_opts)]
        message += hint(error.option_name, [name for name in options if name.startswith("-")])
    return message


def report(message: str, ctx: Any = None) -> None:
    from ccus_records.cli.common import write_err
    from ccus_records.render.messages import error_line, plain_line

    text = error_line(message)
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        text += plain_line(f"Try '{ctx.command_path} --help'.")
    write_err(text)
