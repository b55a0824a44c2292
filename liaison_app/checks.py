"""`liaison check`: is the workspace sound? Database integrity, foreign keys, the audit chain held to the heads that
signed packets carried out of the workspace, the vault, and what killed packet builds left behind."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .filenames import printable
from .vault import vault_report
from .workspace import Workspace

__all__ = ["CheckReport", "run_checks", "check_anchors"]


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


def check_anchors(ws: Workspace) -> list[str]:
    """Hold the audit log to the heads recorded in the manifests this workspace signed.

    A packet handed in carries its manifest (and the head) out of reach: a log truncated, deleted or rewritten
    after a packet was made no longer holds that head. The workspace's own copies let ``check`` see it here."""
    folder = ws.manifests_dir
    copies = sorted(folder.glob("*.json")) if folder.is_dir() else []
    problems: list[str] = []
    recorded = [
        json.loads(d or "{}").get("manifest")
        for (d,) in ws.conn.execute("SELECT detail FROM audit_log WHERE action = 'packet.build' ORDER BY id")
    ]
    present = {p.stem for p in copies}
    for name in recorded:
        if isinstance(name, str) and name not in present:
            problems.append(f"签名清单副本 {printable(name)}.json 缺失（审计日志记录了这个材料包）。")
    if not copies:
        return problems
    from .packets.verify import check_signed_manifest  # pyHanko loads only when there is something to check

    for path in copies:
        shown = printable(path.name)
        try:
            manifest, why = check_signed_manifest(path.read_bytes(), path.with_suffix(".p7s").read_bytes())
        except OSError as exc:
            problems.append(f"签名清单副本 {shown} 无法读取：{exc.strerror or exc}。")
            continue
        if why:
            problems.append(f"签名清单副本 {shown} 不可信：{why}")
            continue
        head = manifest.get("audit_head")
        if not head:
            continue
        row = ws.conn.execute("SELECT hash FROM audit_log WHERE id = ?", (head["id"],)).fetchone()
        if row is None:
            problems.append(
                f"审计日志中找不到第 {head['id']} 条，而 {manifest.get('period', {}).get('label', '')} "
                f"材料包（{shown}）签名时它已存在：日志被截断或删除过。"
            )
        elif row[0] != head["hash"]:
            problems.append(
                f"审计日志第 {head['id']} 条与材料包（{shown}）签名时记录的不符：日志在那之后被改写过。"
            )
    return problems


def _packet_leftovers(ws: Workspace, *, repair: bool) -> tuple[list[str], list[str]]:
    from .packets.package import leftover_partials, packet_folders, remove_leftover_partials

    problems: list[str] = []
    notes: list[str] = []
    for folder in [ws.packets_dir, *map(Path, packet_folders(ws))]:
        if repair:
            for path in remove_leftover_partials(folder):
                notes.append(f"已删除中断的材料包生成留下的临时文件 {printable(str(path))}。")
        for path in leftover_partials(folder):
            size = path.stat().st_size if path.exists() else 0
            problems.append(
                f"中断的材料包生成留下了临时文件 {printable(str(path))}（{size / 1048576:.1f} MB），"
                "可用 `liaison check --repair` 删除。"
            )
    return problems, notes


def run_checks(ws: Workspace, *, repair: bool = False) -> CheckReport:
    """Check everything; with ``repair``, also remove what interrupted packet builds left behind."""
    report = CheckReport()
    report.sections["数据库"] = ws.check_database()
    report.sections["审计日志"] = ws.verify_audit_chain() + check_anchors(ws)
    vault = vault_report(ws, clean_temp=True)
    report.sections["证据库"] = list(vault.problems)
    report.notes.extend(vault.cleaned)
    leftovers, cleaned = _packet_leftovers(ws, repair=repair and not ws.read_only)
    report.sections["材料包临时文件"] = leftovers
    report.notes.extend(cleaned)
    if ws.conn.execute("SELECT 1 FROM rollup_packets LIMIT 1").fetchone():  # an office's desk
        from .rollup.store import check_received

        report.sections["收到的材料包"] = check_received(ws)
    counts = ws.counts()
    report.notes.append(
        f"数据库版本 {ws.user_version}；来源文件 {counts['sources']} 个，任务 {counts['tasks']} 条，"
        f"考核指标 {counts['indicators']} 条，事项 {counts['items']} 条，证据 {counts['evidence']} 件，"
        f"月度案例 {counts['cases']} 篇，审计记录 {counts['audit_log']} 条。"
    )
    return report
