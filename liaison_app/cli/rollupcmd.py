"""`liaison rollup add | status | reminders | packet`: the office collects the units' signed packets."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..errors import InputError, WorkspaceLocked
from ..workspace import Workspace
from .common import open_workspace, print_json, progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rollup", help="办公室汇总各科室的签名材料包 (rollup add | status | reminders | packet)")
    r_sub = p.add_subparsers(dest="rollup_command", metavar="ACTION")

    add = r_sub.add_parser("add", help="收入材料包（文件或文件夹）：先核验签名、哈希和签名人，不通过的拒收并说明原因")
    add.add_argument("paths", nargs="+", metavar="PACKET|DIR")
    add.add_argument("--trust", metavar="CERT.pem", action="append", default=[],
                     help="信任这个科室证书（记入工作区，以后不必再给），可多次使用")
    add.add_argument("--json", action="store_true", help="以 JSON 输出")
    add.set_defaults(func=cmd_add)

    status = r_sub.add_parser("status", help="全局情况：各科室是否报送、任务进度、逾期、考核指标合计")
    status.add_argument("--period", metavar="YYYY|YYYY-MM|YYYY-Qn", help="期间（默认最近一期）")
    status.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天判断逾期（默认今天）")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    status.set_defaults(func=cmd_status)

    rem = r_sub.add_parser("reminders", help="各科室尚欠事项，可导出为 Excel 发给各科室")
    rem.add_argument("--period", metavar="YYYY|YYYY-MM|YYYY-Qn", help="期间（默认最近一期）")
    rem.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天判断逾期（默认今天）")
    rem.add_argument("--out", metavar="FILE.xlsx", help="导出为 Excel 表格")
    rem.set_defaults(func=cmd_reminders)

    pk = r_sub.add_parser("packet", help="生成全局汇总材料包（PDF、Excel 和各科室原材料包），由办公室签名")
    pk.add_argument("--period", required=True, metavar="YYYY|YYYY-MM|YYYY-Qn")
    pk.add_argument("--identity", required=True, metavar="FILE.p12", help="办公室的签名身份（密码取自 LIAISON_PASSWORD）")
    pk.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天判断逾期（默认今天）")
    pk.add_argument("--out", metavar="DIR", help="保存到这个文件夹（默认工作区的 packets/）")
    pk.set_defaults(func=cmd_packet)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _open_for_reading(args: argparse.Namespace) -> Workspace:
    """For looking only: the window may have the workspace open, which holds the writer lock."""
    try:
        return open_workspace(args)
    except WorkspaceLocked:
        return open_workspace(args, read_only=True)


def _today(args: argparse.Namespace) -> dt.date:
    if not getattr(args, "today", None):
        return dt.date.today()
    try:
        return dt.date.fromisoformat(args.today)
    except ValueError:
        raise InputError(f"日期 {args.today!r} 应写成 YYYY-MM-DD。") from None


def _period(ws: object, args: argparse.Namespace) -> str:
    from ..packets.content import Period
    from ..rollup.view import periods

    if args.period:
        return Period.parse(args.period).slug
    known = periods(ws)  # type: ignore[arg-type]
    if not known:
        raise InputError("工作区还没有收入任何材料包。", hint="先用 `liaison rollup add 材料包.zip --trust 证书.pem` 收入。")
    return known[0]


def cmd_add(args: argparse.Namespace) -> int:
    from ..packets.identity import load_certificates
    from ..rollup.store import add_packets

    trust = [c for path in args.trust for c in load_certificates(path)]
    with open_workspace(args) as ws:
        outcomes = add_packets(ws, args.paths, trust=trust,
                               progress=None if args.json else progress_bar("收入材料包"))
    refused = [o for o in outcomes if o.outcome == "refused"]
    if args.json:
        print_json([{"file": str(o.path), "outcome": o.outcome, "reason": o.reason, "department": o.department,
                     "period": o.period, "packet_id": o.packet_id, "replaced": o.replaced} for o in outcomes])
    else:
        for o in outcomes:
            print(o.message)
        taken = sum(o.outcome in ("added", "superseded") for o in outcomes)
        print(f"共 {len(outcomes)} 个文件：收入 {taken} 个，已收过 "
              f"{sum(o.outcome == 'duplicate' for o in outcomes)} 个，拒收 {len(refused)} 个。")
    return 1 if refused else 0


def cmd_status(args: argparse.Namespace) -> int:
    from ..rollup.view import bureau_view

    with _open_for_reading(args) as ws:
        period = _period(ws, args)
        view = bureau_view(ws, period, today=_today(args))
    if args.json:
        print_json({
            "period": view.period, "today": view.today.isoformat(),
            "units": [{"department": u.department, "reported": u.reported, "packet_id": u.packet_id,
                       "liaison": u.liaison, "generated_at": u.generated_at, "counts": u.counts,
                       "overdue": u.overdue, "superseded": u.superseded} for u in view.units],
            "missing_units": list(view.missing_units),
            "tasks": len(view.tasks),
            "overdue": [{"department": r.department, "seq": t.seq, "source": t.source, "content": t.content,
                         "deadline": t.deadline.isoformat() if t.deadline else None, "status": r.status}
                        for t, r in view.overdue],
            "monthly_reports": [{"department": m.department, "month": m.month, "title": m.title,
                                 "status": m.status} for m in view.reports],
            "indicators": {"self_score_total": round(view.self_score_total, 2),
                           "problems": [{"level2": i.level2, "problem": i.problem}
                                        for i in view.indicator_problems]},
        })
        return 0
    print(f"{view.period} 全局情况（截至 {view.today.isoformat()}）：任务 {len(view.tasks)} 项，"
          f"科室 {len(view.units)} 个，已报送 {sum(u.reported for u in view.units)} 个。")
    for u in view.units:
        if not u.reported:
            print(f"  {u.department}：未报送")
            continue
        c = u.counts
        older = f"，另有旧版 {u.superseded} 个留档" if u.superseded else ""
        print(f"  {u.department}：任务 {c.get('tasks', 0)} 项（已完成 {c.get('done', 0)}，进行中 {c.get('doing', 0)}，"
              f"未开始 {c.get('todo', 0)}，不涉及 {c.get('na', 0)}），逾期 {u.overdue}，佐证材料 {c.get('evidence', 0)} 份，"
              f"月度案例 {c.get('cases', 0)} 篇；联络员 {u.liaison}，生成于 {u.generated_at}{older}")
    print(f"逾期任务 {len(view.overdue)} 项次；考核指标自评合计 {view.self_score_total:g} 分。")
    for i in view.indicator_problems:
        print(f"  指标「{i.level2}」：{i.problem}")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from ..rollup.export import write_reminders
    from ..rollup.view import bureau_view

    with _open_for_reading(args) as ws:
        view = bureau_view(ws, _period(ws, args), today=_today(args))
    reminders = view.reminders()
    if args.out:
        path = write_reminders(view, Path(args.out))
        print(f"已导出 {len(reminders)} 个科室的尚欠事项：{path}")
        return 0
    if not reminders:
        print("各科室均无尚欠事项。")
    for r in reminders:
        print(f"{r.department}：")
        for item in r.owes:
            print(f"  - {item}")
    return 0


def cmd_packet(args: argparse.Namespace) -> int:
    from ..packets.content import Period
    from ..packets.identity import load_identity
    from ..rollup.consolidated import build_consolidated
    from .packetcmd import read_password

    period = Period.parse(args.period).slug
    identity = load_identity(args.identity, read_password())
    with open_workspace(args) as ws:
        result = build_consolidated(ws, period=period, identity=identity, out_dir=args.out, today=_today(args),
                                    progress=progress_bar("生成汇总材料包"))
    print(f"汇总材料包：{result.path}（{result.size / 1024:.0f} KB），内含 {len(result.inner)} 个科室材料包。")
    if result.missing:
        print(f"未报送的科室：{'、'.join(result.missing)}")
    return 0
