"""Seed paths and writers that turn recognised seed tables back into .xlsx (merged cells), .docx (vertically
merged cells) and GBK CSV files, so every format can be checked to import exactly like the original text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SEED_DISTRICT = next(SAMPLES.glob("松江区*.txt"))
"""000_…: 沪松环〔2023〕14号 — 27 tasks and the indicator table."""
SEED_CITY = next(SAMPLES.glob("市绿化市容局*.txt"))
"""003_…: 沪绿容〔2023〕177号 — 49 tasks with deadlines and the 18 items."""

# Columns whose blank cells mean "same as above" in the seed text, i.e. merged cells in the real document.
MERGE_ROLES = {"group", "category", "level1", "level2", "score"}


def table_rows(table) -> tuple[list[str], list[list[str]]]:
    """The header and the original cells of a recognised table (the repeated page headers left out)."""
    header = list(table.header)
    rows: list[list[str]] = []
    for row in table.rows:
        cells = [text for _name, text in row.cells if not _name.endswith("（续）")]
        rows.append(cells)
        # An indicator continued on a second row (电子证照管理及应用) had its own line in the source.
        extra = [(name, text) for name, text in row.cells if name.endswith("（续）")]
        if extra:
            line = [""] * len(header)
            names = [n for n, _ in row.cells if not n.endswith("（续）")]
            for name, text in extra:
                line[names.index(name.removesuffix("（续）"))] = text
            rows.append(line)
    return header, rows


def merge_runs(table, rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(column, first row, last row) for each blank run below a filled cell in a mergeable column."""
    runs = []
    for col, role in enumerate(table.roles):
        if role not in MERGE_ROLES:
            continue
        r = 0
        while r < len(rows):
            if rows[r][col]:
                end = r
                while end + 1 < len(rows) and not rows[end + 1][col] and (
                    role != "score" or rows[end + 1][table.roles.index("level2")] or True):
                    end += 1
                if end > r:
                    runs.append((col, r, end))
                r = end + 1
            else:
                r += 1
    return runs


def write_xlsx(path: Path, tables, *, title: str = "") -> Path:
    """One sheet per table, a merged title row above the header, and blank runs merged into the cell above."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for n, table in enumerate(tables, start=1):
        ws = wb.create_sheet(f"表{n}")
        header, rows = table_rows(table)
        ws.append([table.caption or title] + [None] * (len(header) - 1))
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(header)
        for row in rows:
            ws.append([_typed(c) for c in row])
        for col, first, last in merge_runs(table, rows):
            ws.merge_cells(start_row=first + 3, start_column=col + 1, end_row=last + 3, end_column=col + 1)
    wb.save(path)
    return path


def _typed(text: str):
    # Scores as real numbers, as a user's workbook would hold them.
    return int(text) if text.isdigit() and len(text) <= 3 else (text or None)


def write_docx(path: Path, tables, *, title: str = "", doc_number: str = "", date_line: str = "") -> Path:
    """A Word document: title paragraphs, then each table with vertically merged cells."""
    import docx

    document = docx.Document()
    for line in (title, doc_number):
        if line:
            document.add_paragraph(line)
    for table in tables:
        header, rows = table_rows(table)
        document.add_paragraph(table.caption)
        t = document.add_table(rows=len(rows) + 1, cols=len(header))
        for c, text in enumerate(header):
            t.cell(0, c).text = text
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                if text:
                    _set_text(t.cell(r, c), text)
        for col, first, last in merge_runs(table, rows):
            t.cell(first + 1, col).merge(t.cell(last + 1, col))
    if date_line:
        document.add_paragraph(date_line)
    document.save(path)
    return path


def _set_text(cell, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def write_gbk_csv(path: Path, table, *, title: str = "") -> Path:
    """A CSV file as Excel on Chinese Windows saves it: GBK, comma separated, quoted where needed."""
    header, rows = table_rows(table)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if title:
        writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("gbk"))
    return path
