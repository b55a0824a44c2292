"""The bureau's consolidated packet: a PDF and an Excel workbook of the bureau view, and the units' packets exactly
as they were received, signed by the office. It is an ordinary packet (same manifest, signatures, SHA256SUMS), so
`liaison verify` checks it as any other; its manifest lists the inner packets, and verify then checks each of them
too (liaison_app.rollup.inner). Each inner packet still verifies on its own once taken out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

from .. import __version__
from ..errors import InputError, SigningError, WorkspaceError
from ..evidence import CHUNK_SIZE, safe_file_name
from ..jobs import ProgressFn, phase, report
from ..workspace import Workspace
from .export import bureau_xlsx_bytes
from .store import list_received, received_path
from .view import BureauView, bureau_view

__all__ = ["ROLLUP_KIND", "ConsolidatedResult", "build_consolidated", "render_bureau_pdf"]

ROLLUP_KIND: Final = "rollup"
"""manifest["kind"] of a consolidated packet; its manifest["packets"] lists the inner packets."""
_INNER_DIR: Final = "packets/"
_STATUS: Final = {"todo": "未开始", "doing": "进行中", "done": "已完成", "na": "不涉及"}


@dataclass(frozen=True)
class ConsolidatedResult:
    path: Path
    sha256: str
    size: int
    inner: tuple[dict[str, Any], ...]
    """The units' packets inside: path, department, period, sha256, signer_sha256."""
    missing: tuple[str, ...]
    """Units that had not reported for the period."""
    manifest: dict[str, Any]


def _para(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_bureau_pdf(view: BureauView, *, bureau: str, office: str, inner: list[dict[str, Any]],
                      generated_at: dt.datetime) -> bytes:
    """A4 report of the bureau view: units' standing, who has not reported, overdue tasks, indicators, and the list
    of packets enclosed (with their SHA-256, so a printed copy still identifies them)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

    from ..packets.content import Period
    from ..packets.fonts import pdf_font

    font = pdf_font().name
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=10)
    h1 = ParagraphStyle("h1", parent=base, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    label = Period.parse(view.period).label
    title = f"{bureau}{label}“一网通办”工作材料汇总"
    reported = [u for u in view.units if u.reported]
    story: list[Any] = [
        _para(title, h1),
        _para(f"汇总：{office}　生成时间：{generated_at:%Y-%m-%d %H:%M}　逾期判断截至：{view.today.isoformat()}", base),
        _para(f"应报送科室 {len(view.units)} 个，已报送 {len(reported)} 个，未报送 {len(view.missing_units)} 个；"
              f"任务 {len(view.tasks)} 项，逾期 {len(view.overdue)} 项次；考核指标自评合计 "
              f"{view.self_score_total:g} 分。", base),
    ]
    grid = ("GRID", (0, 0), (-1, -1), 0.4, colors.grey)
    head = ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2"))

    def table(rows: list[list[Any]], widths: list[float]) -> Any:
        cells = [[_para(str(v), small) if not hasattr(v, "wrap") else v for v in row] for row in rows]
        t = LongTable(cells, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(TableStyle([grid, head, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    story.append(_para("一、各科室报送情况", h2))
    rows: list[list[Any]] = [["科室", "报送", "任务", "已完成", "进行中", "未开始", "不涉及", "逾期", "佐证材料", "月度案例",
                              "签名人"]]
    for u in view.units:
        c = u.counts
        rows.append([u.department, "已报送" if u.reported else "未报送",
                     *([c.get("tasks", 0), c.get("done", 0), c.get("doing", 0), c.get("todo", 0), c.get("na", 0),
                        u.overdue, c.get("evidence", 0), c.get("cases", 0), u.signer_name] if u.reported
                       else ["", "", "", "", "", "", "", "", ""])])
    story.append(table(rows, [24, 13, 11, 12, 12, 12, 12, 10, 14, 14, 24]))
    if view.missing_units:
        story.append(_para(f"未报送：{'、'.join(view.missing_units)}", base))

    story.append(_para("二、逾期任务", h2))
    if view.overdue:
        rows = [["科室", "序号", "任务内容", "时限", "状态"]]
        rows += [[r.department, t.seq, t.content, t.deadline_text or (t.deadline.isoformat() if t.deadline else ""),
                  _STATUS.get(r.status, r.status)] for t, r in view.overdue]
        story.append(table(rows, [22, 10, 100, 26, 16]))
    else:
        story.append(_para("没有逾期任务。", base))

    story.append(_para("三、任务完成情况（按任务，各科室并列）", h2))
    rows = [["序号", "任务内容", "牵头", "各科室报告的状态"]]
    for t in view.tasks:
        states = "；".join(f"{r.department}（{'牵头' if r.role == 'lead' else '配合'}）{_STATUS.get(r.status, r.status)}"
                          for r in t.reports)
        if t.missing:
            states += "；" + "、".join(t.missing) + " 未报送"
        rows.append([t.seq, t.content, "、".join(t.lead), states])
    story.append(table(rows, [10, 80, 24, 60]))

    story.append(_para("四、考核指标自评", h2))
    rows = [["一级指标", "二级指标", "可得分", "各科室自评分", "合计", "不相符之处"]]
    for i in view.indicators:
        scores = "；".join(f"{u} {s:g}" for u, (_, s) in sorted(i.by_unit.items()) if s is not None)
        if not scores:
            continue
        rows.append([i.level1, i.level2, f"{i.available:g}" if i.available is not None else "", scores,
                     f"{i.self_total:g}", i.problem])
    story.append(table(rows, [28, 34, 14, 50, 12, 36]))
    story.append(_para(f"全局自评合计（每项指标以其可得分为限）：{view.self_score_total:g} 分。", base))

    story.append(_para("五、所附科室材料包（原样收录，可各自单独核验）", h2))
    rows = [["科室", "文件", "SHA-256", "签名人证书指纹"]]
    rows += [[p["department"], p["path"], p["sha256"], p["signer_sha256"]] for p in inner]
    story.append(table(rows, [20, 46, 56, 56]))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=title, author=office, subject="各科室材料包汇总",
                            creator="联络员工作台")

    def footer(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 9 * mm, f"{title}　第 {doc_.page} 页")
        canvas.restoreState()

    doc.build([*story, Spacer(1, 4)], onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def _guide(bureau: str, office: str, label: str, fingerprint: str, zip_name: str, inner: list[dict[str, Any]]) -> str:
    grouped = " ".join(fingerprint[i:i + 4] for i in range(0, len(fingerprint), 4))
    lines = [
        "核验说明（汇总材料包）",
        "",
        f"本材料包由{bureau}{office}用联络员工作台汇总各科室报送的签名材料包而成，期间 {label}。",
        "report.pdf、report.xlsx 是全局汇总；packets/ 中是各科室的材料包，原样收录，每个都可以单独核验。",
        "",
        "办公室签名证书的 SHA-256 指纹：",
        f"  {grouped}",
        "",
        "一、用联络员工作台核验（同时逐一核验 packets/ 中的各科室材料包）：",
        f"  liaison verify \"{zip_name}\" --trust 办公室证书.pem",
        "",
        "二、不用本程序：解压后按各材料包中的核验说明操作：",
        "  openssl cms -verify -binary -inform DER -in manifest.p7s -content manifest.json -CAfile signer.pem "
        "-out NUL（Linux 用 /dev/null）",
        "  sha256sum -c SHA256SUMS；pdfsig report.pdf",
        "",
        "所附科室材料包：",
        *[f"  {p['path']}  SHA-256 {p['sha256']}" for p in inner],
    ]
    return "\r\n".join(lines) + "\r\n"


def _zip_info(name: str, when: dt.datetime, *, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.create_system = 3  # "made on Unix", as the units' packets: Info-ZIP then keeps the Chinese names
    info.external_attr = 0o644 << 16
    return info


def build_consolidated(ws: Workspace, *, period: str, identity: Any, out_dir: str | os.PathLike[str] | None = None,
                       today: dt.date | None = None, progress: ProgressFn | None = None) -> ConsolidatedResult:
    """Sign the bureau's packet for ``period`` with the office's identity, into ``out_dir`` (default: packets/)."""
    from ..packets.package import (
        MANIFEST,
        MANIFEST_SIGNATURE,
        PACKET_FORMAT,
        REPORT_PDF,
        REPORT_XLSX,
        SIGNER_CERT,
        SUMS,
    )
    from ..packets.signing import sign_detached, sign_pdf

    if ws.read_only:
        raise WorkspaceError("工作区以只读方式打开，不能生成汇总材料包。")
    now = dt.datetime.now(dt.UTC)
    cert = identity.certificate
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise SigningError("办公室的签名证书不在有效期内，签出的汇总材料包将无法通过核验。", hint="请新建签名身份。")
    current = list_received(ws, period=period, current_only=True)
    if not current:
        raise InputError(f"还没有收到任何科室 {period} 的材料包，无法汇总。",
                         hint="先用 `liaison rollup add` 收入各科室的材料包。")
    when = dt.datetime.now().astimezone().replace(microsecond=0)
    view = bureau_view(ws, period, today=today)
    bureau = ws.get_setting("bureau") or ""
    office = ws.department or "办公室"

    inner: list[dict[str, Any]] = []
    taken: set[str] = set()
    for p in current:
        source = received_path(ws, p.sha256)
        if not source.is_file():
            raise WorkspaceError(f"收到的{p.department}材料包（{p.file_name}）在工作区中缺失，无法汇总。",
                                 hint="请重新收入该科室的材料包。")
        name = f"{_INNER_DIR}{safe_file_name(f'{p.department}-{p.period}-材料包', limit=60)}.zip"
        n = 1
        while name.lower() in taken:
            n += 1
            name = f"{_INNER_DIR}{safe_file_name(f'{p.department}-{p.period}-材料包({n})', limit=60)}.zip"
        taken.add(name.lower())
        inner.append({"path": name, "department": p.department, "period": p.period, "sha256": p.sha256,
                      "size": p.size, "signer_sha256": p.signer_sha256, "generated_at": p.generated_at,
                      "received_as": p.file_name, "source": source})
    public = [{k: v for k, v in e.items() if k != "source"} for e in inner]

    report(progress, 50, 1000, "生成汇总报告")
    pdf = sign_pdf(render_bureau_pdf(view, bureau=bureau, office=office, inner=public, generated_at=when), identity,
                   reason=f"{office} {period} 汇总材料包", location=bureau)
    xlsx = bureau_xlsx_bytes(view, public)
    folder = Path(out_dir) if out_dir is not None else ws.packets_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"无法创建文件夹 {folder}：{exc.strerror or exc}。") from exc
    from ..packets.content import Period

    label = Period.parse(period).label
    base = safe_file_name(f"{bureau or office}-{period}-汇总材料包", limit=60)
    final = folder / f"{base}.zip"
    n = 1
    while final.exists():
        n += 1
        final = folder / f"{base}({n}).zip"
    guide = _guide(bureau, office, label, identity.fingerprint, final.name, public).encode("utf-8-sig")
    generated = [(REPORT_PDF, pdf), (REPORT_XLSX, xlsx), (SIGNER_CERT, identity.certificate_pem()),
                 ("核验说明.txt", guide)]
    files: list[dict[str, Any]] = [{"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                                   for name, data in generated]
    files += [{"path": e["path"], "size": e["size"], "sha256": e["sha256"]} for e in inner]
    manifest: dict[str, Any] = {
        "format": PACKET_FORMAT,
        "kind": ROLLUP_KIND,
        "generator": f"liaison-desk {__version__}",
        "bureau": bureau,
        "department": office,
        "liaison": ws.liaison or "",
        "period": {"kind": Period.parse(period).kind, "slug": period, "label": label,
                   "start": Period.parse(period).start.isoformat(), "end": Period.parse(period).end.isoformat()},
        "generated_at": when.isoformat(timespec="seconds"),
        "signer": {"name": identity.name, "department": identity.department,
                   "certificate_sha256": identity.fingerprint},
        "counts": {"units": len(view.units), "reported": len(inner), "missing": len(view.missing_units),
                   "tasks": len(view.tasks), "overdue": len(view.overdue)},
        "missing_units": list(view.missing_units),
        "packets": public,
        "files": files,
    }
    manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    signature = sign_detached(manifest_bytes, identity)
    sums = [(MANIFEST, hashlib.sha256(manifest_bytes).hexdigest()),
            (MANIFEST_SIGNATURE, hashlib.sha256(signature).hexdigest())] + [(f["path"], f["sha256"]) for f in files]
    sums_bytes = "".join(f"{sha}  {path}\n" for path, sha in sums).encode("utf-8")

    partial = folder / f".{final.stem}.{secrets.token_hex(4)}.partial"
    total = sum(e["size"] for e in inner) or 1
    copy_progress = phase(progress, 300, 990)
    try:
        with open(partial, "xb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
            for name, data in [(MANIFEST, manifest_bytes), (MANIFEST_SIGNATURE, signature), (SUMS, sums_bytes),
                               *generated]:
                zf.writestr(_zip_info(name, when, compress=name != REPORT_XLSX), data)
            done = 0
            for e in inner:
                # Stored, not deflated: a zip does not shrink, and the member stays byte for byte what was received.
                digest = hashlib.sha256()
                with open(e["source"], "rb") as src, zf.open(_zip_info(e["path"], when, compress=False), "w",
                                                             force_zip64=True) as dst:
                    while chunk := src.read(CHUNK_SIZE):
                        digest.update(chunk)
                        dst.write(chunk)
                        done += len(chunk)
                        report(copy_progress, done, total, e["department"])
                if digest.hexdigest() != e["sha256"]:
                    raise WorkspaceError(f"收到的{e['department']}材料包在工作区中已损坏（SHA-256 不符），无法汇总。",
                                         hint="请重新收入该科室的材料包。")
            zf.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise WorkspaceError(f"写入汇总材料包 {final} 失败：{exc.strerror or exc}。未留下不完整的文件。") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    data_sha = hashlib.sha256()
    with open(final, "rb") as fh:
        while chunk := fh.read(CHUNK_SIZE):
            data_sha.update(chunk)
    size = final.stat().st_size
    with ws.transaction():
        ws.audit("rollup.packet", f"packet:{final.name}", {
            "path": str(final), "sha256": data_sha.hexdigest(), "size": size, "period": period,
            "packets": [e["sha256"] for e in inner], "missing": list(view.missing_units),
            "signer_sha256": identity.fingerprint})
    report(progress, 1000, 1000, "完成")
    return ConsolidatedResult(path=final, sha256=data_sha.hexdigest(), size=size, inner=tuple(public),
                              missing=view.missing_units, manifest=manifest)
