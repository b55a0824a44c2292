"""`liaison init` and `liaison check`."""

from __future__ import annotations

import argparse

from ..checks import run_checks
from .common import open_workspace, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="创建或打开工作区，并记下本科室和联络员 (create or open a workspace)")
    p.add_argument("--department", metavar="NAME", help="本科室/处室/单位名称，如 法制科")
    p.add_argument("--liaison", metavar="NAME", help="联络员姓名")
    p.add_argument("--bureau", metavar="NAME", help="局名称（可选），如 上海市松江区生态环境局")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("check", help="检查数据库、审计日志和证据库是否完好 (exit 0 when sound)")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--repair", action="store_true", help="同时删除中断的材料包生成留下的临时文件")
    p.set_defaults(func=cmd_check)


def cmd_init(args: argparse.Namespace) -> int:
    with open_workspace(args, create=True) as ws:
        if ws.counts()["audit_log"] == 0:
            with ws.transaction():
                ws.audit("workspace.create", "workspace", {"path": str(ws.root)})
        for key in ("department", "liaison", "bureau"):
            value = getattr(args, key)
            if value:
                ws.set_setting(key, value.strip())
        print(f"工作区：{ws.root}")
        print(f"本科室：{ws.department or '（未设置，可用 --department 设置）'}")
        print(f"联络员：{ws.liaison or '（未设置，可用 --liaison 设置）'}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        report = run_checks(ws, repair=args.repair)
        if args.json:
            print_json({"ok": report.ok, "workspace": str(ws.root), "sections": report.sections,
                        "notes": report.notes})
        else:
            print(f"工作区：{ws.root}")
            for section, problems in report.sections.items():
                if problems:
                    print(f"[问题] {section}：")
                    for p in problems:
                        print(f"  - {p}")
                else:
                    print(f"[正常] {section}")
            for note in report.notes:
                print(note)
            print("检查结果：完好。" if report.ok else f"检查结果：发现 {len(report.problems)} 个问题。")
    return 0 if report.ok else 1
