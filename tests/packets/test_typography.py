"""Typography an inspector would notice: Chinese line-breaking rules (禁则), nothing over a cell border, columns as
wide as their content needs, and one term per idea (the glossary) in the PDF and the Excel file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from liaison_app import glossary
from liaison_app.model import ROLE_LABELS, STATUS_LABELS
from liaison_app.packets.content import PacketContent
from liaison_app.packets.fonts import pdf_font
from liaison_app.packets.pdf import NO_LINE_END, NO_LINE_START, render_pdf_bytes
from liaison_app.packets.xlsx import render_xlsx_bytes

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")

_HAN = "推行告知承诺审批环评时限压缩一半办事指南对标"
# Phrases as real text has them: an opening mark before at least two characters, a closing mark after them.
_PHRASE = st.builds(lambda o, body, c: o + body + c, st.sampled_from(["", "", "（", "「", "〔", "【"]),
                    st.text(alphabet=_HAN + "2023", min_size=2, max_size=7),
                    st.sampled_from(["", "", "，", "。", "、", "；", "）", "」", "〕", "%", "？"]))


def _lines(text: str, width: float, markup: bool) -> list[tuple[str, float]]:
    """(text, width) of each line a CJK paragraph breaks ``text`` into at ``width`` points."""
    font = pdf_font().name
    style = ParagraphStyle("t", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    para = Paragraph(f"<b>{text[:3]}</b>{text[3:]}" if markup else text, style)
    para.wrap(width, 10_000)
    out = []
    for line in para.blPara.lines:
        if isinstance(line, tuple | list):  # one-font paragraph: (extra space, [text])
            extra, words = line
            content = "".join(words)
            out.append((content, width - extra))
        else:  # several fragments: a FragLine of glyphs
            out.append(("".join(str(w.text) if hasattr(w, "text") else str(w) for w in line.words),
                        width - line.extraSpace))
    return out


@settings(max_examples=150, deadline=None)
@given(phrases=st.lists(_PHRASE, min_size=1, max_size=12), width=st.integers(min_value=30, max_value=160),
       markup=st.booleans())
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(phrases: list[str], width: int,
                                                                        markup: bool) -> None:
    text = "".join(phrases)
    lines = _lines(text, width, markup)
    assert "".join(t for t, _ in lines).replace(" ", "") == text.replace(" ", "")
    for n, (line, used) in enumerate(lines):
        assert used <= width + 0.01, f"line {line!r} is {used:.1f} pt in a {width} pt column"
        if n > 0:
            assert line[0] not in NO_LINE_START, f"line starts with {line[0]!r}: {lines}"
        if n < len(lines) - 1:
            assert line[-1] not in NO_LINE_END, f"line ends with {line[-1]!r}: {lines}"


def test_the_issues_examples_break_as_chinese_typesetting_does() -> None:
    text = "对符合条件的项目推行告知承诺制，申请人承诺后即予受理。（一）材料免于提交"
    for width in range(40, 200, 3):
        lines = [t for t, _ in _lines(text, width, False)]
        assert not any(line[0] in "，。" for line in lines[1:]), lines
        assert not any(line.endswith("（") for line in lines[:-1]), lines


def _words(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(xml.decode("utf-8").replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
             for w in page.iter("word")] for page in root.iter("page")]


@needs_poppler
def test_nothing_runs_past_the_margins(packet_content: PacketContent, tmp_path: Path) -> None:
    for page in _words(render_pdf_bytes(packet_content), tmp_path):
        for x1, _y1, x2, _y2, word in page:
            assert x1 >= 16 * 72 / 25.4 - 1.5 and x2 <= (210 - 16) * 72 / 25.4 + 1.5, word


@needs_poppler
def test_evidence_index_keeps_a_document_task_number_on_one_line(workspace, tmp_path: Path) -> None:
    """The unit's tasks come from two documents: the index names 沪绿容〔2023〕177号-5 whole, on one line, and
    gives the file-name column the rest of the width."""
    import datetime as dt

    from liaison_app import catalog, evidence
    from liaison_app.importing import import_text
    from liaison_app.packets.content import gather

    workspace.set_setting("bureau", "上海市松江区生态环境局")
    def table(who: str) -> str:
        return "序号\t任务内容\t牵头部门\t配合部门\n" + "".join(
            f"{n}\t{who}部署的第{n}项任务：梳理事项清单\t法制科\t办公室\n" for n in range(1, 6))

    import_text(workspace, "沪松环〔2023〕14号\n" + table("区局"), name="区局.txt", year=2023)
    import_text(workspace, "沪绿容〔2023〕177号\n" + table("市局"), name="市局.txt", year=2023)
    fifth = [r.task.id for r in catalog.list_tasks(workspace, department="法制科") if r.task.seq == "5"][-1]
    name = "关于推进告知承诺制和两个免于提交工作的专题会议纪要（第三次）扫描件.pdf"
    (tmp_path / name).write_bytes(b"%PDF-1.4 not a real one")
    evidence.attach(workspace, tmp_path / name, links=[("task", fifth)], evidence_date="2023-05-01")
    content = gather(workspace, "2023", today=dt.date(2023, 6, 1))
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf_bytes(content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    index = text[text.rindex("证据索引"):].split("核验说明")[0]
    assert "任务 沪绿容〔2023〕177号-5" in index, index
    header = next(line for line in index.splitlines() if "材料包内文件" in line)
    assert header.split()[0] == "序号" and "#" not in index


def test_glossary_agrees_with_the_model_and_counts_with_one_measure_word() -> None:
    assert glossary.STATUS_LABELS == STATUS_LABELS and glossary.ROLE_LABELS == ROLE_LABELS
    assert glossary.count(3, glossary.TASK) == "3 项" and glossary.count(2, glossary.EVIDENCE) == "2 份"
    assert glossary.count(1, glossary.CASE, with_noun=True) == "1 篇月度案例"


@needs_poppler
def test_pdf_and_excel_use_one_term_per_idea(packet_content: PacketContent, tmp_path: Path) -> None:
    import io

    import openpyxl

    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf_bytes(packet_content))
    pdf_text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                      check=True).stdout.decode().split())
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx_bytes(packet_content)))
    xlsx_text = "".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    for text in (pdf_text, xlsx_text):
        # Tasks are counted in 项, evidence in 份; an indicator's maximum is 满分; a month without a report 未写.
        assert not re.search(r"任务\d+(个|条|件)", text)
        assert not re.search(r"\d+(个|件)(证据|文件|佐证材料)", text)
        assert "可得分" not in text and "可得" not in text.replace("可得的最高分", "")
        assert "证据数" not in text and "尚无案例" not in text
    assert "满分" in pdf_text and "满分" in xlsx_text
    assert "（个）" not in pdf_text and not re.search(r"\d+个文件", pdf_text)
    assert "时限" in pdf_text and "时限" in xlsx_text
    assert "即将到期的任务：0项（时限在14天内）" in pdf_text and "（14天内）（" not in pdf_text


@needs_poppler
def test_long_task_numbers_stay_inside_their_column(packet_content: PacketContent, tmp_path: Path) -> None:
    """序号 such as （二十三） get a column as wide as they need; none runs into the next cell."""
    import dataclasses

    tasks = [dataclasses.replace(t, task=dataclasses.replace(t.task, seq=f"（二十{'一二三四五六七八九'[n % 9]}）"))
             for n, t in enumerate(packet_content.tasks)]
    content = dataclasses.replace(packet_content, tasks=tuple(tasks))
    pages = _words(render_pdf_bytes(content), tmp_path)
    checklist = [p for p in pages if {"任务名称", "任务内容"} <= {w[4] for w in p}]
    seq_words = [w for page in checklist for w in page if w[4].startswith("（二十")]
    assert seq_words
    # The 任务名称 column starts where the widest 序号 ends: every 序号 word ends left of every group name.
    groups = [w for page in checklist for w in page if w[4].startswith(tasks[0].task.group[:4])]
    assert groups and max(w[2] for w in seq_words) < min(w[0] for w in groups)
