"""`liaison check`: is the workspace sound? Database integrity, foreign keys, the audit chain (and the vault)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .evidence import vault_report
from .workspace import Workspace

__all__ = ["CheckReport", "run_checks"]


@dataclass
class CheckReport:
    sections: dict[str, list[str]] = field(default_factory=dict)
    """Section name -> problems found there (empty list: sound)."""
    notes: list[str] = field(default_factory=list)
    """Things worth saying that are not problems (counts, cleaned temporary files)."""

    @property
    def ok(self) -> bool:
        return not any(self.sections.values())

    @property
    def problems(self) -> list[str]:
        return [p for ps in self.sections.values() for p in ps]


def run_checks(ws: Workspace) -> CheckReport:
    report = CheckReport()
    report.sections["数据库"] = ws.check_database()
    report.sections["审计日志"] = ws.verify_audit_chain()
    vault = vault_report(ws, clean_temp=True)
    report.sections["证据库"] = list(vault.problems)
    report.notes.extend(vault.cleaned)
    counts = ws.counts()
    report.notes.append(
        f"数据库版本 {ws.user_version}；来源文件 {counts['sources']} 个，任务 {counts['tasks']} 条，"
        f"考核指标 {counts['indicators']} 条，事项 {counts['items']} 条，证据 {counts['evidence']} 件，"
        f"月度案例 {counts['cases']} 篇，审计记录 {counts['audit_log']} 条。"
    )
    return report
