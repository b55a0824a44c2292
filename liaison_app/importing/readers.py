"""Readers: .xlsx, .docx, .csv/.tsv/.txt and pasted text into a Document of cell grids.

Legacy .xls/.doc/.et/.wps files are converted with LibreOffice when it is installed. Every failure a user can fix
(empty file, a picture renamed .xlsx, an encrypted or damaged workbook) raises ImportFailed with one plain sentence.
"""

from __future__ import annotations

import codecs
import collections
import csv
import hashlib
import io
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..cell_text import clean_cell, needs_cleaning, strip_markup
from ..errors import ImportFailed
from ..jobs import ProgressFn, report
from .document import Document, Grid, read_meta
from .limits import LIMITS, Limits, check_zip, too_big
from .xlsx import read_workbook

__all__ = ["read_document", "read_text", "decode_text", "find_soffice", "SofficeLookup"]

SofficeLookup = Callable[[], "str | None"]
"""Finds LibreOffice's soffice program; None when it is not installed."""

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY = {".xls": "xlsx", ".et": "xlsx", ".ett": "xlsx", ".doc": "docx", ".wps": "docx", ".wpt": "docx"}
_PICTURES = [
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"), (b"BM", "BMP 图片"),
    (b"%PDF", "PDF 文件"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"), (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
]


def read_document(path: str | os.PathLike[str], *, sheet: str | None = None,
                  progress: ProgressFn | None = None, soffice: SofficeLookup | None = None,
                  limits: Limits = LIMITS) -> Document:
    """Read a table document (xlsx, docx, csv, tsv, txt; xls/doc/et/wps through LibreOffice) into cell grids.

    ``soffice`` finds LibreOffice for the legacy formats (default: :func:`find_soffice`); it returns None when
    there is none. Whatever the file declares, reading stays within ``limits`` or fails with ImportFailed.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limits.file_bytes:
                raise too_big(path.name, f"有 {size / 2**20:,.0f} MiB", limits.file_bytes // 2**20, " MiB")
            head = fh.read(64 * 1024)
    except FileNotFoundError:
        raise ImportFailed(f"找不到文件 {path}。") from None
    except IsADirectoryError:
        raise ImportFailed(f"{path} 是一个文件夹，不是表格文件。") from None
    except PermissionError:
        raise ImportFailed(f"没有权限读取文件 {path.name}（可能正被其他程序打开，或是一个文件夹）。") from None
    except OSError as exc:
        raise ImportFailed(f"无法读取文件 {path.name}：{exc.strerror or exc}。") from None
    if not head.strip() and size <= len(head):
        raise ImportFailed(f"文件 {path.name} 是空的，里面没有表格。")
    suffix = path.suffix.lower()
    for magic, what in _PICTURES:
        if head.startswith(magic):
            raise ImportFailed(f"文件 {path.name} 其实是{what}，不是表格文件；请导入 Excel、Word 或文本格式的表格。")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        data = _read_all(path)
        return _read_zip(path, data, _sha256(data), sheet=sheet, progress=progress, limits=limits)
    if head.startswith(_CFB):
        data = _read_all(path)
        if _is_encrypted_ooxml(data):
            raise ImportFailed(f"文件 {path.name} 设置了打开密码（已加密），无法读取。",
                               hint="请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入。")
        return _convert_legacy(path, _sha256(data), suffix, sheet=sheet, progress=progress, soffice=soffice,
                               limits=limits)
    if suffix in (".xlsx", ".xlsm", ".docx"):
        raise ImportFailed(f"文件 {path.name} 已损坏或不是真正的 {suffix} 文件，无法打开。",
                           hint="请用 Excel/WPS 打开确认后重新保存。")
    if suffix in _LEGACY:
        return _convert_legacy(path, _sha256(_read_all(path)), suffix, sheet=sheet, progress=progress,
                               soffice=soffice, limits=limits)
    return _text_file_document(path, head, size, csv_file=suffix == ".csv", progress=progress, limits=limits)


def read_text(text: str, *, name: str = "粘贴的表格", limits: Limits = LIMITS) -> Document:
    """Read pasted text (a table copied out of Word, WPS or Excel arrives tab-separated)."""
    if not text.strip():
        raise ImportFailed("粘贴的内容是空的，里面没有表格。")
    if len(text) > limits.text_chars:
        raise too_big(name, f"有 {len(text):,} 个字符", limits.text_chars, " 字")
    sha = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    return _text_document(iter(lines), name=name, sha=sha, csv_file=False, progress=None, limits=limits)


def _read_all(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"无法读取文件 {path.name}：{exc.strerror or exc}。") from None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----- text ------------------------------------------------------------------------------------------------------
def decode_text(data: bytes, *, name: str = "") -> str:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030 from Chinese Windows."""
    return data.decode(_encoding(data, data, name=name), errors="replace").lstrip("\ufeff")


def _encoding(head: bytes, whole: bytes | Iterable[bytes], *, name: str) -> str:
    """The encoding of a text file, decided from its start and (streamed, nothing kept) its whole content."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head[:4096]:
        raise ImportFailed(f"文件 {name} 不是文本或表格文件（含有二进制内容），无法识别。")
    chunks = [whole] if isinstance(whole, bytes) else whole
    candidates = ["utf-8", "gb18030"]
    decoders = {enc: codecs.getincrementaldecoder(enc)() for enc in candidates}
    for chunk in chunks:
        for enc in list(candidates):
            try:
                decoders[enc].decode(chunk)
            except UnicodeDecodeError:
                candidates.remove(enc)
        if not candidates:
            break
    for enc in candidates:
        try:
            decoders[enc].decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None or not best.encoding:
        raise ImportFailed(f"文件 {name} 的文字编码无法识别。", hint="请另存为 UTF-8 或 Excel 表格后再导入。")
    return str(best.encoding)


def _file_chunks(path: Path, hasher: Any | None = None) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            if hasher is not None:
                hasher.update(chunk)
            yield chunk


def _text_file_document(path: Path, head: bytes, size: int, *, csv_file: bool, progress: ProgressFn | None,
                        limits: Limits) -> Document:
    """A text file read as a stream: the whole file is never held at once, only the cells it yields."""
    hasher = hashlib.sha256()
    encoding = _encoding(head, _file_chunks(path, hasher), name=path.name)
    sha = hasher.hexdigest()
    with open(path, encoding=encoding, errors="replace", newline=None) as fh:
        def lines() -> Iterator[str]:
            done = 0
            for n, line in enumerate(fh, start=1):
                done += len(line)
                if n % 2000 == 0:
                    report(progress, min(done * 2, size), size, f"读取 {path.name}")
                yield line.rstrip("\n").lstrip("\ufeff") if n == 1 else line.rstrip("\n")
        return _text_document(lines(), name=path.name, sha=sha, csv_file=csv_file, progress=progress,
                              limits=limits)


def _text_document(lines: Iterator[str], *, name: str, sha: str, csv_file: bool, progress: ProgressFn | None,
                   limits: Limits) -> Document:
    sample: list[str] = []
    for line in lines:
        sample.append(line)
        if sum(1 for x in sample if x.strip()) >= 200:
            break
    delimiter = _delimiter(sample, csv_file=csv_file)
    stream = itertools.chain(sample, lines)
    if delimiter == "\t":
        records: Iterable[tuple[int, list[str]]] = _split_tsv(stream)
    elif delimiter:
        records = _split_csv(stream, delimiter)
    else:
        records = ((i + 1, [line]) for i, line in enumerate(stream))
    grids, paragraphs = _blocks(records, name=name, limits=limits)
    meta = read_meta(paragraphs)
    return Document(file_name=name, sha256=sha, title=meta.title, issuer=meta.issuer, doc_number=meta.doc_number,
                    doc_date=meta.doc_date, year=meta.year, grids=tuple(grids),
                    format="csv" if csv_file or delimiter not in ("\t", None) else "text",
                    paragraphs=tuple(paragraphs))


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


def _split_tsv(lines: Iterator[str]) -> Iterable[tuple[int, list[str]]]:
    """Tab-separated lines; a cell Excel quoted because it holds line breaks ("a\\nb") is joined back."""
    pending: collections.deque[str] = collections.deque()
    line_no = 0

    def next_line() -> str | None:
        if pending:
            return pending.popleft()
        return next(lines, None)

    while (first := next_line()) is not None:
        line_no += 1
        start = line_no
        fields = first.split("\t")
        out: list[str] = []
        j = 0
        while j < len(fields):
            f = fields[j]
            if f.startswith('"') and f.count('"') % 2 == 1:
                # An open quoted cell: gather fields and lines until its quotes balance (at most 50 lines).
                buf = f
                k = j + 1
                rest = fields
                taken: list[str] = []
                while buf.count('"') % 2 == 1:
                    if k < len(rest):
                        buf += "\t" + rest[k]
                        k += 1
                    elif len(taken) < 50 and (more := next_line()) is not None:
                        taken.append(more)
                        rest = more.split("\t")
                        buf += "\n" + rest[0]
                        k = 1
                    else:
                        break
                if buf.count('"') % 2 == 0 and buf.endswith('"'):
                    out.append(buf[1:-1].replace('""', '"'))
                    if taken:
                        fields = rest
                        line_no += len(taken)
                    j = k
                    continue
                pending.extendleft(reversed(taken))
            elif len(f) >= 2 and f.startswith('"') and f.endswith('"'):
                f = f[1:-1].replace('""', '"')
            out.append(f)
            j += 1
        yield start, out


def _split_csv(lines: Iterator[str], delimiter: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"CSV 文件第 {line} 行格式有误（{exc}），无法读取。") from None


def _blocks(records: Iterable[tuple[int, list[str]]], *, name: str = "",
            limits: Limits = LIMITS) -> tuple[list[Grid], list[str]]:
    """Group rows of two or more cells into tables; a line of prose ends a table, a blank line does not."""
    grids: list[Grid] = []
    paragraphs: list[str] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    caption = ""
    # A big table repeats the same short cells (units, deadlines) on row after row: one string object each.
    known: dict[str, str] = {}
    cells_total = 0
    chars_total = 0

    def flush() -> None:
        nonlocal rows, numbers
        while rows and not any(rows[-1]):
            rows.pop()
            numbers.pop()
        if rows:
            width = max(len(r) for r in rows)
            first, last = numbers[0], numbers[-1]
            origin = f"第 {first}–{last} 行" if first != last else f"第 {first} 行"
            grids.append(Grid(rows=tuple(tuple(r + [""] * (width - len(r))) if len(r) < width else tuple(r)
                                         for r in rows),
                              origin=origin, caption=caption, row_numbers=array("l", numbers),
                              label_format="第 {} 行"))
        rows, numbers = [], []

    for line_no, raw in records:
        if len(raw) > limits.columns:
            if any(raw[limits.columns:]):
                raise too_big(name, f"第 {line_no} 行有 {len(raw):,} 列", limits.columns, " 列")
            raw = raw[: limits.columns]
        cells = []
        for c in raw:
            if c:
                if len(c) > limits.cell_chars:
                    c = c[: limits.cell_chars]
                chars_total += len(c)
                cells_total += 1
                c = clean_cell(c) if needs_cleaning(c) else c
                if len(c) <= 24:
                    c = known.setdefault(c, c)
            cells.append(c)
        if cells_total > limits.cells:
            raise too_big(name, f"有超过 {limits.cells:,} 个非空单元格", limits.cells, " 个")
        if chars_total > limits.text_chars:
            raise too_big(name, f"的文字超过 {limits.text_chars:,} 字", limits.text_chars, " 字")
        # A line with a tab is a table row even when only its first cell is filled ("一、重点工作\t\t").
        is_row = len(cells) >= 2
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if is_row:
            if not rows:
                # The table's title is the nearest short line above it (long lines are prose).
                caption = next((p for p in reversed(paragraphs[-3:]) if len(p) <= 60), "")
            rows.append(cells)
            numbers.append(line_no)
        elif cells and cells[0]:
            flush()
            text = strip_markup(cells[0])
            if text and text != "---":
                paragraphs.append(text)
        elif rows:
            rows.append([])
            numbers.append(line_no)
    flush()
    return grids, paragraphs


# ----- zip containers: xlsx and docx -------------------------------------------------------------------------------
def _read_zip(path: Path, data: bytes, sha: str, *, sheet: str | None, progress: ProgressFn | None,
              limits: Limits = LIMITS, name: str | None = None) -> Document:
    name = name or path.name
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ImportFailed(f"文件 {name} 已损坏（压缩结构不完整），无法打开。",
                           hint="请用 Excel/WPS 打开确认后重新保存。") from None
    with zf:
        check_zip(zf, name, limits)
        names = set(zf.namelist())
        try:
            bad = zf.testzip() if len(data) < 50_000_000 else None
        except Exception:  # damaged deflate data (zlib.error), bad headers: all the same to the user
            bad = "?"
        if bad is not None:
            raise ImportFailed(f"文件 {name} 已损坏（其中 {bad} 无法读取），无法打开。")
        if "xl/workbook.xml" in names:
            grids, warnings = read_workbook(zf, name=name, sheet=sheet, progress=progress, limits=limits)
            paragraphs = [line for grid in grids for line in _title_rows(grid)]
            meta = read_meta(paragraphs + [Path(name).stem])
            return Document(file_name=name, sha256=sha, title=meta.title or Path(name).stem, issuer=meta.issuer,
                            doc_number=meta.doc_number, doc_date=meta.doc_date, year=meta.year,
                            grids=tuple(grids), format="xlsx", warnings=tuple(warnings))
        if "word/document.xml" in names:
            return _read_docx(name, data, sha, progress=progress, limits=limits)
        if "content.xml" in names:
            raise ImportFailed(f"文件 {name} 是 OpenDocument（.ods/.odt）格式，暂不支持。",
                               hint="请另存为 .xlsx 或 .docx 后再导入。")
    raise ImportFailed(f"文件 {name} 是一个压缩包，不是 Excel 或 Word 文件。")


def _title_rows(grid: Grid) -> list[str]:
    """Rows above the header with a single distinct text: the sheet's title lines."""
    out = []
    for row in grid.rows[:8]:
        texts = {c for c in row if c}
        if len(texts) == 1:
            out.append(next(iter(texts)))
    return out


def _read_docx(name: str, data: bytes, sha: str, *, progress: ProgressFn | None, limits: Limits) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        # python-docx parses every XML part as a whole (headers, styles, numbering too).
        size = sum(i.file_size for i in zf.infolist() if i.filename.endswith((".xml", ".rels")))
        if size > limits.word_xml_bytes:
            raise too_big(name, f"的正文解压后有 {size / 2**20:,.0f} MiB", limits.word_xml_bytes // 2**20, " MiB")
        head = zf.open("word/document.xml").read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ImportFailed(f"Word 文件 {name} 含有文档类型声明（DTD），正常的 Word 文件没有，已拒绝读取。")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on damaged files
        raise ImportFailed(f"Word 文件 {name} 已损坏或格式不受支持，无法打开（{type(exc).__name__}）。",
                           hint="请用 Word/WPS 打开后另存为 .docx 再导入。") from None
    paragraphs: list[str] = []
    grids: list[Grid] = []
    last_text = ""
    body = document.element.body
    budget = [limits.cells]
    for n, child in enumerate(body.iterchildren()):
        if child.tag == qn("w:p"):
            text = clean_cell(Paragraph(child, document).text)
            if text:
                paragraphs.extend(text.split("\n"))
                last_text = text
        elif child.tag == qn("w:tbl"):
            grid = _docx_grid(child, document, len(grids) + 1, last_text, name=name, limits=limits,
                              budget=budget, progress=progress)
            if grid is not None:
                grids.append(grid)
        if n % 500 == 499:
            report(progress, 0, None, "读取 Word 文件")
    meta = read_meta(paragraphs + [Path(name).stem])
    return Document(file_name=name, sha256=sha, title=meta.title or Path(name).stem, issuer=meta.issuer,
                    doc_number=meta.doc_number, doc_date=meta.doc_date, year=meta.year, grids=tuple(grids),
                    format="docx", paragraphs=tuple(paragraphs))


def _word_count(value: str | None, *, attribute: str, name: str, default: int, limits: Limits) -> int:
    """A w:gridSpan / w:gridBefore value: a small non-negative integer, or a plain error."""
    if value is None or value == "":
        return default
    text = value.strip()
    if not text.isascii() or not text.isdigit():
        raise ImportFailed(f"Word 文件 {name} 的表格有无效的 {attribute} 值「{value[:20]}」，文件已损坏。",
                           hint="请用 Word/WPS 打开后另存为 .docx 再导入。")
    number = int(text[:12])
    if number > limits.span:
        raise too_big(name, f"的表格中一个单元格声明跨 {text[:12]} 列（{attribute}）", limits.span, " 列")
    return number


def _docx_grid(tbl: Any, parent: Any, number: int, caption: str, *, name: str, limits: Limits,
               budget: list[int], progress: ProgressFn | None) -> Grid | None:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    rows: list[list[str]] = []
    continued: set[tuple[int, int]] = set()
    w_val = qn("w:val")
    for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
        cells: list[str] = []
        tr_pr = tr.find(qn("w:trPr"))
        before = 0
        if tr_pr is not None:
            gb = tr_pr.find(qn("w:gridBefore"))
            if gb is not None:
                before = _word_count(gb.get(w_val), attribute="gridBefore", name=name, default=0, limits=limits)
        cells.extend([""] * before)
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = 1
            vmerge = None
            if tc_pr is not None:
                gs = tc_pr.find(qn("w:gridSpan"))
                if gs is not None:
                    span = max(1, _word_count(gs.get(w_val), attribute="gridSpan", name=name, default=1,
                                              limits=limits))
                vm = tc_pr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(w_val, "continue")
            col = len(cells)
            if col + span > limits.columns:
                raise too_big(name, f"第 {number} 个表格第 {r + 1} 行超过 {limits.columns} 列", limits.columns, " 列")
            if vmerge == "continue" and r > 0:
                above = rows[r - 1]
                text = above[col] if col < len(above) else ""
                for c in range(col, col + span):
                    continued.add((r, c))
            else:
                # Paragraphs and line breaks inside a cell stay line breaks.
                text = clean_cell("\n".join(Paragraph(p, parent).text for p in tc.iterchildren(qn("w:p"))))
                if len(text) > limits.cell_chars:
                    text = text[: limits.cell_chars]
            cells.extend([text] * span)
            budget[0] -= span
            if budget[0] < 0:
                raise too_big(name, f"有超过 {limits.cells:,} 个单元格", limits.cells, " 个")
        rows.append(cells)
        if r % 500 == 499:
            report(progress, 0, None, f"读取第 {number} 个表格")
    if not rows:
        return None
    width = max(len(r) for r in rows)
    return Grid(rows=tuple(tuple(r + [""] * (width - len(r))) for r in rows), origin=f"第 {number} 个表格",
                caption=caption, row_numbers=range(1, len(rows) + 1), label_format=f"第 {number} 个表格第 {{}} 行",
                continued=frozenset(continued))


# ----- legacy formats ---------------------------------------------------------------------------------------------
def _is_encrypted_ooxml(data: bytes) -> bool:
    # An encrypted .xlsx/.docx is an OLE compound file holding these streams (names stored as UTF-16).
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def find_soffice() -> str | None:
    """LibreOffice's soffice program: on PATH, else (Windows) in its install folders or the App Paths registry."""
    for exe in ("soffice", "libreoffice"):
        found = shutil.which(exe)
        if found:
            return found
    if sys.platform == "win32":
        return _windows_soffice()
    for candidate in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _windows_soffice() -> str | None:  # pragma: no cover - Windows only
    candidates: list[str] = []
    if sys.platform == "win32":
        import winreg

        for hive in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
            try:
                with winreg.OpenKey(hive, r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe") as key:
                    candidates.append(str(winreg.QueryValue(key, None)))
            except OSError:
                continue
    for env in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432", "LOCALAPPDATA"):
        base = os.environ.get(env)
        if base:
            candidates.append(os.path.join(base, "LibreOffice", "program", "soffice.exe"))
            candidates.append(os.path.join(base, "Programs", "LibreOffice", "program", "soffice.exe"))
    return next((c.strip('"') for c in candidates if c and os.path.isfile(c.strip('"'))), None)


def _convert_legacy(path: Path, sha: str, suffix: str, *, sheet: str | None, progress: ProgressFn | None,
                    soffice: SofficeLookup | None, limits: Limits) -> Document:
    target = _LEGACY.get(suffix, "xlsx")
    label = "Excel/WPS 表格" if target == "xlsx" else "Word/WPS 文档"
    exe = (soffice or find_soffice)()
    if exe is None:
        raise ImportFailed(f"{path.name} 是旧版{label}格式（{suffix or '二进制'}），本机没有安装 LibreOffice，无法转换。",
                           hint=f"请在 Excel/WPS/Word 中打开它，另存为 .{target} 后再导入（或安装 LibreOffice）。")
    report(progress, 0, None, f"正在用 LibreOffice 转换 {path.name}")
    with tempfile.TemporaryDirectory(prefix="liaison-convert-") as tmp:
        # A private profile: a LibreOffice window the user has open does not block (or take over) the conversion.
        profile = Path(tmp, "profile").resolve().as_uri()
        source = Path(tmp, f"source{suffix or '.bin'}")
        shutil.copyfile(path, source)  # an ASCII name: old LibreOffice builds mishandle some non-ASCII paths
        try:
            subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", target, "--outdir", tmp, str(source)],
                           capture_output=True, timeout=180, check=False, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ImportFailed(f"用 LibreOffice 转换 {path.name} 失败（{type(exc).__name__}）。",
                               hint=f"请手工另存为 .{target} 后再导入。") from None
        converted = Path(tmp, f"source.{target}")
        if not converted.is_file():
            raise ImportFailed(f"LibreOffice 未能转换 {path.name}，文件可能已损坏或设置了密码。",
                               hint=f"请手工另存为 .{target} 后再导入。")
        data = converted.read_bytes()
    doc = _read_zip(path, data, sha, sheet=sheet, progress=progress, limits=limits, name=path.name)
    return _replace_doc(doc, warnings=doc.warnings + (f"{path.name} 是旧版格式，已用 LibreOffice 转换后读取。",))


def _replace_doc(doc: Document, **changes: Any) -> Document:
    from dataclasses import replace

    return replace(doc, **changes)
