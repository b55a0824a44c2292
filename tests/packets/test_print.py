"""report.xlsx as an office prints it: converted to PDF by LibreOffice, read back with poppler, the pages kept as
pictures under artifacts/packets/xlsx-print/ for a person to look at."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from liaison_app.packets.content import PacketContent
from liaison_app.packets.xlsx import _about_rows, render_xlsx_bytes

from .test_pdf import ARTIFACTS

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
                                 reason="LibreOffice or poppler is not installed")]

LONG_NOTE = ("已与办公室、审批科、执法支队逐项对接，形成工作台账；本月召开专题会议两次，" * 4).strip("；")


@dataclasses.dataclass(frozen=True)
class Printed:
    pdf: Path
    pages: list[dict]
    """Per page: size (w, h) in points, text, and word boxes (x1, y1, x2, y2, word)."""
    content: PacketContent


def _pages(pdf: Path) -> list[dict]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(xml.decode("utf-8").replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    pages = []
    for n, page in enumerate(root.iter("page")):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")),
                  w.text or "") for w in page.iter("word")]
        pages.append({"size": sizes[n], "words": words, "text": "".join(w[4] for w in words)})
    return pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, packet_facts) -> Printed:
    from liaison_app.packets.content import gather
    from liaison_app.workspace import Workspace, copy_workspace

    from .conftest import GENERATED_AT, PERIOD, TODAY

    base = tmp_path_factory.mktemp("xlsx-print")
    copy_workspace(packet_facts.root, base / "ws")
    with Workspace.open(base / "ws", read_only=True) as ws:
        content = gather(ws, PERIOD, today=TODAY, generated_at=GENERATED_AT)
    # Long notes on a few tasks, so wrapped rows several lines tall are printed.
    tasks = [dataclasses.replace(t, note=LONG_NOTE) if n % 5 == 0 else t for n, t in enumerate(content.tasks)]
    content = dataclasses.replace(content, tasks=tuple(tasks))
    xlsx = base / "report.xlsx"
    xlsx.write_bytes(render_xlsx_bytes(content))
    profile = (base / "lo-profile").as_uri()  # its own profile: other LibreOffice runs on the machine do not interfere
    r = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(base), str(xlsx)], capture_output=True, text=True, timeout=300)
    pdf = base / "report.pdf"
    assert pdf.is_file(), r.stdout + r.stderr
    out = ARTIFACTS / "xlsx-print"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copy2(pdf, out / "report-xlsx.pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "page")], check=True)
    return Printed(pdf, _pages(pdf), content)


def _task_pages(p: Printed) -> list[dict]:
    return [page for page in p.pages if "任务内容" in page["text"] and "期限状态" in page["text"]]


def test_sheets_print_landscape_a4_and_the_about_sheet_portrait(printed: Printed) -> None:
    about = [page for page in printed.pages if "签名证书SHA-256指纹" in page["text"].replace(" ", "")
             or "报告期间" in page["text"]]
    assert about, "the 说明 sheet is printed"
    for page in printed.pages:
        w, h = page["size"]
        if page in about:
            assert (round(w), round(h)) == (595, 842)
        else:
            assert (round(w), round(h)) == (842, 595)


def test_task_sheet_text_is_readable_and_the_header_repeats(printed: Printed) -> None:
    pages = _task_pages(printed)
    rows_printed = sum(page["text"].count("〔2023〕") for page in pages)  # each row names its document
    assert len(pages) >= 2 and rows_printed >= len(printed.content.tasks)
    heights = sorted(y2 - y1 for page in pages for _x1, y1, _x2, y2, _w in page["words"])
    median = heights[len(heights) // 2]
    assert median >= 6.5, f"text printed {median:.1f} pt high: the sheet is shrunk too far"
    # Every page that carries task rows starts with the header row.
    for page in printed.pages:
        if any(t.task.content[:12] in page["text"] for t in printed.content.tasks):
            assert "任务内容" in page["text"] and "期限状态" in page["text"]


def test_wrapped_rows_do_not_print_over_each_other(printed: Printed) -> None:
    for page in _task_pages(printed):
        words = sorted(page["words"])
        for i, (x1, y1, x2, y2, w) in enumerate(words):
            for ox1, oy1, ox2, oy2, ow in words[i + 1:]:
                if ox1 >= x2:
                    break
                overlap_x = min(x2, ox2) - max(x1, ox1)
                overlap_y = min(y2, oy2) - max(y1, oy1)
                assert overlap_x <= 1 or overlap_y <= 1.5, f"{w!r} and {ow!r} overlap"
    assert LONG_NOTE[:20] in "".join(p["text"] for p in _task_pages(printed))


def test_about_sheet_prints_whole(printed: Printed) -> None:
    text = "".join("".join(page["text"].split()) for page in printed.pages)
    for label, value in _about_rows(printed.content):
        assert "".join(label.split()) in text
        for line in str(value).split("\n"):
            assert "".join(line.split()) in text, f"{label}: {line}"
