"""`liaison set-status`, `attach`, `case add|finalise`, `cases` and `status`: the liaison's daily actions."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .. import cases as case_api
from .. import evidence, progress
from ..errors import InputError
from ..filenames import printable
from ..model import STATUS_LABELS, CaseStatus, Status
from .common import open_workspace, print_json, progress_bar

_DUE_LABELS = {"overdue": "已逾期", "due_soon": "即将到期", "on_track": "未到期", "no_deadline": "无明确期限",
               "done": "已完成/不涉及"}


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是 YYYY-MM-DD 格式的日期") from None


def _status_arg(text: str) -> Status:
    for status, label in STATUS_LABELS.items():
        if text.strip().lower() in (status.value, label):
            return status
    raise argparse.ArgumentTypeError(f"{text!r} 应为 todo、doing、done 或 na")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("set-status", help="设置任务状态 (todo 未开始 | doing 进行中 | done 已完成 | na 不涉及)")
    p.add_argument("task_id", metavar="TASK_ID", type=int)
    p.add_argument("status", metavar="STATUS", type=_status_arg, help="todo | doing | done | na")
    p.add_argument("--note", metavar="TEXT", help="备注")
    p.add_argument("--completed-on", metavar="YYYY-MM-DD", type=_date_arg, help="完成日期（默认今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_set_status)

    p = sub.add_parser("attach", help="把佐证材料存入证据库并关联到任务")
    p.add_argument("task_id", metavar="TASK_ID", type=int)
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--note", metavar="TEXT", default="", help="说明")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=_date_arg, help="证据所述日期（默认文件修改日期）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("case", help="每月做法经验、案例 (case add | case finalise | case export)")
    case_sub = p.add_subparsers(dest="case_command", metavar="ACTION")
    add = case_sub.add_parser("add", help="新写一篇月度做法经验或典型案例（草稿）")
    add.add_argument("--month", metavar="YYYY-MM", required=True)
    add.add_argument("--title", metavar="TEXT", required=True)
    body = add.add_mutually_exclusive_group(required=True)
    body.add_argument("--body", metavar="TEXT")
    body.add_argument("--body-file", metavar="F", help="正文文件（文本文件，UTF-8 或 GBK）")
    add.add_argument("--kind", choices=["practice", "case"], default="practice",
                     help="practice 做法经验（默认）| case 典型案例")
    add.add_argument("--attach", metavar="FILE", action="append", default=[], help="附件，可多次使用")
    add.add_argument("--task", metavar="TASK_ID", type=int, action="append", default=[], help="关联的任务")
    add.add_argument("--final", action="store_true", help="直接定稿")
    add.add_argument("--json", action="store_true", help="以 JSON 输出")
    add.set_defaults(func=cmd_case_add)
    fin = case_sub.add_parser("finalise", help="把月度案例定稿")
    fin.add_argument("case_id", metavar="CASE_ID", type=int)
    fin.add_argument("--on", metavar="YYYY-MM-DD", type=_date_arg, help="定稿日期（默认今天）")
    fin.set_defaults(func=cmd_case_finalise)
    export = case_sub.add_parser("export", help="把一篇月度案例导出为 Word 文档（.docx）")
    export.add_argument("case_id", metavar="CASE_ID", type=int)
    export.add_argument("--docx", required=True, metavar="FILE", help="保存为这个 .docx 文件（不会覆盖已有文件）")
    export.set_defaults(func=cmd_case_export)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = sub.add_parser("cases", help="列出本科室的月度案例和全年情况")
    p.add_argument("--year", metavar="YYYY", type=int, help="年份（默认今年）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser("status", help="进度汇总：各状态数量、逾期、即将到期、缺少的月度案例")
    p.add_argument("--today", metavar="YYYY-MM-DD", type=_date_arg, help="按这一天计算（默认今天）")
    p.add_argument("--soon-days", metavar="N", type=int, default=14, help="多少天内到期算即将到期（默认 14）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_status)


def cmd_set_status(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        old = progress.get_progress(ws, "task", args.task_id)
        new = progress.set_status(ws, "task", args.task_id, args.status, note=args.note,
                                  completed_on=args.completed_on)
        if args.json:
            print_json({"id": args.task_id, "department": new.department, "status": new.status.value,
                        "note": new.note, "completed_on": new.completed_on, "updated_by": new.updated_by,
                        "updated_at": new.updated_at})
            return 0
        before = STATUS_LABELS[old.status] if old else STATUS_LABELS[Status.TODO]
        done = f"（完成日期 {new.completed_on.isoformat()}）" if new.completed_on else ""
        print(f"任务 {args.task_id}（{new.department}）：{before} → {STATUS_LABELS[new.status]}{done}")
    return 0


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def cmd_attach(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        items = evidence.attach_many(ws, args.files, links=[("task", args.task_id)], note=args.note,
                                     evidence_date=args.date, progress=progress_bar("附加"))
        if args.json:
            print_json([{"id": e.id, "name": e.original_name, "sha256": e.sha256, "size": e.size,
                         "media_type": e.media_type, "evidence_date": e.evidence_date,
                         "links": [f"{k}:{i}" for k, i in e.links]} for e in items])
            return 0
        for e in items:
            print(f"证据 {e.id}：{printable(e.original_name)}（{_size(e.size)}，SHA-256 {e.sha256[:16]}…）已关联到任务 {args.task_id}")
    return 0


def cmd_case_add(args: argparse.Namespace) -> int:
    if args.body_file:
        # Notepad and WPS on a Chinese PC save GBK as often as UTF-8: decoded as the importer decodes tables.
        from ..importing.readers import decode_text

        try:
            data = Path(args.body_file).read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取正文文件 {args.body_file}：{exc.strerror or exc}") from exc
        text = decode_text(data, name=str(args.body_file))
    else:
        text = args.body
    with open_workspace(args) as ws:
        case = case_api.add_case(ws, month=args.month, title=args.title, kind=args.kind, body=text,
                                 task_ids=args.task, attachments=args.attach)
        if args.final:
            case = case_api.finalise_case(ws, case.id)
        if args.json:
            print_json(_case_json(ws, case))
        else:
            print(f"月度案例 {case.id}：{case.month} {case_api.KIND_LABELS[case.kind]}《{case.title}》"
                  f"（{case_api.STATUS_LABELS[case.status]}），附件 {len(args.attach)} 个")
    return 0


def cmd_case_finalise(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        case = case_api.finalise_case(ws, args.case_id, on=args.on)
        print(f"月度案例 {case.id}《{case.title}》已定稿（{case.finalised_on}）")
    return 0


def cmd_case_export(args: argparse.Namespace) -> int:
    from ..packets.word import write_case_docx

    with open_workspace(args) as ws:
        path = write_case_docx(ws, args.case_id, args.docx)
    print(f"已导出：{path}")
    return 0


def _case_json(ws, case) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": case.id, "department": case.department, "month": case.month, "kind": case.kind.value,
        "title": case.title, "background": case.background, "practice": case.practice, "effect": case.effect,
        "body": case.body, "status": case.status.value, "finalised_on": case.finalised_on,
        "revision": case.revision, "task_ids": list(case.task_ids),
        "attachments": [e.original_name for e in evidence.list_evidence(ws, target_kind="case", target_id=case.id)],
    }


def cmd_cases(args: argparse.Namespace) -> int:
    year = args.year or dt.date.today().year
    with open_workspace(args, read_only=False) as ws:
        items = case_api.list_cases(ws)
        grid = case_api.year_grid(ws, year=year)
        if args.json:
            print_json({"department": progress.resolve_department(ws, None), "year": year,
                        "cases": [_case_json(ws, c) for c in items], "year_grid": grid})
            return 0
        if not items:
            print("还没有月度案例。可用 `liaison case add --month YYYY-MM --title ... --body ...` 新写一篇。")
        for c in items:
            status = case_api.STATUS_LABELS[c.status]
            when = f" {c.finalised_on}" if c.status is CaseStatus.FINAL else ""
            print(f"{c.id:>4}  {c.month}  {case_api.KIND_LABELS[c.kind]}  {status}{when}  {c.title}")
        marks = {"final": "✓", "draft": "草", "missing": "·"}
        print(f"{year} 年：" + " ".join(f"{int(m[5:])}月{marks[s]}" for m, s in grid.items()))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        today = args.today or progress.workspace_today(ws)
        s = progress.summary(ws, today=today, soon_days=args.soon_days)
    if args.json:
        print_json(s.as_dict())
        return 0
    out = sys.stdout
    print(f"{s.department}，截至 {today.isoformat()}", file=out)
    print("任务：" + "，".join(f"{STATUS_LABELS[Status(k)]} {v}" for k, v in s.task_status.items()), file=out)
    if any(s.indicator_status.values()):
        print("考核指标：" + "，".join(f"{STATUS_LABELS[Status(k)]} {v}" for k, v in s.indicator_status.items()))
    print("期限：" + "，".join(f"{_DUE_LABELS[k]} {v}" for k, v in s.due.items()))
    for title, rows in (("已逾期", s.overdue), ("即将到期", s.due_soon)):
        if rows:
            print(f"{title}：")
            for t in rows:
                days = f"逾期 {-t.days_left} 天" if t.days_left is not None and t.days_left < 0 else \
                    f"还有 {t.days_left} 天"
                print(f"  任务 {t.task_id}（{t.seq}）{t.content[:40]}  期限 {t.deadline_text or t.deadline}  {days}")
    if s.missing_months:
        print("缺少月度案例：" + "、".join(s.missing_months))
    if s.draft_months:
        print("月度案例未定稿：" + "、".join(s.draft_months))
    return 0
