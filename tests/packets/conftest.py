"""Shared packet fixtures: one realistic workspace for 法制科 built once per session, copied for every test.

The workspace holds both sample tables, progress on about half of the unit's tasks, evidence files (photos, a
会议纪要 PDF, an Excel 台账), two finalised monthly reports and a self-score, as a liaison would have by December.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from liaison_app import cases, catalog, evidence, paths, progress
from liaison_app.importing import import_file
from liaison_app.model import Status
from liaison_app.packets.content import PacketContent, gather
from liaison_app.workspace import Workspace, copy_workspace

BUREAU = "上海市松江区生态环境局"
DEPARTMENT = "法制科"
LIAISON = "张三"
PERIOD = "2023"
TODAY = dt.date(2023, 12, 20)
GENERATED_AT = dt.datetime(2023, 12, 20, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
"""Fixed, so two renders of the fixture content are comparable."""


@dataclass(frozen=True)
class PacketFacts:
    """What the session workspace was given, so a test can look for it in a report."""

    root: Path
    """The prepared workspace (closed; never open it for writing, use ``packet_workspace``)."""
    task_status: dict[int, Status]
    """Task id -> status set on it (the other tasks of 法制科 are untouched, i.e. 未开始)."""
    notes: dict[int, str]
    """Task id -> the note written with its status."""
    photo_task_id: int
    """A done task with two photos and the 会议纪要 attached."""
    photo_names: tuple[str, ...]
    """Original names of the JPEG photos (one carries an EXIF rotation)."""
    minutes_name: str
    """The 会议纪要 PDF's original name."""
    ledger_task_id: int
    """A task with the Excel 台账 attached (also linked to the scored indicator)."""
    ledger_name: str
    case_ids: tuple[int, ...]
    """The two finalised monthly reports (2023-05 practice, 2023-09 case)."""
    scored_indicator_id: int
    self_score: float


def make_photo(path: Path, *, size: tuple[int, int] = (1200, 900), seed: int = 0, orientation: int | None = None,
               quality: int = 88) -> Path:
    """A JPEG that looks like a photo (gradient sky, a building, the sun top right, noise). With ``orientation`` 6
    the pixels are stored turned a quarter left and EXIF says to turn them back, as a phone held upright does;
    ``size`` is the upright picture's size either way."""
    from PIL import Image, ImageDraw

    w, h = size
    img = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    sky = Image.new("RGB", (w, h), (70 + seed * 13 % 120, 120, 190))
    img = Image.blend(img, sky, 0.6)
    draw = ImageDraw.Draw(img)
    draw.rectangle((w // 5, h // 3, w * 3 // 5, h - h // 10), fill=(150, 140 + seed % 60, 120), outline=(40, 40, 40),
                   width=max(2, w // 200))
    for i in range(6):
        x = w // 5 + (i + 1) * w // 18
        draw.rectangle((x, h // 2, x + w // 40, h // 2 + h // 12), fill=(30, 60, 90))
    draw.ellipse((w * 3 // 4, h // 10, w * 3 // 4 + w // 10, h // 10 + w // 10), fill=(250, 220, 90))
    noise = Image.effect_noise((w, h), 30).convert("RGB")
    img = Image.blend(img, noise, 0.12)
    exif = Image.Exif()
    if orientation == 6:
        img = img.transpose(Image.Transpose.ROTATE_90)
    if orientation:
        exif[0x0112] = orientation
    img.save(path, "JPEG", quality=quality, exif=exif.tobytes())
    return path


def make_minutes_pdf(path: Path) -> Path:
    """A one-page PDF standing in for scanned meeting minutes (Latin text: the evidence is what matters)."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), invariant=1)
    c.setFont("Helvetica", 14)
    c.drawString(72, 760, "Meeting minutes 2023-06-15: one-stop service (yi wang tong ban) coordination")
    c.setFont("Helvetica", 11)
    for i, line in enumerate(("1. Review of the licence item list", "2. Document exemption progress",
                              "3. Next steps before the end of September")):
        c.drawString(72, 720 - 18 * i, line)
    c.showPage()
    c.save()
    return path


def make_ledger_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "台账"
    sheet.append(["日期", "事项", "办件数", "免于提交材料数"])
    for month in range(1, 12):
        sheet.append([f"2023-{month:02d}-28", "建设项目环评审批", 10 + month, month * 2])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def _build(root: Path, files: Path) -> PacketFacts:
    files.mkdir(parents=True, exist_ok=True)
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", DEPARTMENT)
        ws.set_setting("liaison", LIAISON)
        ws.set_setting("bureau", BUREAU)
        for table in paths.sample_tables():
            import_file(ws, table)

        rows = catalog.list_tasks(ws, department=DEPARTMENT)
        assert len(rows) >= 12, "the sample tables should give 法制科 a realistic list"
        cycle = (Status.DONE, Status.DOING, Status.DONE, Status.NA)
        task_status: dict[int, Status] = {}
        notes: dict[int, str] = {}
        for n, row in enumerate(rows[::2]):
            status = cycle[n % len(cycle)]
            note = {
                Status.DONE: f"已按要求完成，相关材料已归档（序号 {row.task.seq}）。",
                Status.DOING: "正在与相关科室对接，预计年底前完成；本月已召开专题会议一次。",
                Status.NA: "本科室不承担该项业务，经分管领导确认不涉及。",
            }[status]
            completed = dt.date(2023, 3 + n % 9, 10 + n % 15) if status is Status.DONE else None
            progress.set_status(ws, "task", row.task.id, status, note=note, completed_on=completed, today=TODAY)
            task_status[row.task.id] = status
            notes[row.task.id] = note

        done = [tid for tid, s in task_status.items() if s is Status.DONE]
        doing = [tid for tid, s in task_status.items() if s is Status.DOING]
        photo_task, ledger_task = done[0], (doing[0] if doing else done[1])

        photos = (make_photo(files / "现场照片-窗口.jpg", seed=1),
                  make_photo(files / "IMG_20230615_093012.jpg", size=(1200, 800), seed=2, orientation=6))
        minutes = make_minutes_pdf(files / "专题会议纪要.pdf")
        evidence.attach_many(ws, [*photos, minutes], links=[("task", photo_task)], note="专题会议现场及纪要",
                             evidence_date=dt.date(2023, 6, 15))
        ledger = make_ledger_xlsx(files / "免于提交材料台账.xlsx")

        indicators = catalog.list_indicators(ws, department=DEPARTMENT)
        scored = next(i for i in indicators if i.score)
        evidence.attach_many(ws, [ledger], links=[("task", ledger_task), ("indicator", scored.id)],
                             evidence_date=dt.date(2023, 11, 30))
        score = min(float(scored.score or 0), 4.5)
        progress.set_status(ws, "indicator", scored.id, Status.DONE, note="每月按时报送，全年无差评。",
                            self_score=score, today=TODAY)

        first = cases.add_case(
            ws, month="2023-05", title="推行告知承诺审批，环评审批时限压缩一半", kind="practice",
            background="建设项目环评审批材料多、时限长，企业反映跑动次数多。",
            practice="对符合条件的项目推行告知承诺制，\n申请人承诺后即予受理，材料“两个免于提交”。",
            effect="全年办理告知承诺件 36 件，平均审批时限由 20 个工作日压缩至 10 个工作日。",
            task_ids=[photo_task],
        )
        cases.finalise_case(ws, first.id, on=dt.date(2023, 5, 31))
        second = cases.add_case(
            ws, month="2023-09", title="“好差评”差评件回访整改典型案例", kind="case",
            body="9 月通报差评 1 件，法制科当日联系办事人了解情况，\n三个工作日内完成整改并回访，办事人改评为“非常满意”。",
        )
        cases.finalise_case(ws, second.id, on=dt.date(2023, 9, 28))

    return PacketFacts(
        root=root, task_status=task_status, notes=notes, photo_task_id=photo_task,
        photo_names=tuple(p.name for p in photos), minutes_name=minutes.name, ledger_task_id=ledger_task,
        ledger_name=ledger.name, case_ids=(first.id, second.id), scored_indicator_id=scored.id, self_score=score,
    )


@pytest.fixture(scope="session")
def packet_facts(tmp_path_factory: pytest.TempPathFactory) -> PacketFacts:
    """Builds the realistic workspace once per session (closed afterwards)."""
    base = tmp_path_factory.mktemp("packet-template")
    return _build(base / "ws", base / "files")


@pytest.fixture
def packet_workspace(packet_facts: PacketFacts, tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the session workspace, opened for writing."""
    root = tmp_path / "ws"
    copy_workspace(packet_facts.root, root)
    ws = Workspace.open(root)
    yield ws
    ws.close()


@pytest.fixture
def packet_content(packet_workspace: Workspace) -> PacketContent:
    """Everything a 2023 packet of 法制科 reports, as of 2023-12-20 (no signer)."""
    return gather(packet_workspace, PERIOD, today=TODAY, generated_at=GENERATED_AT)
