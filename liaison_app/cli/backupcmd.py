"""`liaison backup FILE.zip` and `liaison restore FILE.zip --to DIR`: the whole workspace in one file, and back."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..backup import backup_workspace, restore_workspace
from .common import open_workspace, print_json, progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="把整个工作区（数据库、证据库、签名身份）备份成一个 zip 文件")
    p.add_argument("file", metavar="FILE.zip", type=Path)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复工作区（先逐一核对 SHA-256，原有工作区改名保留）")
    p.add_argument("file", metavar="FILE.zip", type=Path)
    p.add_argument("--to", metavar="DIR", type=Path, required=True, help="恢复到的文件夹（新的、空的或已有的工作区）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        result = backup_workspace(ws, args.file, progress=None if args.json else progress_bar("备份"))
    if args.json:
        print_json({"path": str(result.path), "files": result.files, "size": result.size})
    else:
        print(f"已备份 {result.files} 个文件（{result.size / 1024 / 1024:.1f} MB）到 {result.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    result = restore_workspace(args.file, args.to, progress=None if args.json else progress_bar("恢复"))
    if args.json:
        print_json({"workspace": str(result.workspace), "files": result.files,
                    "previous": str(result.previous) if result.previous else None})
        return 0
    print(f"已核对并恢复 {result.files} 个文件到 {result.workspace}")
    if result.previous:
        print(f"原来的工作区已改名保留在 {result.previous}")
    return 0
