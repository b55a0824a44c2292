"""The words of the job, written once: one term and one measure word per idea, for the window, the PDF, the Excel
file and the command line alike (任务 in 项, 佐证材料 in 份, 月度案例 in 篇; 满分; 时限; 序号)."""

from __future__ import annotations

from typing import Final

from .model import CaseStatus, Role, Status

__all__ = [
    "TASK",
    "EVIDENCE",
    "CASE",
    "INDICATOR",
    "DOCUMENT",
    "SEQ",
    "DEADLINE",
    "MAX_SCORE",
    "SELF_SCORE",
    "ROLE",
    "STATUS",
    "NOTE",
    "EVIDENCE_NOTE",
    "LEAD",
    "COOPERATING",
    "STATUS_LABELS",
    "ROLE_LABELS",
    "CASE_STATUS_LABELS",
    "CASE_MISSING",
    "DRAFT_LEFT_OUT",
    "OVERDUE",
    "DUE_SOON",
    "MEASURE",
    "count",
]

TASK: Final = "任务"
EVIDENCE: Final = "佐证材料"
CASE: Final = "月度案例"
INDICATOR: Final = "考核指标"
DOCUMENT: Final = "依据文件"
SEQ: Final = "序号"
DEADLINE: Final = "时限"
MAX_SCORE: Final = "满分"
"""An indicator's maximum (its 分值, or its share of a merged block): never 可得分 or 分值 for this idea."""
SELF_SCORE: Final = "自评分"
ROLE: Final = "角色"
"""牵头 or 配合 (never 责任 for this idea)."""
STATUS: Final = "状态"
NOTE: Final = "备注"
"""What the liaison writes on a task or indicator."""
EVIDENCE_NOTE: Final = "说明"
"""What is written about a piece of evidence."""
LEAD: Final = "牵头"
COOPERATING: Final = "配合"
OVERDUE: Final = "已逾期"
DUE_SOON: Final = "即将到期"

STATUS_LABELS: Final[dict[Status, str]] = {
    Status.TODO: "未开始",
    Status.DOING: "进行中",
    Status.DONE: "已完成",
    Status.NA: "不涉及",
}
ROLE_LABELS: Final[dict[Role, str]] = {Role.LEAD: LEAD, Role.COOPERATING: COOPERATING}
CASE_STATUS_LABELS: Final[dict[CaseStatus, str]] = {CaseStatus.FINAL: "已定稿", CaseStatus.DRAFT: "草稿"}
CASE_MISSING: Final = "未写"
"""A month without any report (never 缺)."""
DRAFT_LEFT_OUT: Final = "草稿，未纳入"
"""How a packet names a report still in draft, which it does not carry."""

MEASURE: Final = {TASK: "项", EVIDENCE: "份", CASE: "篇", INDICATOR: "项", DOCUMENT: "份", "月": "个月"}
"""The measure word of each counted thing."""


def count(n: int, thing: str, *, with_noun: bool = False) -> str:
    """``3 项`` (or ``3 项任务`` with the noun), with the one measure word of ``thing``."""
    text = f"{n} {MEASURE[thing]}"
    return f"{text}{thing}" if with_noun else text
