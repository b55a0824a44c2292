"""What a reader hands to the recogniser: the document's cell grids and what its paragraphs say about it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..cell_text import squeeze_cjk, strip_markup

__all__ = ["Grid", "Document", "DocumentMeta", "read_meta"]


@dataclass(frozen=True)
class Grid:
    """One table as the reader found it: rows of cell texts, merges already resolved."""

    rows: tuple[tuple[str, ...], ...]
    origin: str
    """Where it came from, in words: 工作表「任务」, 第 2 个表格, 第 58–89 行."""
    caption: str = ""
    """The line just above the table (often its title, such as 2023 年度“一网通办”主要任务清单)."""
    row_labels: tuple[str, ...] = ()
    """Where each row is, for messages (第 59 行, 工作表「任务」第 5 行); may be empty."""
    continued: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    """(row, column) cells whose text was copied down from a vertically merged cell above."""
    row_numbers: Sequence[int] = ()
    """The row or line number of each row in the file, when ``label_format`` says where rows are (cheaper than
    ``row_labels`` for big tables: one small int per row instead of one string)."""
    label_format: str = ""
    """How a row number reads, such as 工作表「任务」第 {} 行."""

    def label(self, row: int) -> str:
        if self.label_format and row < len(self.row_numbers):
            return self.label_format.format(self.row_numbers[row])
        if row < len(self.row_labels):
            return self.row_labels[row]
        return f"{self.origin}第 {row + 1} 行"


@dataclass(frozen=True)
class Document:
    file_name: str
    sha256: str
    title: str | None
    issuer: str | None
    doc_number: str | None
    """文号, such as 沪松环〔2023〕14号."""
    doc_date: dt.date | None
    year: int | None
    grids: tuple[Grid, ...]
    format: str = ""
    """'xlsx', 'docx', 'csv' or 'text'."""
    warnings: tuple[str, ...] = ()
    """What the reader noticed (text cut at a limit, a converted legacy file); the recogniser passes them on."""
    paragraphs: tuple[str, ...] = ()
    """The document's text outside its tables, line by line (Word and text): where inline assignments are read."""


@dataclass(frozen=True)
class DocumentMeta:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    doc_date: dt.date | None = None
    year: int | None = None


_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*第?\s*\d{1,5}\s*号")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_TITLE = re.compile(r"^.{0,30}?关于.{4,}(?:通知|意见|方案|要点|办法|决定|函|报告|细则|清单|计划)$")
_TABLE_TITLE = re.compile(r"(?:分工|清单|任务|指标|分解|考核|事项|要点|计划|方案)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")


def read_meta(lines: list[str]) -> DocumentMeta:
    """Title, issuer, 文号 and date from a document's non-table lines (first match of each wins)."""
    cleaned = [squeeze_cjk(strip_markup(line)) for line in lines]
    cleaned = [line for line in cleaned if line]
    number = None
    number_year = None
    for line in cleaned[:60]:
        m = _DOC_NUMBER.search(line)
        if m:
            number = re.sub(r"\s+", "", m.group(0))
            number_year = int(m.group(1))
            break
    doc_date = None
    # The signing date stands on a line of its own; "2023 年 5 月 8 日印发" (the printing date) comes later.
    for line in cleaned:
        m = _DATE.fullmatch(line.replace(" ", ""))
        if m:
            doc_date = _safe_date(m)
            if doc_date:
                break
    if doc_date is None:
        for line in cleaned:
            m = _DATE.search(line)
            if m and (doc_date := _safe_date(m)):
                break
    title = next((line for line in cleaned if _TITLE.match(line)), None)
    if title is None:
        title = next((line for line in cleaned if len(line) <= 80 and _TABLE_TITLE.search(line)), None)
    issuer = None
    for line in cleaned[:10]:
        if line.endswith("文件") and 4 <= len(line) <= 40:
            issuer = line[: -len("文件")].strip()
            break
    year = doc_date.year if doc_date else number_year
    if year is None and title:
        m = _YEAR_IN_TITLE.search(title)
        year = int(m.group(1)) if m else None
    return DocumentMeta(title=title, issuer=issuer, doc_number=number, doc_date=doc_date, year=year)


def _safe_date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
