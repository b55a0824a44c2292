"""`liaison demo`: the whole job on the bundled sample tables, in a throwaway workspace — import, progress, evidence,
monthly reports, a demo identity, a signed packet, and its verification."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from . import cases as case_api
from . import catalog, evidence, paths
from . import glossary as g
from . import progress as task_progress
from .errors import InputError, LiaisonError
from .importing import import_file
from .jobs import ProgressFn, phase, report
from .model import Role, Status
from .workspace import LOCK_NAME, Workspace

__all__ = ["DemoResult", "run_demo", "DEMO_PASSWORD", "DEMO_TODAY"]

DEMO_PASSWORD: Final = "demo-password"
"""The throwaway demo identity's password (printed by the demo; a real identity's is never stored)."""
DEMO_TODAY: Final = dt.date(2023, 11, 20)
"""The demo plays out in the sample documents' year, late enough that some tasks are overdue and some due soon."""
DEPARTMENT: Final = "办公室"
"""Named in both sample documents: it leads some tasks and cooperates on others, many with deadlines, and answers
for scored indicators, so the demo shows every part of the job."""
LIAISON: Final = "张三"
BUREAU: Final = "上海市松江区生态环境局"
_DEMO_MARK: Final = "demo_workspace"


@dataclass(frozen=True)
class DemoResult:
    workspace: Path
    packet: Path
    certificate: Path
    identity: Path
    intact: bool
    trusted: bool


def program_command(name: str) -> str:
    """How to run ``liaison`` or ``liaison-desk`` from a console right now: the bare name when it is on PATH (an
    installed copy), else the full path of the program beside this one (the frozen build, a virtual environment that
    was never activated, as after the README's two commands)."""
    import sys

    if shutil.which(name) and not getattr(sys, "frozen", False):
        return name
    suffix = ".exe" if os.name == "nt" else ""
    beside = Path(sys.executable).with_name(name + suffix)
    if not beside.is_file() and os.name == "nt":  # a venv keeps its scripts beside python.exe too
        beside = Path(sys.executable).parent / "Scripts" / (name + suffix)
    if beside.is_file():
        return f'"{beside}"' if " " in str(beside) else str(beside)
    module = "liaison_app" if name == "liaison" else "ui"
    return f'"{sys.executable}" -m {module}' if " " in sys.executable else f"{sys.executable} -m {module}"


def _fresh_workspace(root: Path) -> Workspace:
    """A new demo workspace; an earlier demo's is replaced, anything else at that path is left alone."""
    if root.exists() and any(root.iterdir()):
        try:
            with Workspace.open(root, read_only=True) as old:
                is_demo = old.get_setting(_DEMO_MARK) == "1"
        except LiaisonError:
            is_demo = False
        if not is_demo:
            raise InputError(f"{root} 已存在且不是演示工作区，为免覆盖，演示未运行。", hint="请用 --out 指定另一个文件夹。")
        # Nothing is deleted while another program writes to it (WorkspaceLocked), nor until this one is done.
        lock = Workspace.hold_lock(root)
        try:
            for child in root.iterdir():
                if child.name != LOCK_NAME:
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            ws = Workspace.open(root, create=True, lock=lock)
        except BaseException:
            lock.release()
            raise
    else:
        ws = Workspace.open(root, create=True)
    with ws.transaction():
        ws.audit("workspace.create", "workspace", {"path": str(root), "demo": True})
    ws.set_setting(_DEMO_MARK, "1")
    ws.set_setting("department", DEPARTMENT)
    ws.set_setting("liaison", LIAISON)
    ws.set_setting("bureau", BUREAU)
    ws.set_setting(task_progress.FIXED_TODAY_SETTING, DEMO_TODAY.isoformat())  # the window shows the demo's day
    return ws


def _photo(path: Path, seed: int) -> Path:
    """A photo-like JPEG (sky, ground, a building with windows): what a liaison photographs at a service hall."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    w, h = 1600, 1200
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        sky = (int(120 + 100 * t), int(170 + 60 * t), 235) if y < h * 0.6 else (90, int(130 - 40 * t), 70)
        draw.line([(0, y), (w, y)], fill=sky)
    x0 = rnd.randint(200, 500)
    draw.rectangle([x0, 300, x0 + 800, 760], fill=(205, 200, 190), outline=(90, 90, 90), width=6)
    for row in range(4):
        for col in range(8):
            wx, wy = x0 + 40 + col * 95, 340 + row * 100
            draw.rectangle([wx, wy, wx + 55, wy + 60], fill=(70, 110, 160) if rnd.random() > 0.3 else (240, 220, 140))
    for _ in range(3000):  # sensor noise, so the JPEG compresses like a real photo
        px, py = rnd.randrange(w), rnd.randrange(h)
        draw.point((px, py), fill=(rnd.randrange(256),) * 3)
    img.save(path, "JPEG", quality=85)
    return path


def _minutes_pdf(path: Path, title: str, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from .packets.fonts import pdf_font

    font = pdf_font().name
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(title)
    c.setFont(font, 18)
    c.drawCentredString(A4[0] / 2, A4[1] - 90, title)
    c.setFont(font, 12)
    y = A4[1] - 140
    for line in lines:
        c.drawString(72, y, line)
        y -= 24
    c.save()
    return path


def _statistics_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "办件统计"
    sheet.append(["月份", "受理件数", "办结件数", "好差评差评件", "回访完成"])
    rnd = random.Random(7)
    for month in range(1, 11):
        received = rnd.randint(80, 160)
        sheet.append([f"2023-{month:02d}", received, received - rnd.randint(0, 6), rnd.randint(0, 2), "是"])
    wb.save(path)
    return path


def _mark_progress(ws: Workspace) -> list[int]:
    """About three in five of the unit's tasks done, some in progress, one not applicable; returns done task ids."""
    rows = catalog.list_tasks(ws, department=DEPARTMENT)
    rnd = random.Random(2023)
    done: list[int] = []
    for n, row in enumerate(rows):
        deadline = row.task.deadline.date
        pick = rnd.random()
        if n == len(rows) - 1:
            task_progress.set_status(ws, "task", row.task.id, Status.NA, note="本科室不涉及该项业务。", today=DEMO_TODAY)
        elif pick < 0.6:
            finished = min(deadline or DEMO_TODAY, DEMO_TODAY) - dt.timedelta(days=rnd.randint(0, 20))
            role = "牵头完成" if row.role is Role.LEAD else "配合完成"
            task_progress.set_status(ws, "task", row.task.id, Status.DONE, completed_on=finished, today=DEMO_TODAY,
                                note=f"已{role}，相关材料已归档。")
            done.append(row.task.id)
        elif pick < 0.8:
            task_progress.set_status(ws, "task", row.task.id, Status.DOING, note="正在推进，已形成初稿。",
                                today=DEMO_TODAY)
    return done


def run_demo(out: Path, *, progress: ProgressFn | None = None,
             echo: Callable[[str], None] = lambda _text: None) -> DemoResult:
    """Build the demo in ``out`` (workspace/, packets/, the demo identity and its certificate) and verify it."""
    from .packets.identity import IDENTITY_SETTING, create_identity
    from .packets.package import build_packet
    from .packets.verify import verify_packet

    out = out.expanduser().absolute()
    out.mkdir(parents=True, exist_ok=True)
    root = out / "workspace"
    report(progress, 0, 1000, "导入示例表格")
    ws = _fresh_workspace(root)
    try:
        for n, table in enumerate(paths.sample_tables()):
            import_file(ws, table)
            report(progress, 100 * (n + 1), 1000, table.name)
        for row in catalog.list_tasks(ws, department=DEPARTMENT, unassigned=True):
            if row.reach is catalog.Reach.BUREAU:  # the city's tasks for 各区: the liaison takes them on
                catalog.assign_task(ws, row.task.id, DEPARTMENT)
        done = _mark_progress(ws)
        report(progress, 300, 1000, "附加佐证材料")
        files = out / "generated-evidence"
        files.mkdir(exist_ok=True)
        photo = _photo(files / "政务服务大厅现场照片.jpg", seed=1)
        minutes = _minutes_pdf(files / "一网通办工作推进会会议纪要.pdf", "一网通办工作推进会会议纪要", [
            "时间：2023年5月12日上午", "地点：局三楼会议室", f"参加：各科室联络员（{DEPARTMENT}：{LIAISON}）",
            "一、通报一季度“一网通办”工作进展；", "二、部署“两个免于提交”和告知承诺制工作；",
            "三、要求各科室每月报送 1 条做法经验或案例。"])
        stats = _statistics_xlsx(files / "2023年1-10月办件统计.xlsx")
        for task_id, source in zip(done, [photo, minutes, stats, photo], strict=False):
            evidence.attach(ws, source, links=[("task", task_id)], evidence_date=dt.date(2023, 5, 12),
                            note="演示材料")
        indicators = catalog.list_indicators(ws, department=DEPARTMENT)
        for ind in indicators[:3]:
            limit = task_progress.max_self_score(ws, ind.id)
            task_progress.set_status(ws, "indicator", ind.id, Status.DONE, today=DEMO_TODAY,
                                self_score=round(limit * 0.9, 2) if limit else None, note="自评：基本完成。")
        report(progress, 400, 1000, "撰写月度案例")
        first = case_api.add_case(
            ws, month="2023-05", kind="practice", title="推行告知承诺制，审批时限压缩一半",
            background="建设项目环评审批材料多、时限长，企业反映强烈。",
            practice="对符合条件的事项推行告知承诺，企业承诺即受理，事后核查。",
            effect="5 月共办理告知承诺件 23 件，平均办理时限由 20 个工作日压缩到 10 个工作日。",
            task_ids=done[:1], attachments=[minutes])
        case_api.finalise_case(ws, first.id, on=dt.date(2023, 5, 31))
        case_api.add_case(ws, month="2023-06", kind="case", title="“好差评”差评件当日回访闭环",
                          body="对 6 月通报的 2 件差评件当日电话回访，查明原因并整改，两名办事人改评为满意。")

        report(progress, 450, 1000, "创建演示签名身份")
        identity_path = out / "demo-identity.p12"
        identity_path.unlink(missing_ok=True)
        identity = create_identity(identity_path, name=LIAISON, department=DEPARTMENT, bureau=BUREAU,
                                   password=DEMO_PASSWORD, overwrite=True)
        ws.set_setting(IDENTITY_SETTING, str(identity_path))  # the window's 材料包 page offers it
        packets = out / "packets"
        if packets.exists():
            shutil.rmtree(packets)
        result = build_packet(ws, period="2023", identity=identity, out_dir=packets, today=DEMO_TODAY,
                              progress=phase(progress, 450, 900))
    finally:
        ws.close()
    cert = packets / "demo-signer.pem"
    cert.write_bytes(identity.certificate_pem())
    report(progress, 900, 1000, "核验材料包")
    check = verify_packet(result.path, trusted=[identity.certificate], progress=phase(progress, 900, 1000))
    report(progress, 1000, 1000, "完成")

    counts = result.manifest["counts"]
    echo(f"演示工作区：{root}")
    echo(f"  {DEPARTMENT}（联络员 {LIAISON}）{result.content.period.label}：任务 {g.count(counts['tasks'], g.TASK)}，"
         f"已完成 {g.count(counts['done'], g.TASK)}，进行中 {g.count(counts['doing'], g.TASK)}，"
         f"不涉及 {g.count(counts['na'], g.TASK)}；佐证材料 {g.count(counts['evidence'], g.EVIDENCE)}；"
         f"月度案例 {g.count(counts['cases'], g.CASE)}（{g.DRAFT_LEFT_OUT} {g.count(len(result.content.drafts), g.CASE)}）。")
    echo(f"  依据文件：{'；'.join(s.doc_number or s.title or s.file_name for s in result.content.sources)}")
    echo(f"签名材料包：{result.path}（{result.size / 1024:.0f} KB）")
    echo(f"签名人证书：{cert}")
    echo(f"演示签名身份：{identity_path}（密码 {DEMO_PASSWORD}，仅供演示）")
    if check.intact:
        echo("核验结果：完好，签名人受信任。" if check.trusted else "核验结果：完好（签名人不在信任列表中）。")
    else:
        echo("核验结果：发现问题：" + "；".join(f"{p.file} {p.message}" for p in check.problems))
    echo(f"自己核验一次：{program_command('liaison')} verify \"{result.path}\" --trust \"{cert}\"")
    echo(f"打开桌面窗口：{program_command('liaison-desk')} --workspace \"{root}\"")
    return DemoResult(workspace=root, packet=result.path, certificate=cert, identity=identity_path,
                      intact=check.intact, trusted=check.trusted)
