"""`liaison import`, `liaison tasks`, `liaison indicators` and `liaison units` (the unit names and their aliases)."""

from __future__ import annotations

import argparse
from typing import Any

from .. import catalog
from ..errors import InputError
from ..importing import KIND_LABELS, ROLES, apply_import, plan_import, read_document
from ..importing import ROLE_LABELS as COLUMN_LABELS
from ..importing.deadlines import recurrence_of
from ..importing.store import ImportPlan, ImportReport
from ..model import ROLE_LABELS, STATUS_LABELS, Indicator
from .common import open_workspace, print_json, progress_bar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入任务分工表、考核指标表或事项清单 (xlsx, docx, csv, txt)")
    p.add_argument("file", metavar="FILE", help="表格文件：.xlsx .docx .csv .tsv .txt（.xls .doc .et .wps 需要 LibreOffice）")
    p.add_argument("--year", type=int, metavar="YYYY", help="时间节点所属年份（默认取文件落款日期的年份）")
    p.add_argument("--kind", choices=["auto", "tasks", "indicators", "items"], default="auto",
                   help="只导入这一类表格 (default: auto)")
    p.add_argument("--sheet", metavar="NAME", help="只读取 Excel 文件中的这个工作表")
    p.add_argument("--column", action="append", default=[], metavar="N=ROLE",
                   help="指定第 N 列（从 1 数起）的含义，可多次使用，如 --column 3=content --column 5=cooperating；"
                        "第 2 个表格写 2:3=content；ROLE 为 " + "、".join(ROLES) + "，或中文列名（任务内容、牵头部门…），"
                        "none 表示不导入这一列")
    p.add_argument("--json", action="store_true", help="以 JSON 输出导入结果和各行")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("tasks", help="列出任务 (tasks of a unit, with status)")
    p.add_argument("--department", metavar="NAME", help="科室名称（默认：全部任务，状态按本科室）")
    p.add_argument("--role", choices=["lead", "cooperating", "any"], default="any", help="牵头、配合或任意")
    p.add_argument("--status", choices=["todo", "doing", "done", "na"], help="只列出这一状态的任务")
    p.add_argument("--archived", action="store_true", help="也列出已归档（新版本表格中已删除）的任务")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_tasks)

    p = sub.add_parser("indicators", help="列出考核指标 (assessment indicators)")
    p.add_argument("--department", metavar="NAME", help="只列出这个科室负责的指标")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("units", help="列出导入时见过的单位名称，管理单位别名")
    p.add_argument("--alias", nargs=2, metavar=("ALIAS", "NAME"), help="把 ALIAS 视为 NAME（如 市大数据中心 大数据中心）")
    p.add_argument("--remove-alias", metavar="ALIAS", help="删除一个别名")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_units)


# ----- import ------------------------------------------------------------------------------------------------------
def _task_json(row: Any, row_id: int, depts: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {
        "id": row_id, "seq": row.seq, "group": row.group, "content": row.content,
        "lead": [d for d, r in depts if r == "lead"], "cooperating": [d for d, r in depts if r == "cooperating"],
        "deadline_text": row.deadline.text,
        "deadline": row.deadline.date.isoformat() if row.deadline.date else None,
        "deadline_recurrence": recurrence_of(row.deadline.text) or None, "origin": row.origin,
    }


def _indicator_json(row: Any, row_id: int, depts: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {
        "id": row_id, "category": row.category, "category_score": row.category_score, "level1": row.level1,
        "level1_score": row.level1_score, "level2": row.level2, "explanation": row.explanation,
        "score": row.score, "score_text": row.score_text, "shared_group": row.shared_group,
        "departments": [d for d, _ in depts], "not_applicable": row.not_applicable, "origin": row.origin,
    }


def _item_json(row: Any, row_id: int, depts: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {
        "id": row_id, "seq": row.seq, "name": row.name, "category": row.category,
        "lead": [d for d, r in depts if r == "lead"], "cooperating": [d for d, r in depts if r == "cooperating"],
        "origin": row.origin,
    }


_ROW_JSON = {"tasks": _task_json, "indicators": _indicator_json, "items": _item_json}


def import_json(plan: ImportPlan, result: ImportReport) -> dict[str, Any]:
    doc = plan.document
    tables = []
    for tplan, trep in zip(plan.tables, result.tables, strict=True):
        current = [c for c in tplan.changes if c.status != "removed"]
        to_json = _ROW_JSON[tplan.table.kind]
        tables.append({
            "index": tplan.table.index, "kind": tplan.table.kind, "label": tplan.table.label,
            "origin": tplan.table.origin, "header": list(tplan.table.header),
            "roles": list(tplan.table.roles), "rows_count": trep.rows, "new": trep.new, "changed": trep.changed,
            "removed": trep.removed, "unchanged": trep.unchanged, "previous_source_id": trep.previous_source_id,
            "warnings": list(tplan.table.warnings),
            "rows": [to_json(c.row, rid, c.record.departments if c.record else ())
                     for c, rid in zip(current, trep.row_ids or [0] * len(current), strict=True)],
        })
    return {
        "file": doc.file_name, "sha256": doc.sha256, "title": doc.title, "issuer": doc.issuer,
        "doc_number": doc.doc_number, "doc_date": doc.doc_date.isoformat() if doc.doc_date else None,
        "year": result.year, "source_id": result.source_id, "already_imported": result.already_imported,
        "counts": result.counts, "new": result.total("new"), "changed": result.total("changed"),
        "removed": result.total("removed"), "unchanged": result.total("unchanged"),
        "new_units": list(plan.new_units), "warnings": list(result.warnings), "tables": tables,
    }


def parse_columns(specs: list[str]) -> dict[int, dict[int, str | None]]:
    """``["3=content", "2:5=牵头部门", "4=none"]`` -> {table: {column: role}}, columns and tables counted from 1."""
    by_label = {label: role for role, label in COLUMN_LABELS.items()}
    out: dict[int, dict[int, str | None]] = {}
    for spec in specs:
        where, sep, role_text = spec.partition("=")
        table_text, _, col_text = where.rpartition(":")
        role_text = role_text.strip()
        try:
            table = int(table_text) if table_text else 1
            col = int(col_text)
        except ValueError:
            table = col = 0
        if not sep or table < 1 or col < 1:
            raise InputError(f"--column {spec} 写法不对：应写成 列号=含义，如 --column 3=content（列号从 1 数起）。")
        if role_text.lower() in ("none", "ignore", "", "不导入"):
            role: str | None = None
        elif role_text in ROLES:
            role = role_text
        elif role_text in by_label:
            role = by_label[role_text]
        else:
            raise InputError(f"--column {spec}：不认识的含义「{role_text}」，可用的有 {'、'.join(ROLES)}。")
        out.setdefault(table - 1, {})[col - 1] = role
    return out


def _quiet_pipe(command):  # type: ignore[no-untyped-def]
    """`liaison … | head` stops reading early: end quietly, as other command-line tools do."""
    import functools
    import os
    import sys

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            result = command(args)
            sys.stdout.flush()
            return int(result or 0)
        except BrokenPipeError:
            # Python would complain again when it flushes stdout at exit; point it at nothing.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0

    return run


@_quiet_pipe
def cmd_import(args: argparse.Namespace) -> int:
    columns = parse_columns(args.column)
    with open_workspace(args) as ws:
        bar = None if args.json else progress_bar("导入")
        document = read_document(args.file, sheet=args.sheet, progress=bar)
        plan = plan_import(ws, document, kind=args.kind, year=args.year, column_roles=columns or None)
        result = apply_import(ws, plan, progress=bar)
    if args.json:
        out = import_json(plan, result)
        out["doubts"] = list(plan.doubts)
        print_json(out)
        return 0
    for doubt in plan.doubts:
        # Before the summary, so a success that is not one is the first thing read.
        print(f"警告：{doubt}")
    print(f"文件：{document.file_name}")
    facts = [f"标题：{document.title}" if document.title else "",
             f"文号：{document.doc_number}" if document.doc_number else "",
             f"年份：{result.year}" if result.year else "年份：未知"]
    print("；".join(f for f in facts if f))
    print(f"找到 {len(result.tables)} 个表格：")
    for t in result.tables:
        line = f"  {t.label}：{t.rows} 行"
        if t.previous_source_id is not None:
            line += f"（与之前导入的版本相比：新增 {t.new}，修改 {t.changed}，移除并归档 {t.removed}，未变 {t.unchanged}）"
        print(line)
    for kind, n in result.counts.items():
        print(f"{KIND_LABELS[kind]}共 {n} 行。")
    if result.already_imported:
        print("这个文件已经导入过，内容没有变化，工作区未作改动。")
    if plan.new_units and not result.already_imported:
        print(f"新的单位名称（{len(plan.new_units)} 个，可用 `liaison units --alias` 合并同一单位的不同写法）：")
        print("  " + "".join(f"「{u}」" for u in plan.new_units))
    if result.warnings:
        print(f"提示（{len(result.warnings)} 条）：")
        for w in result.warnings:
            print(f"  - {w}")
    return 0


# ----- listings ----------------------------------------------------------------------------------------------------
@_quiet_pipe
def cmd_tasks(args: argparse.Namespace) -> int:
    with open_workspace(args, read_only=True) as ws:
        rows = catalog.list_tasks(ws, department=args.department, role=args.role, status=args.status,
                                  include_archived=args.archived)
    if args.json:
        print_json([{
            "id": r.task.id, "seq": r.task.seq, "group": r.task.group, "content": r.task.content,
            "lead": list(r.task.lead), "cooperating": list(r.task.cooperating),
            "deadline_text": r.task.deadline.text,
            "deadline": r.task.deadline.date.isoformat() if r.task.deadline.date else None,
            "status": r.status.value, "department": r.department, "role": r.role.value if r.role else None,
            "archived": r.task.archived, "source_id": r.task.source_id,
        } for r in rows])
        return 0
    if not rows:
        print("没有符合条件的任务。")
        return 0
    for r in rows:
        t = r.task
        role = f"［{ROLE_LABELS[r.role]}］" if r.role else ""
        deadline = t.deadline.date.isoformat() if t.deadline.date else (t.deadline.text or "—")
        content = t.content.replace("\n", " ")
        content = content[:50] + ("…" if len(content) > 50 else "")
        archived = "（已归档）" if t.archived else ""
        print(f"#{t.id:<5} {t.seq:>4}. {STATUS_LABELS[r.status]}{role}{archived} {content}")
        print(f"        牵头：{'、'.join(t.lead) or '—'}  配合：{'、'.join(t.cooperating) or '—'}  时间节点：{deadline}")
    print(f"共 {len(rows)} 条任务。")
    return 0


def _indicator_dict(i: Indicator) -> dict[str, Any]:
    return {"id": i.id, "category": i.category, "category_score": i.category_score, "level1": i.level1,
            "level1_score": i.level1_score, "level2": i.level2, "explanation": i.explanation, "score": i.score,
            "shared_group": i.shared_group, "departments": list(i.departments), "archived": i.archived}


@_quiet_pipe
def cmd_indicators(args: argparse.Namespace) -> int:
    with open_workspace(args, read_only=True) as ws:
        rows = catalog.list_indicators(ws, department=args.department)
    if args.json:
        print_json([_indicator_dict(i) for i in rows])
        return 0
    if not rows:
        print("没有考核指标。")
        return 0
    for i in rows:
        score = f"{i.score:g} 分" if i.score is not None else ("共享分值" if i.shared_group else "—")
        print(f"#{i.id:<5} {i.category}／{i.level1}／{i.level2}：{score}  责任科室：{'、'.join(i.departments) or '—'}")
    print(f"共 {len(rows)} 条考核指标。")
    return 0


def cmd_units(args: argparse.Namespace) -> int:
    changing = bool(args.alias or args.remove_alias)
    with open_workspace(args, read_only=not changing) as ws:
        if args.alias:
            renamed = catalog.set_alias(ws, args.alias[0], args.alias[1])
            if not args.json:
                print(f"已把「{args.alias[0]}」视为「{args.alias[1]}」，更新了 {renamed} 处已导入的记录。")
        if args.remove_alias:
            catalog.remove_alias(ws, args.remove_alias)
            if not args.json:
                print(f"已删除别名「{args.remove_alias}」。")
        units = catalog.list_departments(ws, include_collective=True)
        aliases = catalog.get_aliases(ws)
    if args.json:
        print_json({"units": units, "aliases": aliases})
        return 0
    if not changing:
        print("单位：" + ("、".join(units) if units else "（还没有导入过表格）"))
        if aliases:
            print("别名：" + "；".join(f"{a} → {n}" for a, n in aliases.items()))
    return 0
