"""The PDF report as an inspector meets it: Chinese text that prints and can be searched, an embedded font subset,
page numbers, an outline, small thumbnails, and plain errors when no usable font is installed."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from liaison_app import catalog, evidence, progress
from liaison_app.errors import Cancelled, LiaisonError
from liaison_app.importing import import_text
from liaison_app.model import Status
from liaison_app.packets import fonts
from liaison_app.packets.content import PacketContent, SignerInfo, gather
from liaison_app.packets.pdf import PdfOptions, render_pdf, render_pdf_bytes
from liaison_app.workspace import Workspace
from tests.conftest import REPO_ROOT

from .conftest import BUREAU, DEPARTMENT, GENERATED_AT, LIAISON, TODAY, PacketFacts, make_photo

ARTIFACTS = REPO_ROOT / "artifacts" / "packets"
SECTIONS = ("封面", "概况", "任务清单", "任务说明与佐证材料", "月度做法经验与案例", "考核指标自评", "证据索引", "核验说明")


def needs(tool: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} (poppler-utils) is not installed")


def run(*args: str | Path) -> str:
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, encoding="utf-8", check=True,
                       timeout=120)
    return r.stdout


def squeeze(text: str) -> str:
    """pdftotext puts line breaks where cells wrap and drops spaces between CJK runs: compare without them."""
    return re.sub(r"\s+", "", text)


def pdf_file(tmp_path: Path, content: PacketContent, name: str = "report.pdf", **kwargs: object) -> Path:
    (tmp_path / "out").mkdir(exist_ok=True)
    path = tmp_path / "out" / name
    render_pdf(content, path, **kwargs)  # type: ignore[arg-type]
    return path


def page_count(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", path), re.M).group(1))  # type: ignore[union-attr]


def signed_content(ws: Workspace) -> PacketContent:
    signer = SignerInfo(LIAISON, DEPARTMENT, "3f" * 16 + "a0" * 16, dt.datetime(2026, 12, 31, tzinfo=dt.UTC))
    return gather(ws, "2023", today=TODAY, generated_at=GENERATED_AT, signer=signer)


# ----- what a reader sees ------------------------------------------------------------------------------------------
@needs("pdffonts")
def test_only_the_chinese_font_is_used_and_it_is_embedded_as_a_subset(packet_content: PacketContent,
                                                                       tmp_path: Path) -> None:
    rows = run("pdffonts", pdf_file(tmp_path, packet_content)).splitlines()[2:]
    assert rows, "the report uses no font at all"
    for row in rows:
        name, *_rest = row.split()
        emb, sub = row.split()[-5], row.split()[-4]
        assert re.fullmatch(r"[A-Z]{6}\+\S+", name), row
        assert (emb, sub) == ("yes", "yes"), f"not an embedded subset: {row}"
        assert "TrueType" in row
    # A non-embedded standard font (Helvetica) would show Latin text in whatever the viewer substitutes.
    assert not any("Helvetica" in r for r in rows)


@needs("pdftotext")
def test_text_is_searchable_chinese_with_digits_and_page_numbers(packet_content: PacketContent,
                                                                 tmp_path: Path) -> None:
    path = pdf_file(tmp_path, packet_content)
    pages = page_count(path)
    text = squeeze(run("pdftotext", "-enc", "UTF-8", path, "-"))
    task = next(t for t in packet_content.tasks if t.note)
    assert BUREAU in text and DEPARTMENT in text and LIAISON in text
    assert "2023年" in text and "2023-12-20" in text
    assert squeeze(task.task.content)[:20] in text  # the task details print the content in full
    assert f"序号{task.task.seq}" in text
    assert "第1页共" + str(pages) + "页" in text
    assert f"第{pages}页共{pages}页" in text
    for heading in ("任务清单", "考核指标自评", "证据索引", "核验说明"):
        assert heading in text
    # The verification commands an inspector will type.
    assert "liaisonverify材料包.zip--trustsigner.pem" in text
    assert "opensslcms-verify-binary-informDER-inmanifest.p7s-contentmanifest.json-CAfilesigner.pem-purposeany" in text
    assert "sha256sum-cSHA256SUMS" in text and "certutil-hashfilereport.pdfSHA256" in text and "Get-FileHash" in text
    assert "本报告未签名" in text


@needs("pdftotext")
def test_cover_counts_tasks_by_state(packet_content: PacketContent, tmp_path: Path) -> None:
    cover = run("pdftotext", "-layout", "-f", "1", "-l", "1", pdf_file(tmp_path, packet_content), "-")
    lines = [ln.split() for ln in cover.splitlines() if ln.strip()]
    labels = ["未开始", "进行中", "已完成", "不涉及", "合计", "已逾期", "即将到期"]
    at = lines.index(labels)
    counts = packet_content.status_counts
    expected = [counts[Status.TODO], counts[Status.DOING], counts[Status.DONE], counts[Status.NA],
                len(packet_content.tasks), len(packet_content.overdue), len(packet_content.due_soon)]
    assert [int(x) for x in lines[at + 1]] == expected
    assert counts[Status.DONE] > 0 and counts[Status.DOING] > 0 and counts[Status.NA] > 0


@needs("pdftotext")
def test_each_page_carries_its_own_number(packet_content: PacketContent, tmp_path: Path) -> None:
    path = pdf_file(tmp_path, packet_content)
    pages = page_count(path)
    for n in (1, 2, pages):
        page_text = squeeze(run("pdftotext", "-f", str(n), "-l", str(n), path, "-"))
        assert f"第{n}页共{pages}页" in page_text
        if n > 1:
            assert f"{BUREAU}{DEPARTMENT}" in page_text  # the header names the unit on every page but the cover


@needs("pdftotext")
def test_signer_fingerprint_is_printed_for_comparison(packet_workspace: Workspace, tmp_path: Path) -> None:
    content = signed_content(packet_workspace)
    text = squeeze(run("pdftotext", pdf_file(tmp_path, content), "-"))
    assert ":".join(["3F"] * 16) + ":".join(["A0"] * 16) in text  # AB:CD:… as openssl prints it, two lines
    assert "openssl x509 -in signer.pem -noout -fingerprint -sha256".replace(" ", "") in text
    assert "本报告未签名" not in text
    assert "签名人张三（法制科）" in text


@needs("pdfinfo")
def test_metadata_and_page_count(packet_content: PacketContent, tmp_path: Path) -> None:
    path = pdf_file(tmp_path, packet_content)
    info = run("pdfinfo", path)
    assert re.search(rf"^Title:\s+{BUREAU} {DEPARTMENT} 2023年“一网通办”工作材料$", info, re.M), info
    assert re.search(rf"^Author:\s+{LIAISON}$", info, re.M)
    assert re.search(r"^Creator:\s+联络员工作台$", info, re.M)
    assert re.search(r"^Page size:\s+595.\d+ x 841.\d+ pts \(A4\)", info, re.M)
    assert page_count(path) >= 8  # a page per section at least


def _outline(data: bytes) -> list[tuple[int, str]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    found: list[tuple[int, str]] = []

    def walk(node: object, level: int) -> None:
        while node is not None:
            item = node.get_object()  # type: ignore[attr-defined]
            found.append((level, str(item["/Title"])))
            if "/First" in item:
                walk(item["/First"], level + 1)
            node = item.get("/Next")

    walk(reader.root["/Outlines"]["/First"], 0)
    return found


def test_outline_has_every_section_tasks_and_reports(packet_content: PacketContent) -> None:
    outline = _outline(render_pdf_bytes(packet_content))
    top = [title for level, title in outline if level == 0]
    assert top == list(SECTIONS)
    children = [title for level, title in outline if level == 1]
    detailed = [t for t in packet_content.tasks if t.note or t.evidence]
    assert sum(1 for c in children if c.startswith("序号")) == len(detailed)
    assert any(c.startswith("5月") for c in children) and any(c.startswith("9月") for c in children)


def test_report_is_one_plain_revision_ready_for_signing(packet_content: PacketContent) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = render_pdf_bytes(packet_content)
    assert data.startswith(b"%PDF-1.")
    assert data.count(b"%%EOF") == 1 and data.rstrip().endswith(b"%%EOF")
    reader = PdfFileReader(io.BytesIO(data))
    assert not reader.encrypted
    assert len(reader.embedded_signatures) == 0


def test_render_to_a_stream_and_to_a_file(packet_content: PacketContent, tmp_path: Path) -> None:
    buf = io.BytesIO()
    render_pdf(packet_content, buf)
    path = pdf_file(tmp_path, packet_content)
    assert buf.getvalue()[:8] == path.read_bytes()[:8] == b"%PDF-1.4"
    assert [p.name for p in path.parent.iterdir()] == ["report.pdf"]  # no temporary file left behind


# ----- evidence, thumbnails and awkward input ----------------------------------------------------------------------
@needs("pdfimages")
def test_photo_thumbnails_are_small_jpegs_the_right_way_up(packet_content: PacketContent, packet_facts: PacketFacts,
                                                         tmp_path: Path) -> None:
    path = pdf_file(tmp_path, packet_content)
    rows = [r.split() for r in run("pdfimages", "-list", path).splitlines()[2:]]
    # The two photos and the first page of the 会议纪要 PDF.
    assert len(rows) == len(packet_facts.photo_names) + 1
    for row in rows:
        width, height, enc = int(row[3]), int(row[4]), row[8]
        assert max(width, height) <= 240 and enc == "jpeg"
    # Both photos are landscape when upright (the phone photo is stored turned and carries EXIF Orientation 6);
    # the minutes are a portrait page.
    shapes = sorted(int(row[3]) > int(row[4]) for row in rows)
    assert shapes == [False, True, True]


@needs("pdfimages")
def test_pdf_evidence_gets_a_thumbnail_of_its_first_page(packet_workspace: Workspace, packet_facts: PacketFacts,
                                                         tmp_path: Path) -> None:
    """The 会议纪要 PDF is previewed like a photo: its first page, drawn (not blank), as a small JPEG."""
    from PIL import Image

    broken = tmp_path / "损坏的纪要.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"not really a pdf" * 40)
    evidence.attach_many(packet_workspace, [broken], links=[("task", packet_facts.ledger_task_id)],
                         evidence_date=dt.date(2023, 8, 1))
    content = gather(packet_workspace, "2023", today=TODAY, generated_at=GENERATED_AT)
    path = pdf_file(tmp_path, content)
    out = tmp_path / "img"
    out.mkdir()
    run("pdfimages", "-j", path, str(out / "i"))
    pages = [Image.open(p).convert("L") for p in sorted(out.iterdir())]
    portrait = [im for im in pages if im.height > im.width]
    assert len(portrait) == 1 and portrait[0].height == 240
    # Text lines of the minutes: the preview has dark pixels, not an empty white page.
    assert sum(1 for v in portrait[0].tobytes() if v < 200) > 50
    text = squeeze(run("pdftotext", path, "-"))
    assert "损坏的纪要.pdf" in text and "（无法生成预览）" in text


def test_sixty_big_photos_keep_the_report_small(packet_workspace: Workspace, packet_facts: PacketFacts,
                                                tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    base = Image.open(make_photo(tmp_path / "base.jpg", size=(3000, 2000), seed=5))
    base.load()
    photos = []
    for i in range(60):
        img = base.copy()
        ImageDraw.Draw(img).rectangle((40 * i, 40, 40 * i + 30, 70), fill=(i * 4, 0, 0))  # a different file each
        photos.append(tmp_path / f"现场照片{i:02d}.jpg")
        img.save(photos[-1], "JPEG", quality=85)
    total_in = sum(p.stat().st_size for p in photos)
    evidence.attach_many(packet_workspace, photos, links=[("task", packet_facts.ledger_task_id)],
                         evidence_date=dt.date(2023, 10, 8))
    content = gather(packet_workspace, "2023", today=TODAY, generated_at=GENERATED_AT)
    calls: list[tuple[int, int | None, str]] = []
    data = render_pdf_bytes(content, progress=lambda d, t, m: calls.append((d, t, m)))
    assert total_in > 40_000_000
    assert len(data) < 8_000_000, f"{len(data) / 1e6:.1f} MB for 60 photos"
    assert sum(1 for _, _, m in calls if m.startswith("缩略图")) == 63  # one step per photo, plus the fixture's two photos and its PDF


@needs("pdftotext")
def test_unreadable_images_are_listed_without_a_preview(packet_workspace: Workspace, packet_facts: PacketFacts,
                                                        tmp_path: Path) -> None:
    good = make_photo(tmp_path / "完好.jpg", size=(800, 600), seed=9)
    truncated = tmp_path / "截断的照片.jpg"
    truncated.write_bytes(good.read_bytes()[:2000])
    garbage = tmp_path / "损坏的照片.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 500)
    not_png = tmp_path / "其实是文本.png"
    not_png.write_text("这不是图片", encoding="utf-8")
    evidence.attach_many(packet_workspace, [truncated, garbage, not_png],
                         links=[("task", packet_facts.ledger_task_id)], evidence_date=dt.date(2023, 8, 1))
    content = gather(packet_workspace, "2023", today=TODAY, generated_at=GENERATED_AT)
    path = pdf_file(tmp_path, content)
    text = squeeze(run("pdftotext", path, "-"))
    for name in ("截断的照片.jpg", "损坏的照片.jpg", "其实是文本.png"):
        assert name in text
    assert text.count("（无法生成预览）") >= 2


@needs("pdftotext")
def test_markup_characters_and_very_long_texts_are_printed_as_written(packet_workspace: Workspace,
                                                                     tmp_path: Path) -> None:
    task = catalog.list_tasks(packet_workspace, department=DEPARTMENT)[1]
    progress.set_status(packet_workspace, "task", task.task.id, Status.DOING,
                        note="对比 <b>旧流程</b> & 新流程：时限 < 5 日\n第二行说明", today=TODAY)
    long_content = "长任务内容" * 700 + "结尾标记"
    import_text(packet_workspace, "序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点\n"
                f"1\t超长任务\t{long_content}\t法制科\t\t12月底\n", name="补充任务.txt", year=2023)
    content = gather(packet_workspace, "2023", today=TODAY, generated_at=GENERATED_AT)
    text = squeeze(run("pdftotext", pdf_file(tmp_path, content), "-"))
    assert "对比<b>旧流程</b>&新流程：时限<5日" in text
    assert "…（全文见任务说明）" in text  # cut in the checklist, where a row cannot outgrow a page
    assert "结尾标记" in text  # and printed in full in the task details


# ----- progress and cancelling -------------------------------------------------------------------------------------
def test_progress_moves_forward_and_ends_complete(packet_content: PacketContent) -> None:
    calls: list[tuple[int, int | None, str]] = []
    render_pdf_bytes(packet_content, progress=lambda d, t, m: calls.append((d, t, m)))
    counted = [(d, t) for d, t, _ in calls if t is not None]
    assert counted[-1][0] == counted[-1][1]
    assert len({t for _, t in counted}) == 1
    assert [d for d, _ in counted] == sorted(d for d, _ in counted)
    messages = " ".join(m for _, _, m in calls)
    assert "缩略图 1/3" in messages and "排版：第 3 页" in messages and "（任务清单）" in messages


def test_cancelling_during_layout_writes_nothing(packet_content: PacketContent, tmp_path: Path) -> None:
    def cancel(done: int, total: int | None, message: str) -> None:
        if message.startswith("排版：第 3 页"):
            raise Cancelled("已取消")

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Cancelled):
        render_pdf(packet_content, out / "report.pdf", progress=cancel)
    assert list(out.iterdir()) == []


# ----- fonts -------------------------------------------------------------------------------------------------------
def _fake_cff(path: Path) -> Path:
    """The start of an OpenType font with CFF outlines (sfnt tag OTTO), as Noto Sans CJK is."""
    path.write_bytes(b"OTTO" + struct.pack(">HHHH", 1, 16, 0, 0) + b"CFF " + b"\0" * 12 + b"\0" * 64)
    return path


def _system_cff_font() -> Path | None:
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", "-f", "%{file}\t%{fontformat}\n"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        file, _, fmt = line.partition("\t")
        if fmt.strip() == "CFF" and Path(file).is_file():
            return Path(file)
    return None


def test_a_configured_file_that_is_not_a_font_is_refused_plainly(packet_content: PacketContent,
                                                                tmp_path: Path) -> None:
    bogus = tmp_path / "字体.ttf"
    bogus.write_text("not a font", encoding="utf-8")
    with pytest.raises(fonts.FontUnavailable) as err:
        render_pdf_bytes(packet_content, options=PdfOptions(font_path=bogus))
    assert isinstance(err.value, LiaisonError)
    assert str(bogus) in str(err.value) and "不是可用的 TrueType 字体" in str(err.value)
    assert "wqy-microhei" in str(err.value)  # says what would work
    with pytest.raises(fonts.FontUnavailable, match="文件不存在"):
        fonts.pdf_font(tmp_path / "missing.ttc")


def test_a_cff_opentype_font_is_refused_with_the_reason(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, str(_fake_cff(tmp_path / "NotoSansCJK-Regular.ttc")))
    with pytest.raises(fonts.FontUnavailable, match="CFF"):
        fonts.pdf_font()


def test_a_real_cff_font_on_this_system_is_refused(tmp_path: Path) -> None:
    real = _system_cff_font()
    if real is None:
        pytest.skip("no CFF-outline OpenType font installed here")
    with pytest.raises(fonts.FontUnavailable, match="CFF"):
        fonts.pdf_font(real)


def test_a_font_without_chinese_is_refused(tmp_path: Path) -> None:
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.is_file():
        pytest.skip("DejaVu Sans is not installed")
    with pytest.raises(fonts.FontUnavailable, match="缺少中文字形"):
        fonts.pdf_font(latin)


def test_the_system_font_is_found_checked_and_cached() -> None:
    found = fonts.pdf_font()
    assert found is fonts.pdf_font()
    assert found.path.suffix.lower() in (".ttf", ".ttc")
    font, index = fonts.check_font(found.path, found.subfont_index)
    assert index == found.subfont_index and font.face.charToGlyph.get(ord("页"))


# ----- as an inspector looks at it -------------------------------------------------------------------------------
@needs("pdftoppm")
def test_first_pages_render_to_non_blank_pictures(packet_workspace: Workspace, tmp_path: Path) -> None:
    from PIL import Image

    path = pdf_file(tmp_path, signed_content(packet_workspace))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "report-page"
    for old in ARTIFACTS.glob("report-page*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path), str(prefix)], check=True,
                   timeout=120)
    shutil.copy(path, ARTIFACTS / "report.pdf")
    pngs = sorted(ARTIFACTS.glob("report-page*.png"))
    assert len(pngs) == 2
    for png in pngs:
        with Image.open(png) as im:
            grey = im.convert("L")
            assert grey.size[0] > 400 and grey.size[1] > 600  # A4 at 60 dpi is 496 x 702
            dark = sum(grey.histogram()[:128])
            assert dark > 0.005 * grey.size[0] * grey.size[1], f"{png.name} is nearly blank"
