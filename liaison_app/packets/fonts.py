"""The Chinese TrueType font that PDF reports embed (as a subset): found once per process, checked, registered.

Order: a font the user named (argument or ``LIAISON_PDF_FONT``), a font bundled in resources/fonts, then the
system's (Windows: 微软雅黑/宋体/黑体; Linux: fontconfig; macOS: the usual files).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import LiaisonError

__all__ = ["FONT_ENV", "FontUnavailable", "PdfFont", "check_font", "pdf_font"]

FONT_ENV: Final = "LIAISON_PDF_FONT"
"""Environment variable naming a .ttf/.ttc font file to use instead of the system's."""

# Characters every report prints: if any is missing the reader would see empty boxes or lose numbers.
_PROBE_CJK: Final = "联络员工作台第页共任务已完成证据序号"
_PROBE_LATIN: Final = "0123456789ABCXYZabcxyz"

# Droid Sans Fallback passes a glyph check, yet its digits come out empty once subset by reportlab.
_REJECTED_FAMILIES: Final = ("droid sans fallback",)

_WINDOWS_FILES: Final = ("msyh.ttc", "msyh.ttf", "simsun.ttc", "simhei.ttf", "deng.ttf", "simkai.ttf", "simfang.ttf")
_MAC_FILES: Final = (
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)
# Only used when fontconfig is missing: TrueType CJK fonts that Linux distributions package.
_LINUX_FILES: Final = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "uming.ttc", "ukai.ttc")
_LINUX_DIRS: Final = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
_FC_FORMAT: Final = "%{file}\\t%{index}\\t%{family}\\t%{fontformat}\\n"


class FontUnavailable(LiaisonError):
    """No usable Chinese TrueType font: the message says which font to install or why the chosen one fails."""


@dataclass(frozen=True)
class PdfFont:
    """A checked font registered with reportlab."""

    name: str
    """The reportlab font name (use it as ``fontName``); bold/italic map to the same face."""
    path: Path
    """The font file."""
    subfont_index: int
    """The face inside a .ttc collection (0 for a .ttf)."""
    family: str
    """The font's own family name, such as ``WenQuanYi Micro Hei``."""


@dataclass(frozen=True)
class _Candidate:
    path: Path
    index: int | None
    """None: try every face of a collection in turn."""
    origin: str
    """configured / bundled / system: a configured font that fails is an error, a system one is skipped."""


class _Unusable(Exception):
    """A candidate that cannot be used; the message is the plain reason shown to the user."""


_lock = threading.Lock()
_cache: dict[tuple[str, int | None] | None, PdfFont] = {}


def _family(font: TTFont) -> str:
    raw = getattr(font.face, "familyName", b"") or getattr(font.face, "name", b"")
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _load(path: Path, index: int) -> TTFont:
    """Parse one face and check it can print a report; raise _Unusable with the reason otherwise."""
    name = f"LiaisonCJK-{zlib.crc32(f'{path}#{index}'.encode()):08x}"
    if not path.is_file():
        raise _Unusable("文件不存在" if not path.exists() else "它不是一个文件")
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except OSError as exc:
        raise _Unusable(f"无法读取（{exc.strerror or exc}）") from exc
    except Exception as exc:
        # reportlab raises TTFError for fonts it cannot embed, but a damaged file can make its parser fail with
        # struct.error, IndexError and the like: all mean "not a usable font", never a crash.
        text = str(exc).lower()
        if "postscript outlines" in text or _sfnt_tag(path) == b"OTTO":
            raise _Unusable("它是 OpenType（CFF 轮廓）字体，生成 PDF 时无法嵌入这种字体") from exc
        raise _Unusable("它不是可用的 TrueType 字体文件") from exc
    family = _family(font)
    if family.strip().lower() in _REJECTED_FAMILIES:
        raise _Unusable(f"{family} 嵌入 PDF 后会丢失数字")
    glyphs = getattr(font.face, "charToGlyph", None) or {}
    missing = [ch for ch in _PROBE_CJK + _PROBE_LATIN if not glyphs.get(ord(ch))]
    if missing:
        kinds = []
        if any(ch in _PROBE_CJK for ch in missing):
            kinds.append("中文")
        if any(ch.isdigit() for ch in missing):
            kinds.append("数字")
        if any(ch.isalpha() and ch.isascii() for ch in missing):
            kinds.append("英文字母")
        raise _Unusable(f"它缺少{'、'.join(kinds)}字形")
    return font


def _sfnt_tag(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(4)
    except OSError:
        return b""


def _faces(path: Path) -> int:
    """How many faces the file holds (1 unless it is a TrueType collection)."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
    except OSError:
        return 1
    if head[:4] == b"ttcf" and len(head) == 12:
        return max(1, min(int.from_bytes(head[8:12], "big"), 64))
    return 1


def check_font(path: str | os.PathLike[str], subfont_index: int | None = None) -> tuple[TTFont, int]:
    """Load a font file and check it embeds and has Chinese, digits and Latin letters; return it with the face
    index used. Without ``subfont_index`` every face of a .ttc is tried. Raises FontUnavailable saying why not."""
    p = Path(path).expanduser()
    try:
        return _first_usable(p, subfont_index)
    except _Unusable as exc:
        raise FontUnavailable(
            f"字体文件 {p} 不能用于生成 PDF：{exc}。",
            hint="请选择含中文的 TrueType 字体（.ttf 或 .ttc），例如文泉驿微米黑 wqy-microhei.ttc、微软雅黑 msyh.ttc 或宋体 simsun.ttc。",
        ) from None


def _first_usable(path: Path, index: int | None) -> tuple[TTFont, int]:
    if index is not None:
        return _load(path, index), index
    first: _Unusable | None = None
    for i in range(_faces(path)):
        try:
            return _load(path, i), i
        except _Unusable as exc:
            first = first or exc
    assert first is not None
    raise first


def _bundled() -> Iterator[_Candidate]:
    from .. import paths

    try:
        folder = paths.resources_dir() / "fonts"
    except FileNotFoundError:
        return
    if folder.is_dir():
        for f in sorted(folder.iterdir()):
            if f.suffix.lower() in (".ttf", ".ttc"):
                yield _Candidate(f, None, "bundled")


def _windows() -> Iterator[_Candidate]:
    folders = [Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows") / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    for name in _WINDOWS_FILES:
        for folder in folders:
            if (folder / name).is_file():
                # Face 0 of msyh.ttc and simsun.ttc is the ordinary one (微软雅黑, 宋体).
                yield _Candidate(folder / name, 0, "system")


def _fontconfig(cff_seen: list[str]) -> Iterator[_Candidate] | None:
    """Chinese fonts as fontconfig ranks them (fc-match's choice first); None when fontconfig is missing."""
    lines: list[str] = []
    try:
        for args in (["fc-match", "-f", _FC_FORMAT, ":lang=zh-cn"], ["fc-list", "-f", _FC_FORMAT, ":lang=zh"]):
            run = subprocess.run(args, capture_output=True, text=True, timeout=20, check=False)
            lines += run.stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return None

    def generate() -> Iterator[_Candidate]:
        seen: set[tuple[str, int]] = set()
        for line in lines:
            parts = line.split("\t")
            if len(parts) < 4 or not parts[0]:
                continue
            file, index, family, fmt = parts[0], parts[1], parts[2], parts[3]
            key = (file, int(index) if index.isdigit() else 0)
            if key in seen:
                continue
            seen.add(key)
            if fmt.strip().upper() == "CFF" or file.lower().endswith(".otf"):
                cff_seen.append(family.split(",")[0] or Path(file).name)
                continue
            if any(r in family.lower() for r in _REJECTED_FAMILIES):
                continue
            yield _Candidate(Path(file), key[1], "system")

    return generate()


def _linux_files() -> Iterator[_Candidate]:
    for folder in _LINUX_DIRS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for name in _LINUX_FILES:
            for f in sorted(root.rglob(name)):
                yield _Candidate(f, 0, "system")


def _system(cff_seen: list[str]) -> Iterator[_Candidate]:
    if sys.platform == "win32":
        yield from _windows()
        return
    if sys.platform == "darwin":
        for f in _MAC_FILES:
            if Path(f).is_file():
                yield _Candidate(Path(f), None, "system")
    found = _fontconfig(cff_seen)
    yield from found if found is not None else _linux_files()


def _not_found(cff_seen: list[str], tried: list[str]) -> FontUnavailable:
    if sys.platform == "win32":
        hint = (r"请确认 C:\Windows\Fonts 中有微软雅黑（msyh.ttc）、宋体（simsun.ttc）或黑体（simhei.ttf）"
                "（可在“设置 → 时间和语言 → 语言”中为中文（简体）安装“补充字体”），"
                f"或用环境变量 {FONT_ENV} 指定一个 .ttf/.ttc 中文字体文件。")
    elif sys.platform == "darwin":
        hint = f"请用环境变量 {FONT_ENV} 指定一个 TrueType 中文字体文件（.ttf 或 .ttc），例如 STHeiti Light.ttc。"
    else:
        hint = ("请安装 fonts-wqy-microhei（sudo apt install fonts-wqy-microhei），"
                f"或用环境变量 {FONT_ENV} 指定一个 .ttf/.ttc 中文字体文件。")
    message = "找不到可以嵌入 PDF 的中文 TrueType 字体，无法生成 PDF 报告。"
    if cff_seen:
        names = "、".join(dict.fromkeys(cff_seen[:3]))
        message += f"系统中的 {names} 是 OpenType（CFF 轮廓）字体，无法嵌入 PDF。"
    elif tried:
        message += f"已检查：{'；'.join(tried[:3])}。"
    return FontUnavailable(message, hint=hint)


def _register(font: TTFont, path: Path, index: int) -> PdfFont:
    pdfmetrics.registerFont(font)
    # One face for every style, so a <b> in a Paragraph never falls back to a font without Chinese.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(font.fontName, bold, italic, font.fontName)
    return PdfFont(name=font.fontName, path=path, subfont_index=index, family=_family(font))


def pdf_font(configured: str | os.PathLike[str] | None = None) -> PdfFont:
    """Resolve and register the report font (cached per process).

    ``configured`` (else ``$LIAISON_PDF_FONT``) names a .ttf/.ttc the user chose: if it cannot be used that is an
    error, not a silent fallback. Raises FontUnavailable with what to install when nothing fits.
    """
    chosen = os.fspath(configured) if configured is not None else (os.environ.get(FONT_ENV) or None)
    key = (str(Path(chosen).expanduser()), None) if chosen else None
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        if chosen:
            path = Path(chosen).expanduser()
            font, index = check_font(path)
            result = _register(font, path, index)
        else:
            result = _discover()
        _cache[key] = result
        return result


def _discover() -> PdfFont:
    cff_seen: list[str] = []
    tried: list[str] = []
    for cand in (*_bundled(), *_system(cff_seen)):
        try:
            font, index = _first_usable(cand.path, cand.index)
        except _Unusable as exc:
            if str(exc).startswith("它是 OpenType"):
                cff_seen.append(cand.path.name)
            tried.append(f"{cand.path.name}：{exc}")
            continue
        return _register(font, cand.path, index)
    raise _not_found(cff_seen, tried)
