"""One very long task text is laid out in time linear in its length (reportlab re-laid the rest of a split paragraph
from scratch on every page), and still reads as one continuous paragraph."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter

import pytest

from liaison_app.packets.content import gather
from liaison_app.packets.pdf import render_pdf_bytes
from liaison_app.workspace import Workspace
from tests.progress.helpers import Factory


def _content(root, sentences: int):
    with Workspace.open(root, create=True) as ws:
        ws.set_setting("department", "法制科")
        ws.set_setting("liaison", "张三")
        ws.set_setting("bureau", "上海市松江区生态环境局")
        text = "".join(
            f"第{i}句：推进一网通办改革，优化营商环境，提升政务服务效能。" for i in range(sentences)
        )
        Factory(ws).task(text, seq="1")
        ws.conn.execute("UPDATE sources SET year = 2023")
        return gather(ws, "2023"), len(text)


def _measured_chars(monkeypatch, content) -> int:
    """Characters the line breaker looked at while laying the report out: the work, not the clock."""
    from liaison_app.packets import pdf

    counted = [0]
    real = pdf._break_lines

    def counting(chars, widths, hard, max_widths):
        counted[0] += len(chars)
        return real(chars, widths, hard, max_widths)

    monkeypatch.setattr(pdf, "_break_lines", counting)
    render_pdf_bytes(content)
    return counted[0]


def test_layout_work_grows_linearly_with_one_tasks_text(tmp_path, monkeypatch):
    small, small_len = _content(tmp_path / "a", 300)
    large, large_len = _content(tmp_path / "b", 1200)
    work_small = _measured_chars(monkeypatch, small)
    work_large = _measured_chars(monkeypatch, large)
    # Four times the text: about four times the work when linear, sixteen when quadratic.
    assert work_large / work_small < 6, (work_small, work_large)
    assert work_large < 8 * large_len


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_a_long_text_reads_whole_and_in_order(tmp_path):
    content, _ = _content(tmp_path / "ws", 600)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_pdf_bytes(content))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Page headers and footers stand between a page's last line and the next page's first: take them out.
    # (the lines printed on many pages alike, and the page numbers)
    pages = [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in text.split("\f")]
    seen = Counter(ln for lines in pages for ln in set(lines))
    body = [ln for lines in pages for ln in lines
            if seen[ln] < len(pages) // 2 and not re.fullmatch(r"第\s*\d+\s*页\s*共\s*\d+\s*页", ln)]
    flat = "".join("".join(body).split())
    positions = [flat.find(f"第{i}句：") for i in range(600)]
    assert all(p >= 0 for p in positions), [i for i, p in enumerate(positions) if p < 0][:5]
    assert positions == sorted(positions)
