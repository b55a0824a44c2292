"""The table recogniser: finds headers by synonyms, stitches tables across page breaks, parses rows, and says in
plain sentences what it could not understand instead of guessing."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..cell_text import is_separator, name_key, squeeze_cjk
from ..errors import ImportFailed
from ..jobs import ProgressFn, report
from ..model import Deadline
from ..units import split_units
from .deadlines import parse_deadline
from .document import Document, Grid

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "KIND_LABELS",
    "Kind",
    "ParsedTask",
    "ParsedIndicator",
    "ParsedItem",
    "RecognisedTable",
    "Recognised",
    "recognise",
    "role_of_header",
]

Kind = Literal["tasks", "indicators", "items"]
KIND_LABELS: dict[str, str] = {"tasks": "任务分工表", "indicators": "考核指标表", "items": "事项清单"}

ROLES = ("seq", "group", "content", "lead", "cooperating", "deadline", "category", "level1", "level2",
         "explanation", "score", "departments", "name", "item_category", "note")
ROLE_LABELS: dict[str, str] = {
    "seq": "序号", "group": "任务名称", "content": "任务内容", "lead": "牵头部门", "cooperating": "配合部门",
    "deadline": "时间节点", "category": "考核内容", "level1": "一级指标", "level2": "二级指标",
    "explanation": "指标解释", "score": "分值", "departments": "责任科室", "name": "事项名称",
    "item_category": "事项分类", "note": "备注",
}

# Header synonyms per role, as written in real tables. Compared after dropping spaces, punctuation and "（…）".
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序", "顺序号", "项次", "no", "标号"),
    "group": ("任务名称", "工作任务", "重点任务", "主要任务", "任务类别", "任务分类", "工作类别", "工作要点",
              "任务事项", "改革任务", "主要工作", "工作项目", "项目", "类别", "板块", "领域", "任务", "工作事项",
              "重点工作", "任务板块", "工作板块", "目标任务", "全年目标任务", "年度目标任务", "年度任务"),
    "content": ("任务内容", "具体任务", "具体要求", "具体措施", "工作内容", "主要内容", "工作措施", "任务要求",
                "具体内容", "工作举措", "主要措施", "内容", "工作要求", "推进措施", "具体工作", "任务描述", "措施",
                "具体举措", "工作目标", "任务目标", "主要举措", "具体任务内容", "工作任务内容", "具体工作措施",
                "工作举措及要求", "主要工作措施", "工作安排", "具体工作任务"),
    "lead": ("牵头部门", "牵头单位", "牵头处室", "牵头科室", "责任单位", "责任科室", "责任部门", "责任处室",
             "主责部门", "主责单位", "牵头", "责任主体", "负责部门", "负责单位", "承办单位", "主办单位", "实施主体",
             "责任科室单位", "牵头责任单位", "牵头责任部门", "责任单位部门", "牵头部门单位", "负责科室", "负责处室",
             "责任主体与协同单位", "责任主体及协同单位", "责任单位及配合单位", "牵头及配合单位"),
    "cooperating": ("配合部门", "配合单位", "配合处室", "配合科室", "协同单位", "协同部门", "协办单位",
                    "协办部门", "参与单位", "参与部门", "配合", "协同", "配合责任单位", "配合单位部门"),
    "deadline": ("时间节点", "完成时限", "时限要求", "完成时间", "时间要求", "进度安排", "时限", "截止时间",
                 "完成期限", "时间安排", "完成节点", "计划完成时间", "时间", "推进时间", "完成时间节点", "节点"),
    "category": ("考核内容", "考核类别", "考核项目", "考核维度", "评价内容", "考核板块", "考核类型"),
    "level1": ("一级指标", "一级指标名称"),
    "level2": ("二级指标", "二级指标名称", "考核指标", "指标名称", "评价指标", "指标"),
    "explanation": ("指标解释", "指标说明", "考核要点", "评分标准", "考核标准", "评分细则", "考评内容",
                    "考核细则", "评分规则", "指标内涵", "考核方式", "评分办法", "考核要求", "指标释义"),
    "score": ("分值", "分数", "权重", "标准分", "满分", "分值分", "指标分值"),
    "name": ("事项名称", "服务事项", "事项", "办件事项", "政务服务事项", "事项名", "事项全称"),
    "item_category": ("事项分类", "事项类别", "事项类型", "类型", "事项种类"),
    "note": ("备注", "说明", "附注", "分管领导", "牵头领导", "责任领导", "分管局领导", "联系人", "责任人",
             "推进情况", "进展情况", "完成情况", "工作进展", "落实情况", "进度情况", "目前进展"),
}
_LOOKUP: dict[str, str] = {name_key(s): role for role, syns in _SYNONYMS.items() for s in syns}
_BY_LENGTH = sorted(_LOOKUP.items(), key=lambda kv: -len(kv[0]))
# The same search as walking _BY_LENGTH, done by looking up the key's substrings: every row of a big table is
# tested for a repeated header, and trying ~200 synonyms on each cell made that the slowest step of an import.
_RANKED: dict[str, tuple[int, str]] = {syn: (n, role) for n, (syn, role) in enumerate(_BY_LENGTH) if len(syn) >= 2}
_SYN_LENGTHS = sorted({len(syn) for syn in _RANKED}, reverse=True)
_SYN_CHARS = frozenset("".join(_LOOKUP))
_PAREN = re.compile(r"[(（][^)）]*[)）]")
_SCORE_SUFFIX = re.compile(r"\s*[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$|\s+(\d+(?:\.\d+)?)\s*分\s*$")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")
_LEADING_SEQ = re.compile(r"^\s*(\d{1,4})\s*[.、．)）]\s*")
_PURE_SEQ = re.compile(r"^[\d一二三四五六七八九十（）()、.．]+$")
_NOT_APPLICABLE = "不涉及"
_MAX_HEADER_SCAN = 30


def role_of_header(cell: str) -> str | None:
    """The role a header cell names, or None."""
    if cell.isascii() and cell.isdigit():
        return None  # a 序号 cell, met on every row: no header word has a digit
    return _role_of_header(cell)


# Cached: every row of a table is tested for a repeated header, and its cells repeat (units, deadlines, groups).
@functools.lru_cache(maxsize=8192)
def _role_of_header(cell: str) -> str | None:
    key = name_key(_PAREN.sub("", cell)) or name_key(cell)
    if not key or len(key) > 16 or _SYN_CHARS.isdisjoint(key):
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    # "牵头部门单位", "具体工作任务": a synonym plus a little more (at most 4 characters), the longest synonym
    # first and, among synonyms of one length, the first listed.
    for length in _SYN_LENGTHS:
        if length > len(key):
            continue
        if len(key) > length + 4:
            break
        hits = [_RANKED[part] for i in range(len(key) - length + 1) if (part := key[i : i + length]) in _RANKED]
        if hits:
            return min(hits)[1]
    return None


# ----- results ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParsedTask:
    seq: str
    group: str
    content: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    lead_text: str
    cooperating_text: str
    deadline: Deadline
    origin: str
    """Where the row is (第 59 行)."""
    cells: tuple[tuple[str, str], ...]
    """(header, original cell text) pairs, exactly as the table had them."""


@dataclass(frozen=True)
class ParsedIndicator:
    category: str
    category_score: float | None
    level1: str
    level1_score: float | None
    level2: str
    explanation: str
    score: float | None
    score_text: str
    shared_group: int | None
    """Rows sharing one merged score carry the same number (the first of them holds the score)."""
    departments: tuple[str, ...]
    departments_text: str
    not_applicable: bool
    """The row says 不涉及."""
    origin: str
    cells: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ParsedItem:
    seq: str
    name: str
    category: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    lead_text: str
    cooperating_text: str
    origin: str
    cells: tuple[tuple[str, str], ...]


ParsedRow = ParsedTask | ParsedIndicator | ParsedItem


@dataclass(frozen=True)
class RecognisedTable:
    index: int
    kind: Kind
    origin: str
    caption: str
    header: tuple[str, ...]
    roles: tuple[str | None, ...]
    """The role of each column (None: not used, kept in cells only)."""
    rows: tuple[Any, ...]
    """ParsedTask, ParsedIndicator or ParsedItem rows."""
    warnings: tuple[str, ...]
    found_index: int
    """The table's number among every table found in the document, empty or filtered-out ones included: the key of
    ``column_roles`` and ``skip_tables``, unchanged whatever overrides are applied (``index`` counts only the tables
    returned, so it shifts when an earlier table is dropped)."""
    doubts: tuple[str, ...] = ()
    """Signs that the recognised content is wrong although the table was read (most task texts are bare numbers,
    a unit column is empty in most rows): shown before importing, above everything else."""

    @property
    def column_roles(self) -> dict[int, str]:
        return {i: r for i, r in enumerate(self.roles) if r}

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]}（{self.caption or self.origin}）"


@dataclass(frozen=True)
class Recognised:
    document: Document
    tables: tuple[RecognisedTable, ...]
    warnings: tuple[str, ...]
    """Every warning: the document's, then each table's."""
    year: int | None

    @property
    def doubts(self) -> tuple[str, ...]:
        """Every table's doubts: a success that may not be one."""
        return tuple(d for t in self.tables for d in t.doubts)

    def of_kind(self, kind: str) -> list[RecognisedTable]:
        return [t for t in self.tables if t.kind == kind]


# ----- header detection ------------------------------------------------------------------------------------------
def _header_roles(row: Sequence[str]) -> list[str | None] | None:
    roles = [role_of_header(c) if c and len(c) <= 24 else None for c in row]
    found = [r for r in roles if r]
    distinct = set(found)
    if len(distinct) < 2 or len(distinct) < len([c for c in row if c]) / 2:
        return None
    if not distinct & {"content", "level2", "level1", "name", "explanation"} and not (
        distinct >= {"group", "lead"} or distinct >= {"group", "deadline"}
        # No header names the task text, but the units and the 序号 or deadline are there: the text is found from
        # the columns' contents (the longest text).
        or ("lead" in distinct and distinct & {"seq", "deadline"} and len(row) >= 3)
    ):
        return None
    return roles


def _kind_of(roles: Sequence[str | None]) -> Kind:
    present = set(r for r in roles if r)
    if present & {"level1", "level2", "category"} or {"score", "explanation"} <= present:
        return "indicators"
    if present & {"name", "item_category"} and "content" not in present:
        return "items"
    return "tasks"


_KIND_REMAP: dict[str, dict[str, str]] = {
    "indicators": {"lead": "departments", "cooperating": "departments", "content": "explanation"},
    "items": {"group": "item_category", "content": "name"},
    "tasks": {"name": "content", "item_category": "group", "departments": "lead", "level2": "content",
              "explanation": "content"},
}


def _fit_roles(roles: Sequence[str | None], kind: Kind, warnings: list[str], header: Sequence[str]) -> list[str | None]:
    """Adapt roles to the kind (责任科室 is 'departments' in an indicator table) and drop duplicates."""
    remap = _KIND_REMAP[kind]
    out: list[str | None] = []
    seen: set[str] = set()
    for i, role in enumerate(roles):
        role = remap.get(role, role) if role else None
        if kind == "tasks" and role == "content" and "content" in seen and "group" not in seen:
            # Two text columns ("工作任务", "具体措施"): the first names the group.
            first = out.index("content")
            out[first] = "group"
            seen.add("group")
        if role in seen and role not in ("departments", "note", "cooperating"):
            if role == "lead" and kind == "items":
                # A second unit column of the lead kind (责任处室 beside 牵头单位): the other responsible units.
                role = "cooperating"
            else:
                warnings.append(f"表头「{header[i]}」与前面的列含义重复，这一列未导入（原文保留）。")
                role = None
        if role:
            seen.add(role)
        out.append(role)
    if kind == "tasks" and "content" not in seen and "group" in seen:
        out[out.index("group")] = "content"
    return out


_SMALL_INT = re.compile(r"^\s*\d{1,3}\s*[.、．]?\s*$")
_SINGLE_ROLES = ("seq", "content", "deadline")
_TEXT_ROLES = ("group", "content")


def _column_stats(table: _Table, col: int, sample: int = 400) -> tuple[int, float, float]:
    """(filled cells, share of them that are small integers, mean text length) over the first rows of a column."""
    filled = ints = length = 0
    for grid, r in table.rows[:sample]:
        row = grid.rows[r]
        text = row[col] if col < len(row) else ""
        if text:
            filled += 1
            length += len(text)
            if _SMALL_INT.match(text):
                ints += 1
    return filled, (ints / filled if filled else 0.0), (length / filled if filled else 0.0)


def _settle_task_roles(table: _Table, auto: Sequence[str | None], fixed: Mapping[int, str | None],
                       warnings: list[str]) -> list[str | None]:
    """The columns of a task table, decided from headers and, where headers are ambiguous, from contents.

    The user's choices (``fixed``) are kept as given; the automatic roles around them make room.
    """
    remap = _KIND_REMAP["tasks"]
    roles: list[str | None] = [remap.get(r, r) if r else None for r in auto]
    header = table.header
    # A header merged over several columns ("具体要求" over a number column and the text column): decide each
    # column from what it holds. Small integers are the 序号; the longest text keeps the header's role.
    i = 0
    while i < len(roles):
        j = i
        # (Copied out of Word, a merged header keeps its text in the first column only: an empty header cell
        # right after a text header belongs to it.)
        while j + 1 < len(roles) and (
            (header[j + 1] and header[j + 1] == header[i] and roles[j + 1] == roles[i])
            or (not header[j + 1] and roles[j + 1] is None and roles[i] in _TEXT_ROLES and j + 1 not in fixed)
        ):
            j += 1
            roles[j] = roles[i]
        if j > i and roles[i] is not None and i not in fixed:
            stats = {c: _column_stats(table, c) for c in range(i, j + 1)}
            keep = max(range(i, j + 1), key=lambda c: (stats[c][2] * (1 - stats[c][1]), -c))
            for c in range(i, j + 1):
                if c == keep or c in fixed:
                    continue
                filled, ints, _length = stats[c]
                if roles[i] in ("lead", "cooperating", "note"):
                    continue  # several unit columns under one header: all of them are read
                roles[c] = "seq" if filled and ints >= 0.6 and "seq" not in roles else None
            if roles[i] not in ("lead", "cooperating", "note"):
                for c in range(i, j + 1):
                    if c != keep and roles[c] is None:
                        warnings.append(f"表头「{header[i]}」跨了几列，第 {c + 1} 列内容不像{ROLE_LABELS[roles[keep] or 'content']}，"
                                        f"未导入（原文保留）。")
        i = j + 1
    for c, role in fixed.items():
        roles[c] = role
    free = [c for c in range(len(roles)) if c not in fixed]
    # Single roles: the user's column wins, else the first one.
    for role in _SINGLE_ROLES:
        cols = [c for c, r in enumerate(roles) if r == role]
        if len(cols) > 1:
            keep = next((c for c in cols if c in fixed), cols[0] if role != "content" else cols[-1])
            for c in cols:
                if c == keep or c in fixed:
                    continue
                if role == "content":
                    filled, ints, _length = _column_stats(table, c)
                    if filled and ints >= 0.6:
                        roles[c] = "seq" if "seq" not in roles else None  # a number column, not text
                    else:
                        roles[c] = "group"  # two text columns ("工作任务", "具体措施"): the first names the group
                else:
                    roles[c] = None
                    warnings.append(f"表头「{header[c]}」与前面的列含义重复，这一列未导入（原文保留）。")
    # Two unit columns of the lead kind (牵头单位 and 责任单位): the one saying 牵头 leads, the other holds the
    # other responsible units, who cooperate. No unit column is ever dropped.
    leads = [c for c, r in enumerate(roles) if r == "lead"]
    if len(leads) > 1:
        chosen = [c for c in leads if c in fixed] or [c for c in leads if "牵头" in header[c]] or leads[:1]
        for c in leads:
            if c not in chosen and c in free:
                roles[c] = "cooperating"
    if "content" not in roles:
        groups = [c for c, r in enumerate(roles) if r == "group" and c in free]
        if groups:
            roles[groups[-1]] = "content"
        else:
            # No column reads as the task text: take the one of longest text rather than refuse.
            candidates = [c for c in free if roles[c] is None]
            best = max(candidates, key=lambda c: (_column_stats(table, c)[2], -c), default=None)
            if best is not None and _column_stats(table, best)[0]:
                roles[best] = "content"
                name = header[best] or f"第 {best + 1} 列"
                warnings.append(f"没有识别出“任务内容”列，已把文字最长的「{name}」列当作任务内容；"
                                f"如不对，请在预览中改选（命令行用 --column）。")
    return roles


# ----- the recogniser --------------------------------------------------------------------------------------------
@dataclass
class _Table:
    kind: Kind
    header: list[str]
    roles: list[str | None]
    caption: str
    origins: list[str]
    rows: list[tuple[Grid, int]] = field(default_factory=list)
    width: int = 0
    views: dict[tuple[str | None, ...], Any] = field(default_factory=dict)
    """Per set of column roles, what every row's view needs (worked out once, not once per row)."""


def _cells(row: Sequence[str], width: int) -> Sequence[str]:
    if len(row) == width:
        return row
    out = list(row[:width])
    return out + [""] * (width - len(out))


def _same_header(row: Sequence[str], header: Sequence[str]) -> bool:
    """Whether a row repeats the header (page breaks repeat it)."""
    pairs = [(name_key(a), name_key(b)) for a, b in zip(row, header, strict=False) if b]
    same = sum(1 for a, b in pairs if a and a == b)
    return same >= max(2, (len(pairs) + 1) // 2)


def _find_tables(document: Document, warnings: list[str], progress: ProgressFn | None = None) -> list[_Table]:
    tables: list[_Table] = []
    current: _Table | None = None
    total = sum(len(g.rows) for g in document.grids)
    seen_rows = 0
    for grid in document.grids:
        rows = grid.rows
        started = False
        skipped_rows: list[int] = []
        for r, raw in enumerate(rows):
            seen_rows += 1
            if seen_rows % 1000 == 0:
                report(progress, seen_rows, total, "识别表格")
            row = [c for c in raw]
            if not any(row) or is_separator(row):
                continue
            # A row starting with a 序号 (a number) is a task, never a header: most rows of a big table.
            first = row[0]
            roles = _header_roles(row) if (not started or current is not None) and not (
                first and first.isascii() and first.isdigit()) else None
            if roles is not None:
                if current is not None and current.rows and _same_header(row, current.header):
                    started = True
                    continue  # the header repeated after a page break
                if current is not None and not current.rows and len(row) == current.width:
                    # A second header line right under the first ("责任单位" over "牵头 | 配合").
                    for i, role in enumerate(roles):
                        if role and (current.roles[i] is None or current.roles[i] != role):
                            current.roles[i] = role
                            current.header[i] = f"{current.header[i]} {row[i]}".strip() \
                                if current.header[i] != row[i] else row[i]
                    current.kind = _kind_of(current.roles)
                    continue
                kind = _kind_of(roles)
                caption = grid.caption
                if r > 0:
                    above = [c for c in rows[r - 1] if c]
                    if above and len(set(above)) == 1:
                        caption = above[0]
                current = _Table(kind=kind, header=list(row), roles=list(roles), caption=caption,
                                 origins=[grid.origin], width=len(row))
                tables.append(current)
                started = True
                continue
            if not started:
                if current is not None and len(row) == current.width and r == _first_filled(rows):
                    # A table without a header of its own, right after one with the same columns: the same
                    # table continued (a Word table split in two, or copied page by page).
                    current.origins.append(grid.origin)
                    started = True
                else:
                    skipped_rows.append(r)
                    continue
            assert current is not None
            current.rows.append((grid, r))
        looks_tabular = sum(1 for r in skipped_rows if sum(1 for c in rows[r] if c) >= 2)
        if not started and looks_tabular >= 2:
            seen = "｜".join(c for c in rows[skipped_rows[0]] if c)[:80]
            warnings.append(f"{grid.origin}没有可识别的表头，已跳过（第一行是：{seen}）。")
        if not started:
            continue
    return tables


def _first_filled(rows: Sequence[Sequence[str]]) -> int:
    for i, row in enumerate(rows):
        if any(row) and not is_separator(list(row)):
            return i
    return -1


def recognise(document: Document, *, kind: str = "auto", year: int | None = None,
              column_roles: Mapping[int, Mapping[int, str | None]] | None = None,
              skip_tables: Collection[int] = (), progress: ProgressFn | None = None) -> Recognised:
    """Find the task, indicator and item tables in a document and parse their rows.

    ``kind`` keeps only tables of that kind ('tasks', 'indicators', 'items'); ``column_roles`` overrides the role
    of columns, per table ``found_index`` ({0: {3: 'lead'}}; None or '' ignores a column); ``skip_tables`` leaves
    out the tables with those ``found_index`` numbers (the wizard's unticked tables).
    Raises ImportFailed when no usable table is found.
    """
    if kind not in ("auto", "tasks", "indicators", "items"):
        raise ImportFailed(f"未知的表格类型「{kind}」：只能是 auto、tasks、indicators 或 items。")
    doc_warnings: list[str] = list(document.warnings)
    found = _find_tables(document, doc_warnings, progress)
    year = year if year is not None else document.year
    results: list[RecognisedTable] = []
    all_warnings: list[str] = []
    needs_year = [False]
    for index, table in enumerate(found):
        if index in skip_tables:
            continue
        warnings: list[str] = []
        roles: list[str | None] = list(table.roles)
        fixed: dict[int, str | None] = {}
        if column_roles and index in column_roles:
            for col, role in column_roles[index].items():
                if not 0 <= col < table.width:
                    raise ImportFailed(f"第 {index + 1} 个表格没有第 {col + 1} 列。")
                if role and role not in ROLES:
                    raise ImportFailed(f"未知的列含义「{role}」。")
                fixed[col] = role or None
        table_kind = _kind_of([fixed.get(i, r) if i in fixed else r for i, r in enumerate(roles)])
        if table_kind == "tasks":
            roles = _settle_task_roles(table, roles, fixed, warnings)
        else:
            roles = [fixed[i] if i in fixed else r for i, r in enumerate(roles)]
            roles = _fit_roles(roles, table_kind, warnings, table.header)
        if kind != "auto" and table_kind != kind:
            continue
        try:
            if table_kind == "tasks":
                rows: list[Any] = _parse_tasks(table, roles, year, warnings, needs_year, progress)
            elif table_kind == "indicators":
                rows = _parse_indicators(table, roles, warnings, progress)
            else:
                rows = _parse_items(table, roles, warnings, progress)
        except (IndexError, ValueError, KeyError, TypeError) as exc:  # pragma: no cover - a bug, said plainly
            raise ImportFailed(f"{table.origins[0]}的表格无法解析（{type(exc).__name__}）。") from exc
        if not rows:
            doc_warnings.append(f"{table.origins[0]}的{KIND_LABELS[table_kind]}只有表头，没有内容，已跳过。")
            continue
        results.append(RecognisedTable(
            index=len(results), kind=table_kind, origin="、".join(dict.fromkeys(table.origins)),
            caption=table.caption, header=tuple(table.header), roles=tuple(roles), rows=tuple(rows),
            warnings=tuple(warnings), found_index=index, doubts=_doubts(table_kind, rows, roles, table.header)))
        all_warnings.extend(warnings)
    if kind in ("auto", "tasks") and document.paragraphs:
        _prose_tasks(document, found, results, skip_tables, year, doc_warnings, all_warnings, needs_year)
    if needs_year[0]:
        doc_warnings.append("不知道这份文件属于哪一年，时间节点没有换算成日期（原文已保留）；"
                            "请指定年份（命令行用 --year）后重新导入。")
    if not results:
        if found and all(i in skip_tables for i in range(len(found))):
            raise ImportFailed("没有选择要导入的表格：请至少勾选一个表格。")
        raise ImportFailed(_nothing_found(document, found, kind))
    return Recognised(document=document, tables=tuple(results), warnings=tuple(doc_warnings + all_warnings),
                      year=year)


def _prose_tasks(document: Document, found: list[_Table], results: list[RecognisedTable],
                 skip_tables: Collection[int], year: int | None, doc_warnings: list[str], all_warnings: list[str],
                 needs_year: list[bool]) -> None:
    """Tasks assigned inline in the prose (「（牵头单位：A；配合单位：B）」). When the document also has a task table,
    the table wins: it repeats the body, and nothing is imported twice."""
    from .prose import PROSE_HEADER, find_prose_tasks, has_assignments

    if not has_assignments(document.paragraphs):
        return
    index = len(found)
    prose, warnings = find_prose_tasks(document.paragraphs, year)
    if not prose:
        return
    if any(t.kind == "tasks" for t in results) or any(t.kind == "tasks" for t in found):
        return  # the body repeats the table (seed 003): the table wins, silently, as it always did
    if index in skip_tables:
        return
    rows = prose
    if any(parse_deadline(t.deadline.text, year).needs_year for t in rows):
        needs_year[0] = True
    roles = ("seq", "group", "content", "lead", "cooperating", "deadline")
    results.append(RecognisedTable(
        index=len(results), kind="tasks", origin="正文", caption="正文中写明分工的任务", header=PROSE_HEADER,
        roles=roles, rows=tuple(rows), warnings=tuple(warnings), found_index=index,
        doubts=_doubts("tasks", rows, roles, PROSE_HEADER)))
    all_warnings.extend(warnings)


_BARE_NUMBER = re.compile(r"^\s*[\d.、．]+\s*$")


def _doubts(kind: str, rows: Sequence[Any], roles: Sequence[str | None], header: Sequence[str]) -> tuple[str, ...]:
    """Why a table that was read may still be read wrong."""
    if kind != "tasks" or not rows:
        return ()
    out = []
    numbers = sum(1 for r in rows if _BARE_NUMBER.match(r.content))
    if numbers * 2 > len(rows):
        col = roles.index("content")
        out.append(f"{len(rows)} 条任务中有 {numbers} 条的“任务内容”只是一个数字（取自「{header[col] or f'第 {col + 1} 列'}」列），"
                   f"很可能选错了列；请在预览中把正文所在的列设为“任务内容”（命令行用 --column）。")
    for role, attr in (("lead", "lead"), ("cooperating", "cooperating")):
        if role not in roles or role == "cooperating":
            continue
        empty = sum(1 for r in rows if not getattr(r, attr))
        if empty * 2 > len(rows):
            col = roles.index(role)
            out.append(f"{len(rows)} 条任务中有 {empty} 条没有{ROLE_LABELS[role]}（「{header[col] or f'第 {col + 1} 列'}」列大多为空），"
                       f"请确认这一列是否选对。")
    return tuple(out)


def _nothing_found(document: Document, found: list[_Table], kind: str) -> str:
    if found and kind != "auto":
        kinds = "、".join(dict.fromkeys(KIND_LABELS[t.kind] for t in found))
        return f"文件 {document.file_name} 里没有{KIND_LABELS[kind]}，只找到了{kinds}。"
    if not document.grids:
        return f"文件 {document.file_name} 里没有表格（没有找到用制表符、逗号分隔或 Excel/Word 表格形式的行）。"
    seen = ""
    missing = "“任务内容”和“牵头部门”"
    for grid in document.grids:
        first = next((row for row in grid.rows if sum(1 for c in row if c) >= 2), None)
        if first:
            seen = "｜".join(c.replace("\n", "") for c in first if c)[:100]
            roles = {_KIND_REMAP["tasks"].get(r, r) for r in (role_of_header(c) for c in first if c) if r}
            absent = [ROLE_LABELS[r] for r in ("content", "lead") if r not in roles]
            if absent:
                missing = "和".join(f"“{label}”" for label in absent)
            break
    hint = f"看到的表头是：{seen}" if seen else "表格里没有内容"
    return (f"文件 {document.file_name} 里没有可识别的表格：缺少{missing}列（任务分工表需要“序号、任务内容、"
            f"牵头部门”之类的表头，考核指标表需要“一级指标、二级指标、分值”），{hint}。")


# ----- row parsing -----------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _header_names(header: tuple[str, ...]) -> tuple[str, ...]:
    """Unique column names for the original-cells record (computed once per table, not once per row)."""
    names: list[str] = []
    for i, h in enumerate(header):
        name = h or f"第{i + 1}列"
        while name in names:
            name += "′"
        names.append(name)
    return tuple(names)


def _row_view(table: _Table, grid: Grid, r: int, roles: Sequence[str | None],
              cells: Sequence[str] | None = None) -> tuple[dict[str, str], set[str], tuple[tuple[str, str], ...]]:
    """The row's cell text by role, the roles whose cell was copied down from a merge, and the original cells."""
    if cells is None:
        cells = _cells(grid.rows[r], table.width)
    key = tuple(roles)
    view = table.views.get(key)
    if view is None:
        pairs = tuple((c, role) for c, role in enumerate(roles) if role)
        view = table.views[key] = (pairs, len({role for _c, role in pairs}) == len(pairs),
                                   _header_names(tuple(table.header)))
    pairs, distinct, names = view
    merged = grid.continued
    continued: set[str] = set()
    if distinct:
        by_role = {role: cells[c] for c, role in pairs}
    else:
        by_role = {}
        for c, role in pairs:
            text = cells[c]
            if by_role.get(role):
                if text and text != by_role[role]:
                    by_role[role] = f"{by_role[role]}、{text}"  # several department columns
            else:
                by_role[role] = text
    if merged:
        continued = {role for c, role in pairs if (r, c) in merged}
    original = tuple(zip(names, cells, strict=False))
    return by_role, continued, original


def _is_heading_row(cells: Sequence[str]) -> str | None:
    """A row spanning the table with one text ("一、重点工作"): a section heading."""
    if len(cells) > 1 and cells[0] and cells[1] and cells[0] != cells[1]:
        return None  # the common row: two different texts
    texts = {c for c in cells if c}
    if len(texts) == 1 and len(cells) >= 3:
        text = next(iter(texts))
        if sum(1 for c in cells if c) >= 2 or cells[0] == text:
            if not _PURE_SEQ.match(text):
                return text
    return None


_LEVEL_PATTERNS = (
    re.compile(r"^[一二三四五六七八九十]+\s*[、.．]"),
    re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]"),
    re.compile(r"^\d{1,2}\s*[、.．](?!\d)"),
)
GROUP_SEPARATOR = " › "
"""Between the levels of a group path: 「一、年底前专项工作任务 › （一）优化营商环境」."""
_DEADLINE_PHRASE = re.compile(
    r"(?:(?:19|20)\d{2}\s*年\s*)?(?:[0-9０-９一二三四五六七八九十]{1,3}\s*月\s*(?:[0-9]{1,2}\s*[日号]|底|末|中旬|上旬|下旬|份)?"
    r"|年底|年末|年内|上半年|下半年|第?[一二三四1-4]季度(?:末|底)?)"
    r"\s*(?:前|以前|之前)?\s*(?:完成|见效|上线|实现|建成|出台|印发|落地|到位)?")


def _heading_level(text: str) -> int | None:
    for level, pattern in enumerate(_LEVEL_PATTERNS):
        if pattern.match(text):
            return level
    return None


def _deadline_in(text: str, year: int | None, *, at_end: bool) -> str | None:
    """A deadline phrase in free text (备注 「11月底前完成」, or the end of the content 「…，于6月底前完成。」)."""
    if not text:
        return None
    if at_end:
        tail = text.rstrip("。；;.） )")
        clause = re.split(r"[，,；;。]", tail)[-1]
        matches = [found for found in _DEADLINE_PHRASE.finditer(clause) if found.group(0).strip()]
        m = matches[-1] if matches else None
        if m is None or not m.group(0).strip() or len(clause) - m.end() > 1:
            return None
        phrase = m.group(0).strip()
    else:
        m = next((m for m in _DEADLINE_PHRASE.finditer(text) if m.group(0).strip()), None)
        if m is None:
            return None
        phrase = m.group(0).strip()
    parsed = parse_deadline(phrase, year if year is not None else 2000)
    return phrase if parsed.date is not None else None


def _parse_tasks(table: _Table, roles: list[str | None], year: int | None, warnings: list[str],
                 needs_year: list[bool], progress: ProgressFn | None = None) -> list[ParsedTask]:
    rows: list[ParsedTask] = []
    group_cols = [c for c, role in enumerate(roles) if role == "group"]
    note_cols = [c for c, role in enumerate(roles) if role == "note"]
    levels: list[str] = [""] * len(group_cols)
    sections: list[tuple[int | None, str]] = []
    """Section rows above the table's own groups (「一、…」 over 「（一）…」)."""

    def group_path() -> str:
        parts = [text for _level, text in sections] + [g for g in levels if g]
        return GROUP_SEPARATOR.join(dict.fromkeys(parts))

    if "lead" not in roles:
        warnings.append(f"{table.origins[0]}的任务表没有“牵头部门/责任单位”列，任务的牵头部门为空。")
    for i_row, (grid, r) in enumerate(table.rows):
        if i_row % 1000 == 999:
            report(progress, i_row, len(table.rows), "解析表格")
        cells = _cells(grid.rows[r], table.width)
        label = grid.label(r)
        heading = _is_heading_row(cells)
        if heading is not None:
            heading = squeeze_cjk(heading)
            if group_cols and cells[group_cols[0]] and squeeze_cjk(cells[group_cols[0]]) == heading \
                    and sum(1 for c in cells if c) == 1:
                levels = [heading] + [""] * (len(group_cols) - 1)
            else:
                # A row spanning the table heads the rows below it; 「（一）」 under 「一、」 adds a level.
                level = _heading_level(heading)
                while sections and (level is None or sections[-1][0] is None or sections[-1][0] >= level):
                    sections.pop()
                sections.append((level, heading))
                levels = [""] * len(group_cols)
            continue
        v, continued, original = _row_view(table, grid, r, roles, cells)
        own_group = ""
        for k, c in enumerate(group_cols):
            text = cells[c]
            if text and (r, c) not in grid.continued:
                text = squeeze_cjk(text)
                if text != levels[k]:
                    levels[k:] = [text] + [""] * (len(group_cols) - k - 1)
                own_group = own_group or text
        group = group_path()
        content = squeeze_cjk(v.get("content", ""))
        seq = v.get("seq", "")
        if not seq and content:
            m = _LEADING_SEQ.match(content)
            if m:
                seq, content = m.group(1), content[m.end():]
        lead_text, coop_text = v.get("lead", ""), v.get("cooperating", "")
        deadline_text = v.get("deadline", "")
        if not content:
            if own_group and not (lead_text or coop_text or seq):
                continue  # a group name on a line of its own
            if any(cells):
                warnings.append(f"{label}没有任务内容，已跳过（内容：{'｜'.join(c for c in cells if c)[:40]}）。")
            continue
        if rows and not seq and not own_group and not lead_text and not coop_text and not deadline_text \
                and "seq" in roles:
            # A cell broken across a page: the rest of the previous task's content.
            prev = rows[-1]
            rows[-1] = _replace(prev, content=f"{prev.content}\n{content}")
            warnings.append(f"{label}没有序号和部门，已接在上一条任务（序号 {prev.seq}）的内容后面。")
            continue
        if not deadline_text:
            # No deadline column, or an empty cell: a deadline written in 备注/说明 or at the end of the content
            # becomes the deadline, marked as taken from there.
            for c in note_cols:
                found = _deadline_in(cells[c], year, at_end=False)
                if found:
                    deadline_text = f"{found}（摘自{table.header[c] or '备注'}）"
                    break
            else:
                found = _deadline_in(content, year, at_end=True)
                if found:
                    deadline_text = f"{found}（摘自任务内容）"
        lead_split = split_units(lead_text)
        coop_split = split_units(coop_text)
        lead = _merge(lead_split.lead, lead_split.unmarked, coop_split.lead)
        coop = _merge(lead_split.cooperating, coop_split.cooperating, coop_split.unmarked)
        coop = tuple(u for u in coop if u not in lead)
        parsed = parse_deadline(deadline_text, year)
        if parsed.needs_year:
            needs_year[0] = True
        elif not parsed.understood:
            warnings.append(f"{label}（序号 {seq or '无'}）的时间节点「{deadline_text}」无法识别，未设日期（原文已保留）。")
        if not lead and "lead" in roles:
            warnings.append(f"{label}（序号 {seq or '无'}）没有牵头部门。")
        rows.append(ParsedTask(
            seq=seq, group=group, content=content, lead=lead, cooperating=coop, lead_text=lead_text,
            cooperating_text=coop_text, deadline=Deadline(deadline_text, parsed.date), origin=label,
            cells=original))
    return rows


def _merge(*parts: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u for part in parts for u in part))


def _replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


def _name_and_score(text: str) -> tuple[str, float | None]:
    """"基础工作 (20 分)" -> ("基础工作", 20.0); "政务服务 标准化便利化 (40)" -> ("政务服务标准化便利化", 40.0)."""
    text = squeeze_cjk(text.replace("\n", ""))
    m = _SCORE_SUFFIX.search(text)
    if not m:
        return text.strip(), None
    number = m.group(1) or m.group(2)
    return text[: m.start()].strip(), float(number)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _parse_indicators(table: _Table, roles: list[str | None], warnings: list[str],
                      progress: ProgressFn | None = None) -> list[ParsedIndicator]:
    rows: list[dict[str, Any]] = []
    category, category_score = "", None
    level1, level1_score = "", None
    shared_counter = 0
    block_leader: int | None = None  # index in rows of the row that holds the score of the current block
    for i_row, (grid, r) in enumerate(table.rows):
        if i_row % 1000 == 999:
            report(progress, i_row, len(table.rows), "解析表格")
        cells = _cells(grid.rows[r], table.width)
        label = grid.label(r)
        v, continued, original = _row_view(table, grid, r, roles)
        own = {k: (t if k not in continued else "") for k, t in v.items()}
        if own.get("category"):
            name, score = _name_and_score(own["category"])
            if name_key(name) != name_key(category):
                category, category_score = name, score
                level1, level1_score = "", None
            elif score is not None:
                category_score = score
        if own.get("level1"):
            name, score = _name_and_score(own["level1"])
            if name_key(name) != name_key(level1):
                level1, level1_score = name, score
                block_leader = None
            elif score is not None:
                level1_score = score
        level2 = squeeze_cjk(own.get("level2", "").replace("\n", ""))
        explanation = v.get("explanation", "")
        score_text = own.get("score", "")
        dept_text = v.get("departments", "")
        units = split_units(dept_text)
        departments = _merge(units.lead, units.unmarked, units.cooperating)
        if not level2:
            if not explanation and not score_text:
                if any(own.get(k) for k in ("category", "level1")):
                    continue  # a group heading on its own line
                if any(cells):
                    warnings.append(f"{label}没有二级指标和指标解释，已跳过。")
                continue
            if rows and not score_text:
                # The second half of an indicator whose name cell spans two rows (电子证照管理及应用).
                prev = rows[-1]
                if explanation and explanation != prev["explanation"]:
                    prev["explanation"] = f"{prev['explanation']}\n{explanation}".strip()
                prev["departments"] = _merge(prev["departments"], departments)
                if dept_text and dept_text != prev["departments_text"]:
                    prev["departments_text"] = f"{prev['departments_text']}\n{dept_text}".strip()
                prev["cells_extra"].append(original)
                continue
            warnings.append(f"{label}没有二级指标名称，已按单独一条导入。")
        not_applicable = _NOT_APPLICABLE in score_text or explanation.startswith(_NOT_APPLICABLE)
        score = None
        shared = None
        if score_text:
            m = _NUMBER.search(score_text)
            if m:
                score = float(m.group(1))
                block_leader = len(rows)
            elif _NOT_APPLICABLE in score_text:
                block_leader = None
            else:
                warnings.append(f"{label}的分值「{score_text}」不是数字，未计分（原文已保留）。")
                block_leader = None
        elif block_leader is not None:
            # A score merged over several rows: blank below the first, shared by all (no zeros invented).
            leader = rows[block_leader]
            if leader["shared_group"] is None:
                shared_counter += 1
                leader["shared_group"] = shared_counter
            shared = leader["shared_group"]
        else:
            warnings.append(f"{label}的二级指标「{level2}」没有分值。")
        if not_applicable and not departments:
            warnings.append(f"二级指标「{level2}」注明“不涉及”，没有责任科室（{label}）。")
        rows.append(dict(
            category=category, category_score=category_score, level1=level1, level1_score=level1_score,
            level2=level2, explanation=explanation, score=score, score_text=score_text, shared_group=shared,
            departments=departments, departments_text=dept_text, not_applicable=not_applicable, origin=label,
            cells=original, cells_extra=[]))
    _check_totals(rows, warnings)
    out = []
    for row in rows:
        extra = row.pop("cells_extra")
        cells = row.pop("cells")
        for more in extra:
            # Keep the continuation row's own texts too, so nothing the table said is lost.
            cells = cells + tuple((f"{h}（续）", t) for h, t in more if t)
        out.append(ParsedIndicator(cells=cells, **row))
    return out


def _check_totals(rows: list[dict[str, Any]], warnings: list[str]) -> None:
    """Warn (never refuse) when the scores under a heading do not add up to the heading's own score."""
    level1_sum: dict[tuple[str, str], float] = {}
    level1_shared: dict[tuple[str, str], list[float]] = {}
    level1_score: dict[tuple[str, str], float | None] = {}
    cat_score: dict[str, float | None] = {}
    cat_level1: dict[str, dict[str, float | None]] = {}
    for row in rows:
        key = (name_key(row["category"]), name_key(row["level1"]))
        names = level1_score.setdefault(key, row["level1_score"])
        if names is None and row["level1_score"] is not None:
            level1_score[key] = row["level1_score"]
        if row["score"] is not None:
            level1_sum[key] = level1_sum.get(key, 0.0) + row["score"]
            if row["shared_group"] is not None:
                level1_shared.setdefault(key, []).append(row["score"])
        cat_score.setdefault(row["category"], row["category_score"])
        cat_level1.setdefault(row["category"], {}).setdefault(row["level1"], row["level1_score"])
    display = {(name_key(r["category"]), name_key(r["level1"])): r["level1"] for r in rows}
    for key, expected in level1_score.items():
        total = level1_sum.get(key, 0.0)
        if expected is None or abs(total - expected) < 1e-6 or not display.get(key):
            continue
        shared = level1_shared.get(key, [])
        note = ""
        if shared:
            note = f"（其中 {len(shared)} 个多项共享的分值块：{'、'.join(_fmt(s) + ' 分' for s in shared)}）"
        warnings.append(f"一级指标「{display[key]}」标明 {_fmt(expected)} 分，但其下二级指标分值合计 "
                        f"{_fmt(total)} 分{note}，两者不符；已按表格原样导入，请核对。")
    for cat, expected in cat_score.items():
        level1s = cat_level1.get(cat, {})
        if expected is None or not cat or any(s is None for s in level1s.values()):
            continue
        total = sum(s for s in level1s.values() if s is not None)
        if abs(total - expected) > 1e-6:
            warnings.append(f"考核内容「{cat}」标明 {_fmt(expected)} 分，但其下一级指标分值合计 {_fmt(total)} 分，"
                            f"两者不符；已按表格原样导入，请核对。")


def _parse_items(table: _Table, roles: list[str | None], warnings: list[str],
                 progress: ProgressFn | None = None) -> list[ParsedItem]:
    rows: list[ParsedItem] = []
    category = ""
    for i_row, (grid, r) in enumerate(table.rows):
        if i_row % 1000 == 999:
            report(progress, i_row, len(table.rows), "解析表格")
        cells = _cells(grid.rows[r], table.width)
        label = grid.label(r)
        heading = _is_heading_row(cells)
        if heading is not None and "item_category" not in roles:
            category = squeeze_cjk(heading)
            continue
        v, continued, original = _row_view(table, grid, r, roles)
        if v.get("item_category") and "item_category" not in continued:
            category = squeeze_cjk(v["item_category"])
        elif v.get("item_category"):
            category = squeeze_cjk(v["item_category"])
        name = squeeze_cjk(v.get("name", ""))
        if not name:
            if any(cells):
                warnings.append(f"{label}没有事项名称，已跳过。")
            continue
        seq = v.get("seq", "")
        lead_text, coop_text = v.get("lead", ""), v.get("cooperating", "")
        a, b = split_units(lead_text), split_units(coop_text)
        lead = _merge(a.lead, a.unmarked, b.lead)
        coop = tuple(u for u in _merge(a.cooperating, b.cooperating, b.unmarked) if u not in lead)
        if not lead and "lead" in roles:
            warnings.append(f"{label}的事项「{name[:30]}」没有责任处室。")
        rows.append(ParsedItem(seq=seq, name=name, category=category, lead=lead, cooperating=coop,
                               lead_text=lead_text, cooperating_text=coop_text, origin=label, cells=original))
    return rows
