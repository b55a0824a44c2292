"""The bounds every reader checks before it allocates: a file declares its own dimensions, merges, string counts and
unpacked sizes, and none of that is trusted. Each limit is far above what a real task or indicator table needs and
far below what would exhaust an office PC; going over one is a plain ImportFailed naming the file and the limit."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from ..errors import ImportFailed

__all__ = ["Limits", "LIMITS", "check_zip", "too_big"]


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 200 * 1024 * 1024
    """The largest file read at all (on disk)."""
    unpacked_bytes: int = 400 * 1024 * 1024
    """The sum of the sizes an xlsx/docx declares for its members once unpacked."""
    word_xml_bytes: int = 64 * 1024 * 1024
    """The unpacked size of a Word file's text (word/document.xml), which is parsed as a whole (a 1,000-page
    document has about 20 MB)."""
    zip_members: int = 20_000
    """Members of an xlsx/docx (a real one has a few dozen)."""
    zip_ratio: int = 200
    """Unpacked size over packed size above which a member larger than 16 MiB is a zip bomb (XML packs ~10-20x)."""
    cells: int = 2_000_000
    """Non-empty cells in one document."""
    columns: int = 512
    """Columns of one table that hold text (Word allows 63, a real Excel task table a few dozen)."""
    rows: int = 1_000_000
    """Rows of one table (Excel's own maximum is 1,048,576)."""
    dense_rows: int = 200_000
    """Up to this many rows from the first to the last filled one, empty rows are kept in place; beyond, dropped."""
    merges: int = 100_000
    """Merged ranges in one sheet."""
    merge_fill: int = 4_000_000
    """Cells a sheet's merged ranges may copy a value into, all together."""
    shared_strings: int = 2_000_000
    """Entries of an xlsx shared-strings table."""
    text_chars: int = 64_000_000
    """Characters of text kept from one document (shared strings, cells)."""
    cell_chars: int = 32_767
    """Characters in one cell (Excel's own limit); longer text is cut there with a warning."""
    span: int = 63
    """Columns one Word cell may span, and columns a Word row may skip (Word tables have at most 63 columns)."""


LIMITS = Limits()


def too_big(name: str, what: str, limit: int | float, unit: str = "") -> ImportFailed:
    """The one wording of a refused file: what it declares, and the bound it goes over."""
    bound = f"{limit:,}{unit}" if isinstance(limit, int) else f"{limit}{unit}"
    return ImportFailed(f"文件 {name} {what}，超出了可导入的上限（{bound}），可能已损坏或是恶意构造的文件，未导入。",
                        hint="如确是正常表格，请拆分成几个较小的文件后再导入。")


def check_zip(zf: zipfile.ZipFile, name: str, limits: Limits = LIMITS) -> None:
    """Refuse a zip whose declared contents exceed the bounds, before any member is unpacked.

    zipfile never returns more than a member's declared size (and checks its CRC at the end), so bounding the
    declared sizes bounds what reading can produce.
    """
    infos = zf.infolist()
    if len(infos) > limits.zip_members:
        raise too_big(name, f"包含 {len(infos):,} 个内部文件", limits.zip_members, " 个")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 16 * 1024 * 1024 and info.file_size > limits.zip_ratio * max(1, info.compress_size):
            raise too_big(name, f"内部文件 {info.filename} 解压后 {info.file_size / 2**20:,.0f} MiB，"
                                f"压缩比 {info.file_size // max(1, info.compress_size):,} 倍",
                          limits.zip_ratio, " 倍")
    if total > limits.unpacked_bytes:
        raise too_big(name, f"解压后共 {total / 2**20:,.0f} MiB", limits.unpacked_bytes // 2**20, " MiB")
