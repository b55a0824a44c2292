"""Sheets the office sends or files: the reminders to units (what each still owes) and the bureau-wide workbook of
the consolidated packet. Every text is written as text, never a formula (units' notes are typed by people)."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import WorkspaceError
from ..model import STATUS_LABELS
from .view import BureauView

__all__ = ["reminders_xlsx_bytes", "write_reminders", "bureau_xlsx_bytes"]

_STATUS = {s.value: label for s, label in STATUS_LABELS.items()}
_ROLE = {"lead": "牵头", "cooperating": "配合"}


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int],
           *, first: bool = False) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..packets.xlsx import excel_text

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                if not value:
                    continue
                text, risky = excel_text(value)
                cell.value = text
                cell.data_type = "s"
                cell.quotePrefix = risky
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif value is not None:
                cell.value = value
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def reminders_xlsx_bytes(view: BureauView) -> bytes:
    """One row per unit that still owes something: what, in plain words (the sheet the office sends out)."""
    from openpyxl import Workbook

    wb = Workbook()
    rows = [[r.department, "\n".join(f"{n}. {item}" for n, item in enumerate(r.owes, start=1)), len(r.owes)]
            for r in view.reminders()]
    _sheet(wb, "待办提醒", ["科室", f"{view.period} 尚欠事项（截至 {view.today.isoformat()}）", "事项数"], rows,
           [18, 90, 8], first=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_reminders(view: BureauView, out: str | os.PathLike[str]) -> Path:
    path = Path(out)
    try:
        path.write_bytes(reminders_xlsx_bytes(view))
    except OSError as exc:
        raise WorkspaceError(f"无法写入 {path}：{exc.strerror or exc}。") from exc
    return path


def bureau_xlsx_bytes(view: BureauView, packets: Sequence[dict[str, Any]]) -> bytes:
    """The consolidated packet's workbook: units, every task with each unit's state, overdue, monthly reports,
    indicators with the bureau total, and the units' packets it carries."""
    from openpyxl import Workbook

    wb = Workbook()
    _sheet(wb, "科室报送", ["科室", "是否报送", "联络员", "签名人", "生成时间", "任务", "已完成", "进行中", "未开始",
                        "不涉及", "逾期", "佐证材料", "月度案例"],
           [[u.department, "已报送" if u.reported else "未报送", u.liaison, u.signer_name, u.generated_at,
             u.counts.get("tasks"), u.counts.get("done"), u.counts.get("doing"), u.counts.get("todo"),
             u.counts.get("na"), u.overdue if u.reported else None, u.counts.get("evidence"), u.counts.get("cases")]
            for u in view.units], [16, 10, 10, 10, 22, 8, 8, 8, 8, 8, 8, 10, 10], first=True)
    task_rows: list[list[Any]] = []
    for t in view.tasks:
        for r in t.reports or ():
            task_rows.append([t.source, t.seq, t.group, t.content, "、".join(t.lead), "、".join(t.cooperating),
                              t.deadline_text, r.department, _ROLE.get(r.role, r.role), _STATUS.get(r.status, r.status),
                              r.completed_on or "", "已逾期" if r.due.value == "overdue" else "", r.note,
                              r.evidence_count])
        for unit in t.missing:
            task_rows.append([t.source, t.seq, t.group, t.content, "、".join(t.lead), "、".join(t.cooperating),
                              t.deadline_text, unit, "牵头" if unit in t.lead else "配合", "未报送", "", "", "", None])
    _sheet(wb, "任务", ["来源文件", "序号", "任务名称", "任务内容", "牵头单位", "配合单位", "时限", "科室", "角色", "状态",
                      "完成日期", "期限", "备注", "证据数"], task_rows,
           [22, 6, 20, 50, 20, 24, 14, 12, 6, 8, 12, 8, 40, 8])
    _sheet(wb, "逾期任务", ["科室", "序号", "任务内容", "时限", "截止日期", "状态"],
           [[r.department, t.seq, t.content, t.deadline_text, t.deadline.isoformat() if t.deadline else "",
             _STATUS.get(r.status, r.status)] for t, r in view.overdue], [14, 6, 60, 14, 12, 8])
    _sheet(wb, "月度案例", ["科室", "月份", "类型", "标题", "状态", "定稿日期"],
           [[m.department, m.month, m.kind, m.title, m.status, m.finalised_on or ""] for m in view.reports],
           [14, 10, 10, 50, 8, 12])
    units = sorted({u for i in view.indicators for u in i.by_unit})
    ind_rows: list[list[Any]] = []
    for i in view.indicators:
        ind_rows.append([i.category, i.level1, i.level2, i.score, i.available,
                         *[i.by_unit.get(u, (None, None))[1] for u in units], round(i.self_total, 2), i.problem])
    ind_rows.append(["合计", "", "", None, None, *[None for _ in units], round(view.self_score_total, 2), ""])
    _sheet(wb, "考核指标", ["考核内容", "一级指标", "二级指标", "分值", "可得分", *[f"{u}自评分" for u in units],
                        "合计", "不相符之处"], ind_rows, [16, 20, 30, 8, 8, *[12 for _ in units], 8, 40])
    _sheet(wb, "所附材料包", ["科室", "期间", "文件（汇总包内）", "SHA-256", "签名人证书指纹"],
           [[p["department"], p["period"], p["path"], p["sha256"], p["signer_sha256"]] for p in packets],
           [14, 10, 40, 68, 68])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
