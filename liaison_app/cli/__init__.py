"""The `liaison` command. Each area registers its verbs from its own module (see COMMAND_MODULES).

Exit codes: 0 success, 1 a check found problems (check, verify), 2 bad input or a workspace the user must fix.
A LiaisonError is printed as one plain sentence on stderr; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import Cancelled, LiaisonError
from .console import is_closed_pipe, quiet_broken_pipe, setup_streams

__all__ = ["main", "build_parser"]

# Modules under liaison_app.cli that define register(subparsers).
COMMAND_MODULES = ["base", "importcmd", "progresscmd", "packetcmd", "backupcmd", "rollupcmd"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liaison",
        description="联络员工作台 Liaison Desk: 任务分工表、进度、佐证材料、每月案例与签名材料包。",
    )
    parser.add_argument("--version", action="version", version=f"liaison {__version__}")
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="工作区文件夹 (default: $LIAISON_WORKSPACE, else the per-user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    setup_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except Cancelled as exc:
        print(f"liaison: {exc}", file=sys.stderr)
        return exc.exit_code
    except LiaisonError as exc:
        print(f"liaison: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("liaison: 已中断。", file=sys.stderr)
        return 130
    except OSError as exc:
        if not is_closed_pipe(exc):
            raise
        # the reader stopped early (`liaison tasks --json | head`): nothing more to say
        quiet_broken_pipe()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
