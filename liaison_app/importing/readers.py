"""Readers: .xlsx, .docx, .csv/.tsv/.txt and pasted text into a Document of cell grids.

Legacy .xls/.doc/.et/.wps files are converted with LibreOffice when it is installed. Every failure a user can fix
(empty file, a picture renamed .xlsx, an encrypted or damaged workbook) raises ImportFailed with one plain sentence.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..cell_text import clean_cell, strip_markup
from ..errors import ImportFailed
from ..jobs import ProgressFn, report
from .document import Document, Grid, read_meta

__all__ = ["read_document", "read_text", "decode_text"]

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY = {".xls": "xlsx", ".et": "xlsx", ".ett": "xlsx", ".doc": "docx", ".wps": "docx", ".wpt": "docx"}
_PICTURES = [
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"), (b"BM", "BMP 图片"),
    (b"%PDF", "PDF 文件"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"), (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
]


def read_document(path: str | os.PathLike[str], *, sheet: str | None = None,
                  progress: ProgressFn | None = None) -> Document:
    """Read a table document (xlsx, docx, csv, tsv, txt; xls/doc/et/wps through LibreOffice) into cell grids."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件 {path}。") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path} 是一个文件夹，不是表格文件。") from None
    except OSError as exc:
        raise ImportFailed(f"无法读取文件 {path.name}：{exc.strerror or exc}。") from None
    if not data.strip():
        raise ImportFailed(f"文件 {path.name} 是空的，里面没有表格。")
    sha = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    for magic, what in _PICTURES:
        if data.startswith(magic):
            raise ImportFailed(f"文件 {path.name} 其实是{what}，不是表格文件；请导入 Excel、Word 或文本格式的表格。")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _read_zip(path, data, sha, sheet=sheet, progress=progress)
    if data.startswith(_CFB):
        if _is_encrypted_ooxml(data):
            raise ImportFailed(f"文件 {path.name} 设置了打开密码（已加密），无法读取。",
                               hint="请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入。")
        return _convert_legacy(path, sha, suffix, sheet=sheet, progress=progress)
    if suffix in (".xlsx", ".xlsm", ".docx"):
        raise ImportFailed(f"文件 {path.name} 已损坏或不是真正的 {suffix} 文件，无法打开。",
                           hint="请用 Excel/WPS 打开确认后重新保存。")
    if suffix in _LEGACY:
        return _convert_legacy(path, sha, suffix, sheet=sheet, progress=progress)
    text = decode_text(data, name=path.name)
    return _text_document(text, name=path.name, sha=sha, csv_file=suffix == ".csv")


def read_text(text: str, *, name: str = "粘贴的表格") -> Document:
    """Read pasted text (a table copied out of Word, WPS or Excel arrives tab-separated)."""
    if not text.strip():
        raise ImportFailed("粘贴的内容是空的，里面没有表格。")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _text_document(text, name=name, sha=sha, csv_file=False)


# ----- text ------------------------------------------------------------------------------------------------------
def decode_text(data: bytes, *, name: str = "") -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030 from Chinese Windows."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise ImportFailed(f"文件 {name} 不是文本或表格文件（含有二进制内容），无法识别。")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFailed(f"文件 {name} 的文字编码无法识别。", hint="请另存为 UTF-8 或 Excel 表格后再导入。")
    return str(best)


def _text_document(text: str, *, name: str, sha: str, csv_file: bool) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")
    delimiter = _delimiter(lines, csv_file=csv_file)
    if delimiter == "\t":
        records = list(_split_tsv(lines))
    elif delimiter:
        records = list(_split_csv(text, delimiter))
    else:
        records = [(i + 1, [line]) for i, line in enumerate(lines)]
    grids, paragraphs = _blocks(records)
    meta = read_meta(paragraphs)
    return Document(file_name=name, sha256=sha, title=meta.title, issuer=meta.issuer, doc_number=meta.doc_number,
                    doc_date=meta.doc_date, year=meta.year, grids=tuple(grids),
                    format="csv" if csv_file or delimiter not in ("\t", None) else "text")


def _delimiter(lines: list[str], *, csv_file: bool) -> str | None:
    sample = [line for line in lines[:200] if line.strip()]
    if not sample:
        return None
    tabs = sum(1 for line in sample if "\t" in line)
    if tabs and (not csv_file or tabs >= len(sample) / 2):
        return "\t"
    for delim in (",", ";", "，") if csv_file else (",",):
        counts = [line.count(delim) for line in sample]
        with_delim = [c for c in counts if c]
        if csv_file and with_delim:
            return delim
        # Plain prose has commas too; a comma table has the same number of them on most lines.
        if len(with_delim) >= max(2, len(sample) // 2) and max(set(with_delim), key=with_delim.count) >= 2:
            return delim
    return None


def _split_tsv(lines: list[str]) -> Iterable[tuple[int, list[str]]]:
    """Tab-separated lines; a cell Excel quoted because it holds line breaks ("a\\nb") is joined back."""
    i = 0
    n = len(lines)
    while i < n:
        start = i
        fields = lines[i].split("\t")
        i += 1
        out: list[str] = []
        j = 0
        while j < len(fields):
            f = fields[j]
            if f.startswith('"') and f.count('"') % 2 == 1:
                # An open quoted cell: gather fields and lines until its quotes balance (at most 50 lines).
                buf = f
                k = j + 1
                extra_lines = 0
                rest = fields
                while buf.count('"') % 2 == 1:
                    if k < len(rest):
                        buf += "\t" + rest[k]
                        k += 1
                    elif i + extra_lines < n and extra_lines < 50:
                        rest = lines[i + extra_lines].split("\t")
                        extra_lines += 1
                        buf += "\n" + rest[0]
                        k = 1
                    else:
                        break
                if buf.count('"') % 2 == 0 and buf.endswith('"'):
                    out.append(buf[1:-1].replace('""', '"'))
                    if rest is not fields:
                        fields = rest
                        i += extra_lines
                    j = k
                    continue
            elif len(f) >= 2 and f.startswith('"') and f.endswith('"'):
                f = f[1:-1].replace('""', '"')
            out.append(f)
            j += 1
        yield start + 1, out


def _split_csv(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"CSV 文件第 {line} 行格式有误（{exc}），无法读取。") from None


def _blocks(records: list[tuple[int, list[str]]]) -> tuple[list[Grid], list[str]]:
    """Group rows of two or more cells into tables; a line of prose ends a table, a blank line does not."""
    grids: list[Grid] = []
    paragraphs: list[str] = []
    rows: list[list[str]] = []
    labels: list[str] = []
    caption = ""

    def flush() -> None:
        nonlocal rows, labels
        while rows and not any(rows[-1]):
            rows.pop()
            labels.pop()
        if rows:
            width = max(len(r) for r in rows)
            first, last = labels[0], labels[-1]
            origin = f"{first.removesuffix(' 行')}–{last.removeprefix('第 ')}" if first != last else first
            grids.append(Grid(rows=tuple(tuple(r + [""] * (width - len(r))) for r in rows), origin=origin,
                              caption=caption, row_labels=tuple(labels)))
        rows, labels = [], []

    for line_no, cells in records:
        cells = [clean_cell(c) for c in cells]
        # A line with a tab is a table row even when only its first cell is filled ("一、重点工作\t\t").
        is_row = len(cells) >= 2
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if is_row:
            if not rows:
                # The table's title is the nearest short line above it (long lines are prose).
                caption = next((p for p in reversed(paragraphs[-3:]) if len(p) <= 60), "")
            rows.append(cells)
            labels.append(f"第 {line_no} 行")
        elif cells and cells[0]:
            flush()
            text = strip_markup(cells[0])
            if text and text != "---":
                paragraphs.append(text)
        elif rows:
            rows.append([])
            labels.append(f"第 {line_no} 行")
    flush()
    return grids, paragraphs


# ----- zip containers: xlsx and docx -------------------------------------------------------------------------------
def _read_zip(path: Path, data: bytes, sha: str, *, sheet: str | None, progress: ProgressFn | None) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            bad = zf.testzip() if len(data) < 50_000_000 else None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise ImportFailed(f"文件 {path.name} 已损坏（压缩结构不完整），无法打开。",
                           hint="请用 Excel/WPS 打开确认后重新保存。") from None
    if bad is not None:
        raise ImportFailed(f"文件 {path.name} 已损坏（其中 {bad} 无法读取），无法打开。")
    if "xl/workbook.xml" in names:
        return _read_xlsx(path, data, sha, sheet=sheet, progress=progress)
    if "word/document.xml" in names:
        return _read_docx(path, data, sha)
    if "content.xml" in names:
        raise ImportFailed(f"文件 {path.name} 是 OpenDocument（.ods/.odt）格式，暂不支持。",
                           hint="请另存为 .xlsx 或 .docx 后再导入。")
    raise ImportFailed(f"文件 {path.name} 是一个压缩包，不是 Excel 或 Word 文件。")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_cell(value) if ("\n" in value or "  " in value or value[:1].isspace()
                                     or value[-1:].isspace() or "\r" in value) else value
    if type(value) is int:  # 序号 cells: by far the most common non-text value (bool is handled below)
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return clean_cell(value)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _read_xlsx(path: Path, data: bytes, sha: str, *, sheet: str | None, progress: ProgressFn | None) -> Document:
    import openpyxl

    try:
        # Read-only mode streams the sheet (fast on 10,000 rows); merged ranges are read from the XML directly
        # because read-only worksheets do not expose them.
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files; all mean the same to the user
        raise ImportFailed(f"Excel 文件 {path.name} 已损坏或格式不受支持，无法打开（{type(exc).__name__}）。",
                           hint="请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None
    try:
        sheets = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows")]
        if sheet is not None:
            chosen = [ws for ws in sheets if ws.title == sheet or ws.title.strip() == sheet.strip()]
            if not chosen:
                names = "、".join(f"「{ws.title}」" for ws in sheets)
                raise ImportFailed(f"文件 {path.name} 里没有名为「{sheet}」的工作表；有的是：{names}。")
            sheets = chosen
        grids: list[Grid] = []
        paragraphs: list[str] = []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for ws in sheets:
                grid = _sheet_grid(ws, zf, progress=progress)
                if grid is not None:
                    grids.append(grid)
                    paragraphs.extend(_title_rows(grid))
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise ImportFailed(f"Excel 文件 {path.name} 已损坏，读取时出错（{type(exc).__name__}）。",
                           hint="请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None
    finally:
        wb.close()
    meta = read_meta(paragraphs + [path.stem])
    return Document(file_name=path.name, sha256=sha, title=meta.title or path.stem, issuer=meta.issuer,
                    doc_number=meta.doc_number, doc_date=meta.doc_date, year=meta.year, grids=tuple(grids),
                    format="xlsx")


def _title_rows(grid: Grid) -> list[str]:
    """Rows above the header with a single distinct text: the sheet's title lines."""
    out = []
    for row in grid.rows[:8]:
        texts = {c for c in row if c}
        if len(texts) == 1:
            out.append(next(iter(texts)))
    return out


def _sheet_grid(ws: Any, zf: zipfile.ZipFile, *, progress: ProgressFn | None) -> Grid | None:
    rows: list[list[str]] = []
    total = ws.max_row if isinstance(getattr(ws, "max_row", None), int) else None
    width = 0
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(cells)
        if len(cells) > width:
            width = len(cells)
        if n % 500 == 0:
            report(progress, n, total, f"读取工作表「{ws.title}」")
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        return None
    full = [r + [""] * (width - len(r)) for r in rows]
    continued: set[tuple[int, int]] = set()
    xml_path = getattr(ws, "_worksheet_path", None)
    if xml_path:
        xml = zf.read(xml_path.lstrip("/"))
        tail = xml.rfind(b"<mergeCells")
        if tail < 0:
            tail = xml.rfind(b":mergeCells")
        if tail >= 0:
            for m in _MERGE.finditer(xml, tail):
                c1, r1 = _col_index(m.group(1)), int(m.group(2)) - 1
                c2 = _col_index(m.group(3)) if m.group(3) else c1
                r2 = int(m.group(4)) - 1 if m.group(4) else r1
                if r1 >= len(full) or c1 >= width:
                    continue
                value = full[r1][c1]
                for r in range(r1, min(r2, len(full) - 1) + 1):
                    for c in range(c1, min(c2, width - 1) + 1):
                        full[r][c] = value
                        if r > r1:
                            continued.add((r, c))
    title = ws.title
    return Grid(rows=tuple(tuple(r) for r in full), origin=f"工作表「{title}」",
                row_labels=tuple(f"工作表「{title}」第 {i} 行" for i in range(1, len(full) + 1)),
                continued=frozenset(continued))


def _read_docx(path: Path, data: bytes, sha: str) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on damaged files
        raise ImportFailed(f"Word 文件 {path.name} 已损坏或格式不受支持，无法打开（{type(exc).__name__}）。",
                           hint="请用 Word/WPS 打开后另存为 .docx 再导入。") from None
    paragraphs: list[str] = []
    grids: list[Grid] = []
    last_text = ""
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = clean_cell(Paragraph(child, document).text)
            if text:
                paragraphs.extend(text.split("\n"))
                last_text = text
        elif child.tag == qn("w:tbl"):
            grid = _docx_grid(child, document, len(grids) + 1, last_text)
            if grid is not None:
                grids.append(grid)
    meta = read_meta(paragraphs + [path.stem])
    return Document(file_name=path.name, sha256=sha, title=meta.title or path.stem, issuer=meta.issuer,
                    doc_number=meta.doc_number, doc_date=meta.doc_date, year=meta.year, grids=tuple(grids),
                    format="docx")


def _docx_grid(tbl: Any, parent: Any, number: int, caption: str) -> Grid | None:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    rows: list[list[str]] = []
    continued: set[tuple[int, int]] = set()
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        cells: list[str] = []
        tr_pr = tr.find(qn("w:trPr"))
        before = 0
        if tr_pr is not None:
            gb = tr_pr.find(qn("w:gridBefore"))
            if gb is not None:
                before = int(gb.get(qn("w:val"), "0") or 0)
        cells.extend([""] * before)
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = 1
            vmerge = None
            if tc_pr is not None:
                gs = tc_pr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = max(1, int(gs.get(qn("w:val"), "1") or 1))
                vm = tc_pr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val"), "continue")
            col = len(cells)
            if vmerge == "continue" and r > 0:
                above = rows[r - 1]
                text = above[col] if col < len(above) else ""
                for c in range(col, col + span):
                    continued.add((r, c))
            else:
                # Paragraphs and line breaks inside a cell stay line breaks.
                text = clean_cell("\n".join(Paragraph(p, parent).text for p in tc.iterchildren(qn("w:p"))))
            cells.extend([text] * span)
        rows.append(cells)
    if not rows:
        return None
    width = max(len(r) for r in rows)
    return Grid(rows=tuple(tuple(r + [""] * (width - len(r))) for r in rows), origin=f"第 {number} 个表格",
                caption=caption,
                row_labels=tuple(f"第 {number} 个表格第 {i} 行" for i in range(1, len(rows) + 1)),
                continued=frozenset(continued))


# ----- legacy formats ---------------------------------------------------------------------------------------------
def _is_encrypted_ooxml(data: bytes) -> bool:
    # An encrypted .xlsx/.docx is an OLE compound file holding these streams (names stored as UTF-16).
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert_legacy(path: Path, sha: str, suffix: str, *, sheet: str | None,
                    progress: ProgressFn | None) -> Document:
    target = _LEGACY.get(suffix, "xlsx")
    label = "Excel/WPS 表格" if target == "xlsx" else "Word/WPS 文档"
    exe = _soffice()
    if exe is None:
        raise ImportFailed(f"{path.name} 是旧版{label}格式（{suffix or '二进制'}），本机没有安装 LibreOffice，无法转换。",
                           hint=f"请在 Excel/WPS/Word 中打开它，另存为 .{target} 后再导入。")
    report(progress, 0, None, f"正在用 LibreOffice 转换 {path.name}")
    with tempfile.TemporaryDirectory(prefix="liaison-convert-") as tmp:
        try:
            subprocess.run([exe, "--headless", "--norestore", "--convert-to", target, "--outdir", tmp, str(path)],
                           capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportFailed(f"用 LibreOffice 转换 {path.name} 失败（{exc}）。",
                               hint=f"请手工另存为 .{target} 后再导入。") from None
        converted = next(Path(tmp).glob(f"*.{target}"), None)
        if converted is None:
            raise ImportFailed(f"LibreOffice 未能转换 {path.name}，文件可能已损坏或设置了密码。",
                               hint=f"请手工另存为 .{target} 后再导入。")
        data = converted.read_bytes()
        if target == "xlsx":
            doc = _read_xlsx(path, data, sha, sheet=sheet, progress=progress)
        else:
            doc = _read_docx(path, data, sha)
    return doc
