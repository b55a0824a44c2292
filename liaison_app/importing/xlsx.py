"""A streaming .xlsx reader bounded by :mod:`.limits`: sheets are parsed row by row from the zip, only cells that
hold text are kept, and nothing the file declares (dimensions, merges, string counts) is allocated before it is
checked. Values come out as the text a user sees: numbers without a trailing ".0", dates as ISO dates."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from posixpath import join, normpath
from typing import IO, Any

from lxml import etree

from ..cell_text import clean_cell, needs_cleaning
from ..errors import ImportFailed
from ..jobs import ProgressFn, report
from .document import Grid
from .limits import LIMITS, Limits, too_big

__all__ = ["XlsxSheet", "read_workbook"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# Built-in number formats that show a date (14-22, 45-47) and the ones Chinese Excel adds (27-36, 50-58).
_DATE_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass(frozen=True)
class XlsxSheet:
    title: str
    path: str


def _row_label(title: str, row: int) -> str:
    return f"工作表「{title}」第 {row + 1} 行"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _parse_ref(ref: str) -> tuple[int, int] | None:
    m = _CELL_REF.match(ref)
    if not m:
        return None
    return int(m.group(2)) - 1, _col_index(m.group(1))


class _Budget:
    """Characters of text kept so far in a document; raises once over the limit."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.chars = 0
        self.cells = 0
        self.cut: list[str] = []

    def text(self, value: str, where: Callable[[], str]) -> str:
        n = len(value)
        if n <= self.limits.cell_chars:
            self.chars += n
            if self.chars > self.limits.text_chars:
                raise too_big(self.name, "的文字超过 6400 万字", self.limits.text_chars, " 字")
            return value
        if len(value) > self.limits.cell_chars:
            self.cut.append(where())
            value = value[: self.limits.cell_chars]
        self.chars += len(value)
        if self.chars > self.limits.text_chars:
            raise too_big(self.name, "的文字超过 6400 万字", self.limits.text_chars, " 字")
        return value


def _iterparse(stream: IO[bytes], tags: tuple[str, ...]) -> Iterator[Any]:
    # No DTD is loaded and no entity resolved: an xlsx never has one, and a billion-laughs or XXE file gets nothing.
    return etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)


def _free(elem: Any) -> None:
    """Drop an element and everything parsed before it, so a sheet of any length is parsed in constant memory."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _open_member(zf: zipfile.ZipFile, member: str) -> IO[bytes]:
    stream = zf.open(member)
    head = stream.peek(2048)[:2048] if hasattr(stream, "peek") else b""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        stream.close()
        name = getattr(zf, "display_name", "")
        raise ImportFailed(f"Excel 文件 {name} 中的 {member} 含有文档类型声明（DTD），正常的 Excel 文件没有，已拒绝读取。")
    return stream


def _read_xml(zf: zipfile.ZipFile, member: str) -> Any:
    with _open_member(zf, member) as stream:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        return etree.parse(stream, parser).getroot()


def _sheets(zf: zipfile.ZipFile) -> tuple[list[XlsxSheet], bool]:
    """The workbook's worksheets in tab order (chart sheets left out), and whether it counts dates from 1904."""
    workbook = _read_xml(zf, "xl/workbook.xml")
    rels: dict[str, tuple[str, str]] = {}
    names = set(zf.namelist())
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _read_xml(zf, "xl/_rels/workbook.xml.rels"):
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
            rels[rel.get("Id") or ""] = (rel.get("Type") or "", path)
    date1904 = False
    sheets: list[XlsxSheet] = []
    for elem in workbook.iter():
        name = _local(elem.tag)
        if name == "workbookPr":
            date1904 = (elem.get("date1904") or "").lower() in ("1", "true")
        elif name == "sheet":
            rid = elem.get(f"{{{_REL_NS}}}id") or elem.get(f"{{{_STRICT_REL_NS}}}id") or ""
            kind, path = rels.get(rid, ("", ""))
            if path in names and (not kind or kind.endswith("/worksheet")):
                sheets.append(XlsxSheet(title=elem.get("name") or path, path=path))
    return sheets, date1904


def _is_date_code(code: str) -> bool:
    bare = _QUOTED.sub("", code).lower()
    return bare != "general" and any(ch in bare for ch in "dmyhs")


def _date_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles (the s="…" attribute) whose number format shows a date."""
    if "xl/styles.xml" not in zf.namelist():
        return frozenset()
    root = _read_xml(zf, "xl/styles.xml")
    custom: dict[int, str] = {}
    xfs: list[int] = []
    for elem in root:
        name = _local(elem.tag)
        if name == "numFmts":
            for fmt in elem:
                try:
                    custom[int(fmt.get("numFmtId") or "-1")] = fmt.get("formatCode") or ""
                except ValueError:
                    continue
        elif name == "cellXfs":
            for xf in elem:
                try:
                    xfs.append(int(xf.get("numFmtId") or "0"))
                except ValueError:
                    xfs.append(0)
            if len(xfs) > 200_000:
                break
    return frozenset(i for i, fmt in enumerate(xfs)
                     if (fmt in custom and _is_date_code(custom[fmt])) or (fmt not in custom and fmt in _DATE_IDS))


def _si_text(si: Any) -> str:
    parts: list[str] = []
    for child in si:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    return "".join(parts)


def _shared_strings(zf: zipfile.ZipFile, name: str, budget: _Budget, limits: Limits,
                    progress: ProgressFn | None) -> list[str]:
    member = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in zf.namelist()), None)
    if member is None:
        return []
    out: list[str] = []
    with _open_member(zf, member) as stream:
        for _event, si in _iterparse(stream, ("{*}si",)):
            text = _si_text(si)
            _free(si)
            if len(out) >= limits.shared_strings:
                raise too_big(name, f"的共享字符串表超过 {limits.shared_strings:,} 条", limits.shared_strings, " 条")
            if needs_cleaning(text):
                text = clean_cell(text)
            out.append(budget.text(text, lambda: f"共享字符串第 {len(out) + 1} 条"))
            if len(out) % 50_000 == 0:
                report(progress, 0, None, "读取共享字符串")
    return out


def _number_text(raw: str, date: bool, epoch: dt.datetime) -> str:
    raw = raw.strip()
    try:
        if not date and raw.lstrip("-").isdigit() and len(raw) < 16:
            return str(int(raw))
        value = float(raw)
    except ValueError:
        return clean_cell(raw)
    if date:
        try:
            moment = epoch + dt.timedelta(days=value)
        except (OverflowError, ValueError):
            return "#VALUE!"
        # Excel stores milliseconds inexactly; a time within half a second of midnight is a plain date.
        if abs(value - round(value)) * 86400 < 0.5:
            return (epoch + dt.timedelta(days=round(value))).date().isoformat()
        return moment.replace(microsecond=0).isoformat(sep=" ", timespec="minutes")
    if value != value or value in (float("inf"), float("-inf")):
        return raw
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _inline_text(cell: Any) -> str:
    for child in cell:
        if _local(child.tag) == "is":
            return _si_text(child)
    return ""


def _sheet_grid(zf: zipfile.ZipFile, sheet: XlsxSheet, *, name: str, shared: list[str], date_styles: frozenset[int],
                epoch: dt.datetime, budget: _Budget, limits: Limits, progress: ProgressFn | None) -> Grid | None:
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    merges: list[tuple[int, int, int, int]] = []
    declared_rows: int | None = None
    row_counter = -1
    max_col = -1
    n_rows = 0
    out_of_order = False
    columns: dict[str, int] = {}
    """Column letters already met -> index (a sheet repeats the same few letters on every row)."""
    with _open_member(zf, sheet.path) as stream:
        for _event, elem in _iterparse(stream, ("{*}row", "{*}mergeCell", "{*}dimension")):
            tag = _local(elem.tag)
            if tag == "row":
                r_attr = elem.get("r")
                try:
                    r = int(r_attr) - 1 if r_attr else row_counter + 1
                except ValueError:
                    raise ImportFailed(f"Excel 文件 {name} 的工作表「{sheet.title}」有无效的行号「{r_attr[:20]}」，"
                                       f"文件已损坏。") from None
                if not 0 <= r < 1_048_576:
                    raise too_big(name, f"工作表「{sheet.title}」的行号 {r + 1:,} 超出 Excel 的范围", 1_048_576, " 行")
                if r <= row_counter:
                    out_of_order = True
                row_counter = r
                cells: list[tuple[int, str]] = []
                col = -1
                ns = elem.tag[: elem.tag.index("}") + 1] if elem.tag.startswith("{") else ""
                v_tag, is_tag = ns + "v", ns + "is"
                for c in elem.iterchildren(ns + "c"):
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789$")
                        found = columns.get(letters)
                        if found is None:
                            pos = _parse_ref(ref)
                            if pos is None or pos[1] > 16_383:
                                raise ImportFailed(f"Excel 文件 {name} 的工作表「{sheet.title}」有无效的单元格地址"
                                                   f"「{ref[:20]}」，文件已损坏。")
                            found = columns[letters] = pos[1]
                        col = found
                    else:
                        col += 1
                    kind = c.get("t") or "n"
                    if kind == "inlineStr":
                        inline = c.find(is_tag)
                        if inline is None:
                            continue
                        # One plain run is by far the most common; rich text (runs, phonetics) goes the long way.
                        text = inline[0].text or "" if len(inline) == 1 and inline[0].tag == ns + "t" \
                            else _si_text(inline)
                    else:
                        raw = c.findtext(v_tag)
                        if not raw:
                            continue
                        if kind == "s":
                            try:
                                text = shared[int(raw)]
                            except (ValueError, IndexError):
                                raise ImportFailed(f"Excel 文件 {name} 引用了不存在的共享字符串（{raw[:20]}），"
                                                   f"文件已损坏。") from None
                        elif kind == "n":
                            style = c.get("s")
                            is_date = bool(date_styles) and style is not None and style.isdigit() \
                                and int(style) in date_styles
                            text = _number_text(raw, is_date, epoch)
                        elif kind == "b":
                            text = "是" if raw.strip() in ("1", "true") else "否"
                        elif kind == "d":
                            text = raw.strip()[:10] if raw.strip().endswith("T00:00:00") else raw.strip()
                        else:  # "str" (a formula's text), "e" (an error such as #N/A)
                            text = raw
                    if not text:
                        continue
                    if kind in ("inlineStr", "str", "e") and needs_cleaning(text):
                        text = clean_cell(text)
                        if not text:
                            continue
                    if kind != "s":
                        text = budget.text(text, functools.partial(_row_label, sheet.title, r))
                    cells.append((col, text))
                    if col > max_col:
                        max_col = col
                _free(elem)
                if cells:
                    rows.append((r, cells))
                    budget.cells += len(cells)
                    if budget.cells > limits.cells:
                        raise too_big(name, f"有超过 {limits.cells:,} 个非空单元格", limits.cells, " 个")

                n_rows += 1
                if n_rows % 500 == 0:
                    report(progress, min(r + 1, declared_rows or r + 1), declared_rows,
                           f"读取工作表「{sheet.title}」")
            elif tag == "mergeCell":
                ref = elem.get("ref") or ""
                _free(elem)
                if len(merges) >= limits.merges:
                    raise too_big(name, f"工作表「{sheet.title}」有超过 {limits.merges:,} 个合并单元格",
                                  limits.merges, " 个")
                first, _, last = ref.partition(":")
                a, b = _parse_ref(first), _parse_ref(last or first)
                if a is not None and b is not None:
                    merges.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
            else:
                ref = (elem.get("ref") or "").partition(":")[2]
                pos = _parse_ref(ref) if ref else None
                declared_rows = min(pos[0] + 1, limits.rows) if pos else None
    if not rows:
        return None
    if out_of_order:  # Excel writes rows in order; a file that does not is read as if it had
        rows = sorted(dict(rows).items())
    return _build_grid(rows, merges, max_col, sheet=sheet, name=name, limits=limits, progress=progress)


def _build_grid(rows: list[tuple[int, list[tuple[int, str]]]], merges: list[tuple[int, int, int, int]],
                max_col: int, *, sheet: XlsxSheet, name: str, limits: Limits,
                progress: ProgressFn | None) -> Grid:
    # Columns: kept in place while the sheet is narrow; a sheet with text far to the right (a lone cell at XFD)
    # keeps only the columns that hold text, which changes nothing a table means.
    used_cols: set[int] = set()
    if max_col < limits.columns:
        col_map: dict[int, int] | None = None
        width = max_col + 1
    else:
        used_cols = {c for _r, cells in rows for c, _t in cells}
        if len(used_cols) > limits.columns:
            raise too_big(name, f"工作表「{sheet.title}」有 {len(used_cols):,} 列文字", limits.columns, " 列")
        ordered = sorted(used_cols)
        col_map = {c: i for i, c in enumerate(ordered)}
        width = len(ordered)
    # Rows: kept in place (blank ones too) while the span is modest; else only the rows that hold text.
    first_row, last_row = rows[0][0], rows[-1][0]
    dense = last_row - first_row < limits.dense_rows
    numbers = list(range(first_row, last_row + 1)) if dense else [r for r, _ in rows]
    index_of = {r: i for i, r in enumerate(numbers)}
    empty = ("",) * width
    grid_rows: list[list[str] | tuple[str, ...]] = [empty] * len(numbers)
    for r, cells in rows:
        line = [""] * width
        for c, text in cells:
            line[c if col_map is None else col_map[c]] = text
        grid_rows[index_of[r]] = line
    # Merged ranges, clipped to the rows and columns that hold text, each found by bisection (a range may declare
    # the whole sheet). What they would copy is added up first, and refused before anything is copied.
    ordered_cols = sorted(used_cols) if col_map is not None else []
    plan: list[tuple[int, str, range, Any]] = []
    cost = 0
    for n, (r1, c1, r2, c2) in enumerate(merges):
        top = index_of.get(r1)
        if top is None:
            continue
        if col_map is None:
            if c1 >= width:
                continue
            value = grid_rows[top][c1]
            cols: Any = range(c1, min(c2, width - 1) + 1)
        else:
            if c1 not in col_map:
                continue
            value = grid_rows[top][col_map[c1]]
            cols = [col_map[c] for c in ordered_cols[bisect.bisect_left(ordered_cols, c1):
                                                      bisect.bisect_right(ordered_cols, c2)]]
        if not value:
            continue
        spanned = range(top, bisect.bisect_right(numbers, r2))
        cost += len(spanned) * len(cols)
        if cost > limits.merge_fill:
            raise too_big(name, f"工作表「{sheet.title}」的合并单元格覆盖的范围过大", limits.merge_fill, " 格")
        plan.append((top, value, spanned, cols))
        if n % 5000 == 4999:
            report(progress, n + 1, len(merges), f"处理工作表「{sheet.title}」的合并单元格")
    continued: set[tuple[int, int]] = set()
    for top, value, spanned, cols in plan:
        for i in spanned:
            current = grid_rows[i]
            line = current if isinstance(current, list) else list(current)
            grid_rows[i] = line
            for c in cols:
                line[c] = value
                if i > top:
                    continued.add((i, c))
    title = sheet.title
    return Grid(rows=tuple(tuple(r) if isinstance(r, list) else r for r in grid_rows), origin=f"工作表「{title}」",
                row_numbers=range(first_row + 1, last_row + 2) if dense else array("l", (r + 1 for r in numbers)),
                label_format=f"工作表「{title.replace('{', '{{').replace('}', '}}')}」第 {{}} 行",
                continued=frozenset(continued))


def read_workbook(zf: zipfile.ZipFile, *, name: str, sheet: str | None, progress: ProgressFn | None,
                  limits: Limits = LIMITS) -> tuple[list[Grid], list[str]]:
    """The grids of a workbook's sheets (or of the one named ``sheet``) and the warnings of reading it."""
    zf.display_name = name  # type: ignore[attr-defined]
    try:
        sheets, date1904 = _sheets(zf)
        if sheet is not None:
            chosen = [s for s in sheets if s.title == sheet or s.title.strip() == sheet.strip()]
            if not chosen:
                names = "、".join(f"「{s.title}」" for s in sheets)
                raise ImportFailed(f"文件 {name} 里没有名为「{sheet}」的工作表；有的是：{names}。")
            sheets = chosen
        budget = _Budget(name, limits)
        date_styles = _date_styles(zf)
        shared = _shared_strings(zf, name, budget, limits, progress)
        epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
        grids: list[Grid] = []
        for s in sheets:
            grid = _sheet_grid(zf, s, name=name, shared=shared, date_styles=date_styles, epoch=epoch,
                               budget=budget, limits=limits, progress=progress)
            if grid is not None:
                grids.append(grid)
    except ImportFailed:
        raise
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"Excel 文件 {name} 已损坏（XML 格式错误：{str(exc)[:80]}），无法读取。",
                           hint="请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError, ValueError, TypeError,
            IndexError, AttributeError, RuntimeError, NotImplementedError) as exc:
        # zlib.error is an Exception subclass raised for damaged deflate data
        raise ImportFailed(f"Excel 文件 {name} 已损坏，读取时出错（{type(exc).__name__}）。",
                           hint="请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None
    except Exception as exc:
        import zlib

        if isinstance(exc, zlib.error):
            raise ImportFailed(f"Excel 文件 {name} 已损坏（压缩数据错误），无法读取。",
                               hint="请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None
        raise
    warnings = [f"{where}的文字超过 {limits.cell_chars:,} 字（Excel 单元格的上限），超出部分未导入。"
                for where in budget.cut[:20]]
    return grids, warnings
