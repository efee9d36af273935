"""``zc-synth``: the root of the command line, a table of commands (:data:`synth.commands.COMMANDS`).
Errors a user can fix (:class:`zc_core.errors.ZcError`, ``OSError``) end in one line and exit 2."""
from __future__ import annotations

import argparse
import sys
from importlib import import_module
from typing import Sequence

from zc_core.errors import ZcError, did_you_mean

from .commands import COMMANDS

USER_ERRORS = (ZcError, OSError)


class _Parser(argparse.ArgumentParser):
    """argparse with the project's error format: one line on stderr, exit 2 (no usage block)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("zc-synth").strip()
        self.exit(2, f"zc-synth: error: {command + ': ' if command else ''}{message}\n")

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """argparse's choice check, with the closest choice named."""
        if action.choices is not None and value not in action.choices:
            raise argparse.ArgumentError(action, f"invalid choice: {value!r}{did_you_mean(str(value), action.choices)} "
                                                 f"(choose from {', '.join(map(repr, action.choices))})")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command, each from its module."""
    parser = _Parser(prog="zc-synth", description="Synthesize zero-cost NAS proxy metrics.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS.items():
        module = import_module(f".commands.{module_name}", __package__)
        command = module.add_parser(sub)
        assert command.prog.endswith(f" {name}"), f"{module_name}.add_parser made {command.prog!r}, not {name!r}"
        command.set_defaults(func=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if hasattr(args, "threads"):
            from proxies.threads import set_threads

            threads, why = set_threads(args.threads)
            if getattr(args, "verbose", False):
                print(f"torch threads: {threads} ({why})", file=sys.stderr)
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"zc-synth: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zc-synth: interrupted; finished runs are kept, run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
