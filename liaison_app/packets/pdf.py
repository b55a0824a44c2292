"""The packet's PDF report: A4, Chinese, readable printed in black and white, with an outline and page numbers.

It only reads a PacketContent (see content.gather); the font is a Chinese TrueType face embedded as a subset.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final
from xml.sax.saxutils import escape, unescape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from .. import cases as case_api
from .. import glossary as g
from ..errors import InputError
from ..fsutil import replace_with_retry
from ..jobs import ProgressFn, report
from ..model import ROLE_LABELS, STATUS_LABELS, CaseStatus, DueState, Status
from .content import CaseEntry, EvidenceEntry, PacketContent, TaskEntry
from .fonts import pdf_font
from .guide import guide_blocks
from .signing import SignatureBox

__all__ = ["PdfOptions", "RenderedPdf", "render_report", "render_pdf", "render_pdf_bytes"]

APP_NAME: Final = "联络员工作台"

_PAGE_W, _PAGE_H = A4
_MARGIN_X: Final = 16 * mm
_MARGIN_TOP: Final = 21 * mm
_MARGIN_BOTTOM: Final = 18 * mm
_WIDTH: Final = _PAGE_W - 2 * _MARGIN_X

_INK: Final = colors.black
_GREY_TEXT: Final = colors.Color(0.35, 0.35, 0.35)
_RULE: Final = colors.Color(0.45, 0.45, 0.45)
_HEAD_FILL: Final = colors.Color(0.85, 0.85, 0.85)
_STRIPE: Final = colors.Color(0.955, 0.955, 0.955)
_CODE_FILL: Final = colors.Color(0.93, 0.93, 0.93)

# Grey levels and a stripe pattern instead of hues, so the chart survives a black-and-white printer.
_DONE_FILL: Final = colors.Color(0.25, 0.25, 0.25)
_NA_FILL: Final = colors.Color(0.78, 0.78, 0.78)

# Chinese line-breaking rules (禁则). reportlab's CJK breaking lets a mark that may not start a line hang past the
# right edge instead, so 「。」 and 「，」 crossed cell borders, and it does not stop 「（」 ending a line. The breaker
# below keeps every line inside its width: at a break it moves back over marks that may not start a line and
# openers that may not end one, and keeps Latin words and numbers whole where it can.
NO_LINE_START: Final = "，。、；：？！）」』】〕》〉”’…％%,.;:?!)]}·—"
NO_LINE_END: Final = "（「『【〔《〈“‘([{"
_FUZZ: Final = 1e-6


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_./@#:")


def _break_lines(chars: Sequence[str], widths: Sequence[float], hard: Sequence[bool],
                 max_widths: Sequence[float]) -> list[tuple[int, int, float, bool]]:
    """(start, end, width used, ended by a hard break) of each line of ``chars`` under the rules above."""
    out: list[tuple[int, int, float, bool]] = []
    start, n = 0, len(chars)
    while start < n:
        max_width = max_widths[min(len(out), len(max_widths) - 1)]
        used, i, forced = 0.0, start, False
        while i < n:
            if hard[i]:
                i += 1
                forced = True
                break
            if used + widths[i] > max_width + _FUZZ and i > start:
                break
            used += widths[i]
            i += 1
        end = i
        if not forced and end < n:
            # Move the break back while the next line would start with a closing mark or this one end with an
            # opening mark; never to the line's first glyph (a column one glyph wide has no choice).
            b = end
            while b > start + 1 and (chars[b] in NO_LINE_START or chars[b - 1] in NO_LINE_END):
                b -= 1
            if chars[b] not in NO_LINE_START and chars[b - 1] not in NO_LINE_END:
                end = b
            # A Latin word or number cut in two: break before it, when it does not fill the line alone.
            if _is_word_char(chars[end - 1]) and _is_word_char(chars[end]):
                w = end - 1
                while w > start and _is_word_char(chars[w - 1]):
                    w -= 1
                while w > start + 1 and chars[w - 1] in NO_LINE_END:  # （Linux moves as one
                    w -= 1
                if w > start and chars[w - 1] not in NO_LINE_END and chars[w] not in NO_LINE_START:
                    end = w
            used = sum(widths[start:end])
        out.append((start, end, used, forced))
        start = end
    return out


def _kinsoku_frag_split(frags: list[Any], maxWidths: Sequence[float], calcBounds: bool,
                        encoding: str = "utf8") -> Any:
    """reportlab's cjkFragSplit (paragraphs with markup) under the Chinese rules."""
    glyphs: list[Any] = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if text:
            glyphs.extend(_rl_paragraph.cjkU(ch, f, encoding) for ch in text)
        else:
            glyphs.append(_rl_paragraph.cjkU(text, f, encoding))
    chars = [str(g) for g in glyphs]
    widths = [float(g.width) for g in glyphs]
    hard = [hasattr(g.frag, "lineBreak") for g in glyphs]
    lines = []
    for n, (start, end, used, forced) in enumerate(_break_lines(chars, widths, hard, maxWidths)):
        max_width = maxWidths[min(n, len(maxWidths) - 1)]
        lines.append(_rl_paragraph.makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used, forced,
                                                   calcBounds))
    return _rl_paragraph.ParaLines(kind=1, lines=lines)


def _kinsoku_word_split(word: str, maxWidths: Sequence[float] | float, fontName: str, fontSize: float,
                        encoding: str = "utf8") -> list[list[Any]]:
    """reportlab's wordSplit (a plain paragraph in one font) under the Chinese rules: [[extra space, text], …]."""
    if isinstance(word, bytes):
        word = word.decode(encoding)
    limits: Sequence[float] = maxWidths if isinstance(maxWidths, list | tuple) else [float(maxWidths)]  # type: ignore[arg-type]
    widths = [stringWidth(ch, fontName, fontSize) for ch in word]
    out: list[list[Any]] = []
    for n, (start, end, used, _forced) in enumerate(_break_lines(word, widths, [False] * len(word), limits)):
        max_width = limits[min(n, len(limits) - 1)]
        out.append([max_width - used, word[start:end].strip()])
    return out


# Process-wide, like reportlab's own tables of marks: every CJK-wrapped paragraph in this program breaks this way.
_rl_paragraph.cjkFragSplit = _kinsoku_frag_split
_rl_paragraph.wordSplit = _kinsoku_word_split
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START += "".join(ch for ch in NO_LINE_START if ch not in _module.ALL_CANNOT_START)
_rl_textsplit.ALL_CANNOT_END += "".join(ch for ch in NO_LINE_END if ch not in _rl_textsplit.ALL_CANNOT_END)

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_GRID_LABELS: Final = {"final": "已定稿", "draft": "草稿", "missing": g.CASE_MISSING, "future": "未到"}
_CHART_ROWS_PER_DRAWING: Final = 32
"""A drawing cannot split across pages, so a long group list becomes several charts of this many rows."""
_CELL_TEXT_LIMIT: Final = 700
"""Longer task texts are cut in the checklist (a table row cannot be taller than a page); the details keep all."""


@dataclass(frozen=True)
class PdfOptions:
    """How the PDF report is drawn."""

    font_path: str | os.PathLike[str] | None = None
    """A .ttf/.ttc font file the user chose; None: ``$LIAISON_PDF_FONT``, else the system's Chinese font."""
    thumbnails: bool = True
    """Show a small preview next to every image evidence file, and the first page of every PDF."""
    thumbnail_px: int = 240
    """Long side of a preview, in pixels. Previews are re-encoded as JPEG so 200 photos stay a few megabytes."""
    thumbnail_quality: int = 70
    """JPEG quality (1–95) of the previews."""
    thumbnail_box_mm: float = 28.0
    """The largest a preview is printed, in millimetres (long side)."""


# ----- entry points ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    """An ordinary (non-incremental) PDF, ready to be signed."""
    signature_box: SignatureBox | None
    """Where the last page leaves room for the visible signature (None when the content has no signer)."""


def render_pdf_bytes(content: PacketContent, *, progress: ProgressFn | None = None,
                     options: PdfOptions | None = None) -> bytes:
    """The report as the bytes of an ordinary (non-incremental) PDF, ready to be signed."""
    return render_report(content, progress=progress, options=options).data


def render_report(content: PacketContent, *, progress: ProgressFn | None = None,
                  options: PdfOptions | None = None) -> RenderedPdf:
    """The report, with the place of the visible signature."""
    opts = options or PdfOptions()
    chosen = pdf_font(opts.font_path)
    font = chosen.name
    report(progress, 0, None, "正在准备 PDF 报告")
    builder = _Builder(content, font, opts)
    story = builder.story()
    thumbs = builder.thumbnails
    total = len(thumbs) + len(story) + 1
    for n, thumb in enumerate(thumbs, start=1):
        thumb.load(opts)
        report(progress, n, total, f"缩略图 {n}/{len(thumbs)}：{thumb.entry.evidence.original_name}")
    buf = io.BytesIO()
    doc = _Document(buf, content, font, on_progress=_LayoutProgress(progress, len(thumbs), total, len(story)))
    doc.build(story, canvasmaker=_canvas_maker(font))
    report(progress, total, total, "PDF 报告已生成")
    box = None
    if builder.signature_place is not None and builder.signature_place.where is not None:
        page, rect = builder.signature_place.where
        box = SignatureBox(page=page, rect=rect, font_path=Path(chosen.path), font_index=chosen.subfont_index,
                           unit=content.department)
    return RenderedPdf(buf.getvalue(), box)


def render_pdf(content: PacketContent, out: BinaryIO | str | os.PathLike[str], *,
               progress: ProgressFn | None = None, options: PdfOptions | None = None) -> None:
    """Write the report to a binary stream or a file (a file is replaced only once the report is complete)."""
    data = render_pdf_bytes(content, progress=progress, options=options)
    if not isinstance(out, str | os.PathLike):
        out.write(data)
        return
    target = Path(out)
    tmp_name = ""
    try:
        with tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=".report-", suffix=".tmp",
                                         delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
        replace_with_retry(tmp_name, target)
    except OSError as exc:
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)
        raise InputError(f"无法写入 PDF 报告 {target}：{exc.strerror or exc}。") from exc


# ----- text helpers ----------------------------------------------------------------------------------------------
def _text(value: object) -> str:
    """Paragraph markup for plain user text: XML-escaped, control characters dropped, line breaks kept."""
    cleaned = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return escape(cleaned.strip()).replace("\n", "<br/>")


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(text: str, font: str, size: float, width: float) -> tuple[str, bool]:
    """``text`` shortened with an ellipsis to fit ``width`` points; and whether it was shortened."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text, False
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…", True


_TAG: Final = re.compile(r"<[^>]+>")


def _plain(cell: Any) -> list[str]:
    """The lines of a table cell's text (markup dropped) for measuring."""
    if isinstance(cell, Paragraph):
        text = cell.text.replace("<br/>", "\n")
        return [unescape(line) for line in _TAG.sub("", text).split("\n")]
    if isinstance(cell, str):
        return cell.split("\n")
    if isinstance(cell, list):
        return [line for item in cell for line in _plain(item)]
    return []


def _content_widths(rows: Sequence[Sequence[Any]], font: str, size: float, *, flex: int,
                    caps: Sequence[float], total: float = 0.0, padding: float = 6.0) -> list[float]:
    """Column widths from what the columns hold: each as wide as its widest line (up to its cap), the ``flex``
    column takes what is left. Where that leaves the flex column under a third of the table, the others give
    way in proportion."""
    total = total or _WIDTH
    natural = [0.0] * len(caps)
    for row in rows:
        for col, cell in enumerate(row):
            if col == flex:
                continue
            for line in _plain(cell):
                natural[col] = max(natural[col], stringWidth(line, font, size) + padding + 0.5)
    widths = [min(w, cap) if cap else w for w, cap in zip(natural, caps, strict=True)]
    widths[flex] = 0.0
    rest = total - sum(widths)
    if rest < total / 3:
        scale = (total * 2 / 3) / max(sum(widths), 1)
        widths = [w * scale for w in widths]
        rest = total - sum(widths)
    widths[flex] = rest
    return widths


def _num(value: float | None) -> str:
    return "—" if value is None else f"{round(value, 2):g}"


def _percent(part: int, whole: int) -> str:
    return f"{int(part * 100 / whole + 0.5) if whole else 0}%"  # half up: 4 of 32 is 13%, as people round


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB" if n >= 10 * 1024 else f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else "—"


def _ev_date(e: EvidenceEntry) -> str:
    return _date(e.evidence.evidence_date) if e.evidence.evidence_date else e.evidence.added_at[:10]


def _fingerprint(hex_digest: str) -> list[str]:
    """AB:CD:… as ``openssl x509 -fingerprint -sha256`` prints it, in lines of 16 bytes."""
    pairs = [hex_digest[i:i + 2].upper() for i in range(0, len(hex_digest), 2)]
    return [":".join(pairs[i:i + 16]) for i in range(0, len(pairs), 16)]


# ----- styles ------------------------------------------------------------------------------------------------------
class _Styles:
    """The paragraph styles of one report, all in the embedded Chinese font with CJK line breaking."""

    def __init__(self, font: str) -> None:
        def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            kw.setdefault("wordWrap", "CJK")
            kw.setdefault("textColor", _INK)
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)

        self.font = font
        self.body = style("body", 9.5, 14.5, spaceAfter=3)
        self.small = style("small", 8, 11, textColor=_GREY_TEXT)
        self.cell = style("cell", 8, 10.5)
        self.cell_small = style("cell_small", 7, 9, textColor=_GREY_TEXT)
        self.cell_center = style("cell_center", 8, 10.5, alignment=TA_CENTER)
        self.head = style("head", 8, 10.5, alignment=TA_CENTER)
        self.h1 = style("h1", 17, 23, spaceBefore=2, spaceAfter=8, keepWithNext=1)
        self.h2 = style("h2", 12.5, 17, spaceBefore=10, spaceAfter=5, keepWithNext=1)
        self.h3 = style("h3", 10.5, 14.5, spaceBefore=9, spaceAfter=3, keepWithNext=1)
        self.h4 = style("h4", 9.5, 13, spaceBefore=5, spaceAfter=1, keepWithNext=1, textColor=_GREY_TEXT)
        self.meta = style("meta", 8.5, 12.5, textColor=_GREY_TEXT, spaceAfter=3, keepWithNext=1)
        self.cover_bureau = style("cover_bureau", 16, 22, alignment=TA_CENTER)
        self.cover_title = style("cover_title", 26, 36, alignment=TA_CENTER, spaceBefore=10, spaceAfter=6)
        self.cover_sub = style("cover_sub", 14, 20, alignment=TA_CENTER, textColor=_GREY_TEXT)
        # Commands break at spaces only, so a copied command keeps its words whole.
        self.code = style("code", 8.5, 12.5, wordWrap=None, backColor=_CODE_FILL, borderPadding=(4, 5, 4, 5),
                          leftIndent=5, rightIndent=5, spaceBefore=5, spaceAfter=9)
        self.note_box = style("note_box", 9, 13.5, borderColor=_RULE, borderWidth=0.6, borderPadding=6,
                              spaceBefore=8, spaceAfter=10, leftIndent=6, rightIndent=6)


def _table_style(font: str, *, header_rows: int = 1, stripes: bool = True, size: float = 8) -> list[Any]:
    cmds: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, _RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), _HEAD_FILL),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 1.0, _INK),
        ]
    if stripes:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, _STRIPE]))
    return cmds


# ----- flowables ---------------------------------------------------------------------------------------------------
class _Para(Paragraph):
    """A Paragraph that keeps its line breaks for the width it was last laid out at. A long table wraps every cell
    to measure rows, again after each page split and again to draw; breaking Chinese text glyph by glyph is the
    report's main cost, and the result cannot change while the width stays the same."""

    _laid_out_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Paragraph.split drops blPara when it gives up on a split: then the lines must be broken again.
        if availWidth == self._laid_out_at and "blPara" in self.__dict__:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        if height != 0x7FFFFFFF:  # reportlab's "does not fit at all" answer is not a layout
            self._laid_out_at = availWidth
        return width, height

    _CHUNK_LINES: Final = 40
    """A paragraph longer than this many lines is split into paragraphs of this many lines (at its own line breaks)."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # reportlab splits a paragraph into "what fits" and "the rest", and lays the rest out again from scratch:
        # one very long task text cost the square of its length. Cut at the lines already broken instead, so each
        # piece is laid out once more at most and only the piece that meets the page end is split again.
        lines = getattr(self.__dict__.get("blPara"), "lines", None)
        step = self._CHUNK_LINES
        if availWidth != self._laid_out_at or not lines or len(lines) <= 2 * step:
            return list(super().split(availWidth, availHeight))
        func = self._get_split_blParaFunc()
        blPara = self.__dict__["blPara"]
        style = self.style
        first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
        middle = ParagraphStyle(f"{style.name}-cont", parent=style, spaceBefore=0, spaceAfter=0, firstLineIndent=0)
        last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0, firstLineIndent=0)
        pieces: list[Flowable] = []
        for start in range(0, len(lines), step):
            stop = min(start + step, len(lines))
            piece_style = first if start == 0 else last if stop == len(lines) else middle
            piece = _Para(None, piece_style, bulletText=self.bulletText if start == 0 else None,
                          frags=func(blPara, start, stop))
            if stop != len(lines):  # a piece's last line is a line inside the paragraph: justify it as such
                end = lines[stop - 1]
                piece._JustifyLast = not getattr(end, "lineBreak", False)
            pieces.append(piece)
        return pieces


class _Outline(Flowable):
    """Zero-size marker before a heading: a bookmark at that spot and an entry in the PDF outline."""

    def __init__(self, key: str, title: str, level: int, *, closed: bool = False) -> None:
        super().__init__()
        self.key, self.title, self.level, self.closed = key, title, level, closed
        self.keepWithNext = 1  # travels with its heading to the next page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.closed or None)


def _pdf_first_page(path: Path, px: int) -> Any:
    """The first page of a PDF as a picture whose long side is ``px`` (PDFium, through pypdfium2)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[0]
        try:
            width, height = page.get_size()
            bitmap = page.render(scale=px / max(width, height, 1.0))
            return bitmap.to_pil()
        finally:
            page.close()
    finally:
        doc.close()


class _Thumbnail:
    """An image or PDF evidence file's preview: made once per file content, before layout, so progress can count it."""

    def __init__(self, entry: EvidenceEntry) -> None:
        self.entry = entry
        self.jpeg: bytes | None = None
        self.size: tuple[int, int] = (0, 0)
        self.failed = False

    def load(self, opts: PdfOptions) -> None:
        from PIL import Image as PILImage
        from PIL import ImageOps

        try:
            if self.entry.is_pdf:
                pic = _pdf_first_page(self.entry.path, opts.thumbnail_px)
            else:
                with PILImage.open(self.entry.path) as im:
                    # JPEG decodes straight at 1/2…1/8 scale: a 12-megapixel photo costs a fraction of a full decode.
                    im.draft("RGB", (opts.thumbnail_px, opts.thumbnail_px))
                    pic = ImageOps.exif_transpose(im)
                    pic.thumbnail((opts.thumbnail_px, opts.thumbnail_px), PILImage.Resampling.BICUBIC)
            if pic.mode not in ("RGB", "L"):
                rgba = pic.convert("RGBA")
                pic = PILImage.new("RGB", rgba.size, "white")
                pic.paste(rgba, mask=rgba.getchannel("A"))
            out = io.BytesIO()
            pic.save(out, "JPEG", quality=max(1, min(95, opts.thumbnail_quality)), optimize=True)
        except Exception:
            # Evidence comes from the user's disk: a truncated, mislabelled or hostile file makes Pillow or PDFium raise
            # all sorts of errors. The file is still listed; it only goes without a preview.
            self.failed = True
            return
        self.jpeg, self.size = out.getvalue(), pic.size

    def flowable(self, box: float, style: ParagraphStyle) -> Flowable:
        if self.jpeg is None:
            return Paragraph("（无法生成预览）" if self.failed else "—", style)
        w, h = self.size
        scale = box / max(w, h, 1)
        return Image(io.BytesIO(self.jpeg), width=w * scale, height=h * scale)


class _Preview(Flowable):
    """A table cell showing a thumbnail: the story is built before the thumbnails are made, so the picture (or
    the "no preview" text) is only chosen when the table is laid out."""

    def __init__(self, thumb: _Thumbnail, box: float, style: ParagraphStyle) -> None:
        super().__init__()
        self.thumb, self.box, self.style = thumb, box, style
        self._inner: Flowable | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._inner is None:
            self._inner = self.thumb.flowable(self.box, self.style)
        self.width, self.height = self._inner.wrap(min(availWidth, self.box), availHeight)
        return self.width, self.height

    def draw(self) -> None:
        assert self._inner is not None
        self._inner.drawOn(self.canv, 0, 0)


class _SignaturePlace(Flowable):
    """An empty framed area on the last page where the signing step draws the visible signature; it notes the
    page and rectangle it was laid out at."""

    def __init__(self, width: float, height: float, font: str) -> None:
        super().__init__()
        self.width, self.height, self.font = width, height, font
        self.where: tuple[int, tuple[float, float, float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.where = (canvas.getPageNumber() - 1, (x, y, x + self.width, y + self.height))
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        pass  # the signing step fills it


# ----- the document ------------------------------------------------------------------------------------------------
class _PageTotalCanvas(Canvas):
    """Draws "共 N 页" through one form object filled in at save time, when N is known: a single layout pass."""

    FORM: Final = "liaisonPageTotal"

    def __init__(self, *args: Any, total_font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._total_font = total_font
        self._pages = 0

    def showPage(self) -> None:
        self._pages += 1
        super().showPage()

    def save(self) -> None:
        if self._code:
            self.showPage()
        self.beginForm(self.FORM, lowerx=-2, lowery=-4, upperx=120, uppery=12)
        self.setFont(self._total_font, 8)
        self.setFillColor(_GREY_TEXT)
        self.drawString(0, 0, f"{self._pages} 页")
        self.endForm()
        super().save()


def _canvas_maker(font: str) -> Callable[..., Canvas]:
    def make(*args: Any, **kwargs: Any) -> Canvas:
        return _PageTotalCanvas(*args, total_font=font, **kwargs)

    return make


class _LayoutProgress:
    """Turns "flowables left" during layout into progress calls, at most one per page or every 25 flowables."""

    def __init__(self, progress: ProgressFn | None, before: int, total: int, story_len: int) -> None:
        self.progress, self.before, self.total, self.story_len = progress, before, total, story_len
        self.done, self.calls, self.page = 0, 0, 0
        self.section = ""

    def __call__(self, remaining: int, page: int) -> None:
        if self.progress is None:
            return
        self.done = max(self.done, self.story_len - remaining)
        self.calls += 1
        if page != self.page or self.calls % 25 == 0:
            self.page = page
            where = f"（{self.section}）" if self.section else ""
            report(self.progress, self.before + self.done, self.total, f"排版：第 {page} 页{where}")


class _Document(BaseDocTemplate):
    def __init__(self, out: BinaryIO, content: PacketContent, font: str, *, on_progress: _LayoutProgress) -> None:
        c = content
        title = f"{c.bureau} {c.department} {c.period.label}“一网通办”工作材料".strip()
        super().__init__(
            out, pagesize=A4, leftMargin=_MARGIN_X, rightMargin=_MARGIN_X, topMargin=_MARGIN_TOP,
            bottomMargin=_MARGIN_BOTTOM, title=title, author=c.liaison, creator=APP_NAME,
            subject=f"{c.department}{c.period.label}任务清单、佐证材料、月度案例与考核自评",
            keywords=f"一网通办, {c.department}, {c.period.slug}", lang="zh-CN", initialFontName=font,
            pageCompression=1,
        )
        self.content, self.font, self.on_progress = c, font, on_progress
        self._story: list[Any] = []
        frame = Frame(_MARGIN_X, _MARGIN_BOTTOM, _WIDTH, _PAGE_H - _MARGIN_TOP - _MARGIN_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([
            PageTemplate(id="cover", frames=[frame], onPage=self._cover_page),
            PageTemplate(id="body", frames=[frame], onPage=self._body_page),
        ])

    def handle_flowable(self, flowables: list[Any]) -> None:
        first = flowables[0] if flowables else None
        super().handle_flowable(flowables)
        if flowables is not self._story:
            return  # reportlab also handles page-begin lists of its own; only the story measures progress
        if isinstance(first, _Outline) and first.level == 0:
            self.on_progress.section = first.title
        self.on_progress(len(flowables), self.page)

    def build(self, flowables: list[Any], filename: Any = None, canvasmaker: Any = Canvas) -> None:
        self._story = flowables
        super().build(flowables, filename, canvasmaker)

    # Page furniture: the header names unit and period on every page after the cover; the footer numbers pages.
    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.showOutline()
        self._footer(canv, doc)

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        c = self.content
        canv.saveState()
        top = _PAGE_H - 12 * mm
        canv.setFont(self.font, 8)
        canv.setFillColor(_GREY_TEXT)
        left, _ = _fit(f"{c.bureau}　{c.department}".strip(), self.font, 8, _WIDTH * 0.6)
        canv.drawString(_MARGIN_X, top, left)
        canv.drawRightString(_PAGE_W - _MARGIN_X, top, f"{c.period.label}“一网通办”工作材料")
        canv.setStrokeColor(_RULE)
        canv.setLineWidth(0.5)
        canv.line(_MARGIN_X, top - 3, _PAGE_W - _MARGIN_X, top - 3)
        canv.restoreState()
        self._footer(canv, doc)

    def _footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        c = self.content
        canv.saveState()
        base = 10 * mm
        canv.setStrokeColor(_RULE)
        canv.setLineWidth(0.5)
        canv.line(_MARGIN_X, base + 9, _PAGE_W - _MARGIN_X, base + 9)
        canv.setFont(self.font, 8)
        canv.setFillColor(_GREY_TEXT)
        who = f"联络员：{c.liaison}　" if c.liaison else ""
        canv.drawString(_MARGIN_X, base, f"{who}生成于 {c.generated_at:%Y-%m-%d %H:%M}　{APP_NAME}")
        # "第 X 页 共 " here, "N 页" from the form filled in at save: left-aligned in a box wide enough for 9999.
        start = _PAGE_W - _MARGIN_X - stringWidth("第 9999 页 共 9999 页", self.font, 8)
        head = f"第 {doc.page} 页 共 "
        canv.drawString(start, base, head)
        canv.translate(start + stringWidth(head, self.font, 8), base)
        canv.doForm(_PageTotalCanvas.FORM)
        canv.restoreState()


# ----- the content ---------------------------------------------------------------------------------------------------
class _Builder:
    """Turns the packet content into the story of flowables, section by section."""

    def __init__(self, content: PacketContent, font: str, opts: PdfOptions) -> None:
        self.c = content
        self.font = font
        self.opts = opts
        self.s = _Styles(font)
        self.thumbnails: list[_Thumbnail] = []
        self.signature_place: _SignaturePlace | None = None
        self._thumb_by_sha: dict[str, _Thumbnail] = {}
        self._by_task_id = {t.task.id: t for t in content.tasks}
        many_sources = len({t.task.source_id for t in content.tasks}) > 1
        self._source_label = {s.id: s.doc_number or _cut(s.title or s.file_name, 18) for s in content.sources}
        self._qualify = many_sources
        month = content.today.strftime("%Y-%m")
        self._grid = {k: ("future" if k > month and v == "missing" else v) for k, v in content.year_grid.items()}

    # -- helpers --
    def _p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        return _Para(_text(text), style or self.s.body)

    def _heading(self, text: str, style: ParagraphStyle, key: str, level: int,
                 outline: str | None = None, *, closed: bool = False) -> list[Flowable]:
        return [_Outline(key, outline or text, level, closed=closed), _Para(_text(text), style)]

    def _task_ref(self, t: TaskEntry, *, prefix: str = "序号 ") -> str:
        """序号 5; with tasks from several documents (where 序号 repeat) also the document: 序号 5（沪松环〔2023〕14号）."""
        seq = t.task.seq or str(t.task.id)
        if self._qualify and t.task.source_id in self._source_label:
            return f"{prefix}{seq}（{self._source_label[t.task.source_id]}）"
        return f"{prefix}{seq}"

    def _seq_cell(self, t: TaskEntry) -> Paragraph:
        text = _text(t.task.seq or str(t.task.id))
        if self._qualify and t.task.source_id in self._source_label:
            text += f'<br/><font size="6.5" color="#595959">{_text(self._source_label[t.task.source_id])}</font>'
        return _Para(text, self.s.cell)

    def _thumb(self, e: EvidenceEntry) -> _Thumbnail | None:
        if not (self.opts.thumbnails and (e.is_image or e.is_pdf)):
            return None
        sha = e.evidence.sha256
        if sha not in self._thumb_by_sha:
            self._thumb_by_sha[sha] = _Thumbnail(e)
            self.thumbnails.append(self._thumb_by_sha[sha])
        return self._thumb_by_sha[sha]

    def story(self) -> list[Flowable]:
        out = self.cover()
        sections: Sequence[Callable[[], list[Flowable]]] = (
            self.summary, self.checklist, self.task_details, self.case_reports, self.indicator_table,
            self.evidence_index, self.verification,
        )
        for make in sections:
            out += [NextPageTemplate("body"), PageBreak()]
            out += make()
        return out

    # -- cover --
    def cover(self) -> list[Flowable]:
        c, s = self.c, self.s
        counts = c.status_counts
        overdue, soon = len(c.overdue), len(c.due_soon)
        out: list[Flowable] = [_Outline("cover", "封面", 0), Spacer(1, 12 * mm)]
        if c.bureau:
            out.append(self._p(c.bureau, s.cover_bureau))
        out += [
            self._p("“一网通办”工作材料", s.cover_title),
            self._p(f"{c.department}　{c.period.label}", s.cover_sub),
            Spacer(1, 10 * mm),
        ]
        signer = (f"{c.signer.name}（{c.signer.department}）" if c.signer else "未签名")
        info = [
            ("单位", f"{c.bureau}　{c.department}".strip()),
            ("联络员", c.liaison or "—"),
            ("报告期间", f"{c.period.label}（{c.period.start.isoformat()} 至 {c.period.end.isoformat()}）"),
            ("统计截至", c.today.isoformat()),
            ("生成时间", f"{c.generated_at:%Y-%m-%d %H:%M}"),
            ("签名人", signer),
        ]
        rows = [[self._p(k, s.cell), self._p(v, s.cell)] for k, v in info]
        t = Table(rows, colWidths=[28 * mm, 110 * mm], hAlign="CENTER")
        t.setStyle(TableStyle(_table_style(self.font, header_rows=0, stripes=False) + [
            ("BACKGROUND", (0, 0), (0, -1), _HEAD_FILL)]))
        out += [t, Spacer(1, 6 * mm)]

        labels = [STATUS_LABELS[st] for st in Status] + ["合计", "已逾期", "即将到期"]
        values = [str(counts[st]) for st in Status] + [str(len(c.tasks)), str(overdue), str(soon)]
        grid = Table([[self._p(x, s.head) for x in labels], [self._p(v, s.cell_center) for v in values]],
                     colWidths=[_WIDTH * 0.8 / 7] * 7, hAlign="CENTER")
        grid.setStyle(TableStyle(_table_style(self.font, stripes=False)))
        out += [self._p("任务完成情况（项）", s.h4), grid, Spacer(1, 6 * mm)]
        if c.sources:
            out.append(self._p("依据文件", s.h4))
            for src in c.sources:
                out.append(self._p(f"{src.title or src.file_name}{'　' + src.doc_number if src.doc_number else ''}",
                                   s.small))
        state = ("本报告已由签名人电子签名" if c.signer else "本报告未签名")
        out += [Spacer(1, 4 * mm), self._p(f"{state}；核验方法见最后一页“核验说明”。", s.small),
                Spacer(1, 6 * mm), self._review_block()]
        return out

    def _review_block(self) -> Flowable:
        """Where the section head reviews, signs and stamps the printed packet (offices print and stamp it)."""
        s = self.s
        blank = ""
        gap = "&nbsp;"
        date_line = Paragraph(f"{gap * 10}年{gap * 6}月{gap * 6}日", s.cell)  # room to write the date by hand
        rows = [
            [self._p("科室负责人审核意见", s.cell), blank, blank, blank],
            [self._p("科室负责人签字", s.cell), blank, self._p("日期", s.cell), date_line],
            [self._p("科室盖章", s.cell), blank, self._p("日期", s.cell), date_line],
        ]
        widths = [32 * mm, 0.0, 14 * mm, 40 * mm]
        widths[1] = _WIDTH - sum(widths)
        t = Table(rows, colWidths=widths, rowHeights=[24 * mm, 13 * mm, 30 * mm], hAlign="CENTER")
        t.setStyle(TableStyle(_table_style(self.font, header_rows=0, stripes=False) + [
            ("SPAN", (1, 0), (3, 0)), ("BACKGROUND", (0, 0), (0, -1), _HEAD_FILL),
            ("BACKGROUND", (2, 1), (2, -1), _HEAD_FILL), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BOX", (0, 0), (-1, -1), 0.9, _INK)]))
        return KeepTogether([self._p("审核与盖章", s.h4), t])

    # -- summary --
    def summary(self) -> list[Flowable]:
        c, s = self.c, self.s
        out = self._heading("一、概况", s.h1, "summary", 0, "概况")
        counts = c.status_counts
        n = max(len(c.tasks), 1)
        rows = [[self._p(x, s.head) for x in ("状态", "任务数", "占比")]]
        for st in Status:
            rows.append([STATUS_LABELS[st], str(counts[st]), _percent(counts[st], n)])
        rows.append(["合计", str(len(c.tasks)), "100%"])
        t = Table(rows, colWidths=[30 * mm, 22 * mm, 22 * mm], hAlign="LEFT")
        t.setStyle(TableStyle(_table_style(self.font) + [("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                                                         ("LINEABOVE", (0, -1), (-1, -1), 0.9, _INK)]))
        closed = counts[Status.DONE] + counts[Status.NA]
        out += [self._p("任务状态", s.h2), t, Spacer(1, 3),
                self._p(f"已办结（已完成或不涉及）{closed} 项，占 {_percent(closed, n)}。", s.small)]

        out += [self._p("各任务组进展", s.h2)] + self._group_chart()
        out += self._due_list("已逾期的任务", "", c.overdue, "没有逾期的任务。")
        out += self._due_list("即将到期的任务", f"时限在 {c.soon_days} 天内", c.due_soon, "没有即将到期的任务。")
        out += [self._p(f"月度案例：{c.period.year} 年各月", s.h2), self._year_grid()]
        drafts = f"，{g.DRAFT_LEFT_OUT} {g.count(len(c.drafts), g.CASE)}" if c.drafts else ""
        out += [self._p(f"本期月度案例：已定稿 {g.count(len(c.cases), g.CASE)}{drafts}", s.h3)]
        if c.drafts:
            out.append(self._p("下列月度案例还是草稿，没有放进本材料包；定稿后重新生成材料包即可纳入。", s.small))
            out += [self._p(f"{int(d.month[5:])}月　{d.title}（{g.DRAFT_LEFT_OUT}）", s.body) for d in c.drafts]
        scored = sum(1 for i in c.indicators if i.self_score is not None)
        out += [
            self._p("考核指标自评", s.h2),
            self._p(f"自评总分 {_num(c.self_score_total)} 分，满分 {_num(c.max_score_total)} 分"
                    f"（本科室涉及 {len(c.indicators)} 项指标，已自评 {scored} 项）。详见“考核指标自评”。"),
        ]
        return out

    def _group_rows(self) -> list[tuple[str, dict[Status, int]]]:
        groups: dict[str, dict[Status, int]] = {}
        for t in self.c.tasks:
            counts = groups.setdefault(t.task.group or "（未分组）", dict.fromkeys(Status, 0))
            counts[t.status] += 1
        return list(groups.items())

    def _group_chart(self) -> list[Flowable]:
        rows = self._group_rows()
        if not rows:
            return [self._p("没有任务。")]
        font = self.font
        label_w, count_w, row_h, bar_h = 165.0, 62.0, 15.0, 9.0
        bar_w = _WIDTH - label_w - count_w
        legend: list[tuple[int, str]] = []
        out: list[Flowable] = []
        for start in range(0, len(rows), _CHART_ROWS_PER_DRAWING):
            chunk = rows[start:start + _CHART_ROWS_PER_DRAWING]
            top_pad = 20.0 if start == 0 else 4.0
            d = Drawing(_WIDTH, len(chunk) * row_h + top_pad + 4, initialFontName=font, initialFontSize=8)
            if start == 0:
                self._chart_legend(d, label_w, d.height - 11)
            for i, (name, counts) in enumerate(chunk):
                number = start + i + 1
                y = d.height - top_pad - (i + 1) * row_h
                label, cut = _fit(f"{number}. {name}", font, 8, label_w - 8)
                if cut:
                    legend.append((number, name))
                d.add(String(0, y + 4, label, fontName=font, fontSize=8, fillColor=_INK))
                total = sum(counts.values()) or 1
                x = label_w
                for st in (Status.DONE, Status.NA, Status.DOING, Status.TODO):
                    w = bar_w * counts[st] / total
                    if w > 0:
                        self._segment(d, x, y + 2, w, bar_h, st)
                    x += w
                d.add(Rect(label_w, y + 2, bar_w, bar_h, fillColor=None, strokeColor=_INK, strokeWidth=0.6))
                closed = counts[Status.DONE] + counts[Status.NA]
                d.add(String(label_w + bar_w + 6, y + 4, f"{closed}/{total}　{_percent(closed, total)}",
                             fontName=font, fontSize=8, fillColor=_INK))
            out.append(d)
        out.append(self._p("条形按任务数分段：深灰＝已完成，浅灰＝不涉及，竖线＝进行中，空白＝未开始；右侧为已办结/任务数。",
                           self.s.small))
        if legend:
            out.append(self._p("图中名称过长已缩写，完整名称：", self.s.small))
            out += [self._p(f"{n}. {name}", self.s.small) for n, name in legend]
        return out

    def _segment(self, d: Drawing, x: float, y: float, w: float, h: float, st: Status) -> None:
        if st is Status.DONE:
            d.add(Rect(x, y, w, h, fillColor=_DONE_FILL, strokeColor=None))
        elif st is Status.NA:
            d.add(Rect(x, y, w, h, fillColor=_NA_FILL, strokeColor=None))
        elif st is Status.DOING:
            d.add(Rect(x, y, w, h, fillColor=colors.white, strokeColor=None))
            step = 2.5
            pos = x + step / 2
            while pos < x + w:
                d.add(Line(pos, y, pos, y + h, strokeColor=_INK, strokeWidth=0.6))
                pos += step
        if w > 0 and st is not Status.TODO:
            d.add(Line(x + w, y, x + w, y + h, strokeColor=_INK, strokeWidth=0.4))

    def _chart_legend(self, d: Drawing, x: float, y: float) -> None:
        for st in (Status.DONE, Status.NA, Status.DOING, Status.TODO):
            self._segment(d, x, y, 14, 8, st)
            d.add(Rect(x, y, 14, 8, fillColor=None, strokeColor=_INK, strokeWidth=0.6))
            label = STATUS_LABELS[st]
            d.add(String(x + 18, y + 1, label, fontName=self.font, fontSize=8, fillColor=_INK))
            x += 24 + stringWidth(label, self.font, 8) + 8

    def _due_list(self, title: str, note: str, tasks: Sequence[TaskEntry], empty: str) -> list[Flowable]:
        s = self.s
        out: list[Flowable] = [self._p(f"{title}：{g.count(len(tasks), g.TASK)}" + (f"（{note}）" if note else ""),
                                       s.h2)]
        if not tasks:
            return out + [self._p(empty, s.small)]
        rows: list[list[Any]] = [[self._p(x, s.head) for x in ("序号", "任务内容", "时限", "状态", "角色")]]
        for t in tasks:
            rows.append([
                self._seq_cell(t),
                self._p(_cut(t.task.content, 90), s.cell),
                self._p(f"{t.task.deadline.text}（{_date(t.task.deadline.date)}）", s.cell),
                STATUS_LABELS[t.status], ROLE_LABELS[t.role],
            ])
        table = LongTable(rows, colWidths=[26 * mm, _WIDTH - 104 * mm, 38 * mm, 22 * mm, 18 * mm], repeatRows=1)
        table.setStyle(TableStyle(_table_style(self.font)))
        return out + [table]

    def _year_grid(self) -> Flowable:
        s = self.s
        keys = sorted(self._grid)
        head = [self._p(f"{int(k[5:])}月", s.head) for k in keys]
        body = [self._p(_GRID_LABELS.get(self._grid[k], self._grid[k]), s.cell_center) for k in keys]
        t = Table([head, body], colWidths=[_WIDTH / max(len(keys), 1)] * len(keys))
        cmds = _table_style(self.font, stripes=False)
        for col, k in enumerate(keys):
            state = self._grid[k]
            if state == "final":
                cmds.append(("BACKGROUND", (col, 1), (col, 1), _NA_FILL))
            elif state == "missing":
                # A heavy frame marks a gap, so it shows up on a grey-scale print too.
                cmds.append(("BOX", (col, 1), (col, 1), 1.6, _INK))
        t.setStyle(TableStyle(cmds))
        final = sum(1 for v in self._grid.values() if v == "final")
        draft = sum(1 for v in self._grid.values() if v == "draft")
        missing = sum(1 for v in self._grid.values() if v == "missing")
        note = self._p(f"已定稿 {final} 个月，仅有草稿 {draft} 个月，{g.CASE_MISSING} {missing} 个月"
                       f"（灰底＝已定稿，粗框＝{g.CASE_MISSING}）。", s.small)
        return KeepTogether([t, Spacer(1, 3), note])

    # -- checklist --
    def checklist(self) -> list[Flowable]:
        c, s = self.c, self.s
        out = self._heading("二、任务清单", s.h1, "checklist", 0, "任务清单")
        out.append(self._p(f"{c.department}在本期依据文件中承担的任务共 {len(c.tasks)} 项，状态截至 "
                           f"{c.today.isoformat()}。“佐证材料”为本材料包所附的份数（括号内为该任务的全部佐证材料份数）。",
                           s.small))
        out.append(Spacer(1, 4))
        # 序号 as wide as the widest one needs (（二十三） or 2.1.3), up to a limit; the task text takes the rest.
        seq_width = max((stringWidth(t.task.seq, self.font, 8) + 6.5 for t in c.tasks), default=0.0)
        widths = [min(max(26.0, seq_width), 56.0), 88, 0, 26, 50, 36, 50, 40]
        widths[2] = _WIDTH - sum(widths)
        headers = ("序号", "任务名称", "任务内容", "角色", "时限", "状态", "完成日期", "佐证材料（份）")
        rows: list[list[Any]] = [[self._p(h, s.head) for h in headers]]
        cmds = _table_style(self.font)
        current_source: int | None | str = "none"
        sources = {x.id: x for x in c.sources}
        for t in c.tasks:
            if self._qualify and t.task.source_id != current_source:
                current_source = t.task.source_id
                src = sources.get(t.task.source_id) if t.task.source_id is not None else None
                label = (f"依据：{src.title or src.file_name}{'（' + src.doc_number + '）' if src.doc_number else ''}"
                         if src else "依据：其他")
                rows.append([self._p(label, s.cell)] + [""] * 7)
                r = len(rows) - 1
                cmds += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), _HEAD_FILL)]
            deadline = t.task.deadline.text or "—"
            if t.due is DueState.OVERDUE:
                deadline += "\n已逾期"
            elif t.due is DueState.DUE_SOON:
                deadline += "\n即将到期"
            # A plain string costs far less to lay out than a Paragraph; only a deadline too wide for its column
            # ("2023 年 6 月底前完成并持续推进") needs wrapping.
            fits = all(stringWidth(line, self.font, 8) <= widths[4] - 6 for line in deadline.split("\n"))
            deadline_cell: Any = deadline if fits else self._p(deadline, s.cell)
            ev = str(len(t.evidence))
            if t.evidence_total > len(t.evidence):
                ev += f"\n（{t.evidence_total}）"
            content = t.task.content
            if len(content) > _CELL_TEXT_LIMIT:
                content = content[: _CELL_TEXT_LIMIT - 1] + "…（全文见任务说明）"
            rows.append([
                (t.task.seq if stringWidth(t.task.seq, self.font, 8) + 6 <= widths[0] else self._p(t.task.seq, s.cell))
                if t.task.seq else "—",
                self._p(_cut(t.task.group, 120), s.cell),
                self._p(content, s.cell),
                ROLE_LABELS[t.role],
                deadline_cell,
                STATUS_LABELS[t.status],
                _date(t.completed_on) if t.completed_on else "",
                ev,
            ])
        table = LongTable(rows, colWidths=widths, repeatRows=1)
        cmds += [("ALIGN", (-1, 1), (-1, -1), "CENTER"), ("ALIGN", (3, 1), (3, -1), "CENTER")]
        table.setStyle(TableStyle(cmds))
        out.append(table)
        return out

    def _needs_detail(self, t: TaskEntry) -> bool:
        return bool(t.note.strip() or t.evidence or len(t.task.content) > _CELL_TEXT_LIMIT)

    # -- task details --
    def task_details(self) -> list[Flowable]:
        s = self.s
        out = self._heading("三、任务说明与佐证材料", s.h1, "details", 0, "任务说明与佐证材料", closed=True)
        tasks = [t for t in self.c.tasks if self._needs_detail(t)]
        if not tasks:
            return out + [self._p("本期没有填写说明或附有佐证材料的任务。")]
        out.append(self._p(f"以下 {len(tasks)} 项任务填写了说明或附有佐证材料。", s.small))
        for t in tasks:
            ref = self._task_ref(t)
            out += self._heading(f"{ref}　{_cut(t.task.group, 40)}", s.h3, f"task-{t.task.id}", 1,
                                 f"{ref} {_cut(t.task.content, 24)}")
            state = STATUS_LABELS[t.status]
            if t.completed_on:
                state += f"（{t.completed_on.isoformat()}）"
            if t.due is DueState.OVERDUE:
                state += "，已逾期"
            meta = (f"状态：{state} | 角色：{ROLE_LABELS[t.role]} | 时限：{t.task.deadline.text or '—'}"
                    f" | 牵头：{'、'.join(t.task.lead) or '—'}")
            out += [self._p(meta, s.meta), self._p(t.task.content, s.body)]
            if t.note.strip():
                out += [self._p(g.NOTE, s.h4), self._p(t.note)]
            if t.evidence:
                out += [self._p(f"佐证材料（{g.count(len(t.evidence), g.EVIDENCE)}）", s.h4),
                        self._evidence_table(t.evidence)]
            if t.evidence_total > len(t.evidence):
                out.append(self._p(f"另有 {g.count(t.evidence_total - len(t.evidence), g.EVIDENCE)}佐证材料的日期不在本期，"
                                   "未随本材料包提交。", s.small))
        return out

    def _evidence_table(self, entries: Iterable[EvidenceEntry]) -> Flowable:
        s = self.s
        box = self.opts.thumbnail_box_mm * mm
        rows: list[list[Any]] = [[self._p(h, s.head) for h in ("预览", "文件", "大小", "日期", "SHA-256（前 16 位）")]]
        for e in entries:
            thumb = self._thumb(e)
            name = [self._p(e.evidence.original_name, s.cell), self._p(e.packet_name, s.cell_small)]
            if e.evidence.note:
                name.append(self._p(e.evidence.note, s.cell_small))
            preview: Any = _Preview(thumb, box, s.cell_small) if thumb else "—"
            rows.append([preview, name, _size(e.evidence.size), _ev_date(e), e.evidence.sha256[:16]])
        table = LongTable(rows, colWidths=[box + 8, _WIDTH - box - 8 - 150 - 48, 48, 56, 94], repeatRows=1)
        table.setStyle(TableStyle(_table_style(self.font, stripes=False) + [
            ("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (2, -1), "RIGHT")]))
        return table

    # -- monthly reports --
    def case_reports(self) -> list[Flowable]:
        c, s = self.c, self.s
        out = self._heading("四、月度做法经验与案例", s.h1, "cases", 0, "月度做法经验与案例")
        if not c.cases:
            return out + [self._p(f"{c.period.label}没有月度做法经验或案例。")]
        for entry in c.cases:
            out += self._case(entry)
        return out

    def _case(self, entry: CaseEntry) -> list[Flowable]:
        s = self.s
        case = entry.case
        year, month = case.month.split("-")
        kind = case_api.KIND_LABELS.get(case.kind, str(case.kind))
        title = f"{year}年{int(month)}月　{kind}：{case.title}"
        out = self._heading(title, s.h2, f"case-{case.id}", 1, _cut(f"{int(month)}月 {case.title}", 30))
        status = case_api.STATUS_LABELS.get(case.status, str(case.status))
        if case.status is CaseStatus.FINAL and case.finalised_on:
            status += f"（{case.finalised_on.isoformat()}）"
        refs = [self._task_ref(self._by_task_id[tid]) for tid in case.task_ids if tid in self._by_task_id]
        meta = f"状态：{status} | 第 {case.revision} 版"
        if refs:
            meta += f" | 关联任务：{'，'.join(refs)}"
        out.append(self._p(meta, s.meta))
        parts = [("背景", case.background), ("做法", case.practice), ("成效", case.effect), ("正文", case.body)]
        filled = [(label, text) for label, text in parts if text.strip()]
        for label, text in filled:
            if len(filled) > 1 or label != "正文":
                out.append(self._p(label, s.h4))
            out += [self._p(para) for para in text.split("\n") if para.strip()]
        if entry.attachments:
            out += [self._p(f"附件（{g.count(len(entry.attachments), g.EVIDENCE)}）", s.h4),
                    self._evidence_table(entry.attachments)]
        return out

    # -- indicators --
    def indicator_table(self) -> list[Flowable]:
        c, s = self.c, self.s
        out = self._heading("五、考核指标自评", s.h1, "indicators", 0, "考核指标自评")
        if not c.indicators:
            return out + [self._p("本科室没有涉及的考核指标。")]
        out.append(self._p(f"{c.department}涉及的考核指标 {len(c.indicators)} 项。满分为本科室在该项可得的最高分"
                           "（几项共用一个分值的，按份额计）。", s.small))
        out.append(Spacer(1, 4))
        rows: list[list[Any]] = [[self._p(h, s.head) for h in ("考核内容", "一级指标", "二级指标", "满分", "自评分", "状态")]]
        for e in c.indicators:
            ind = e.indicator
            cat = ind.category + (f"（{_num(ind.category_score)}分）" if ind.category_score is not None else "")
            lv1 = ind.level1 + (f"（{_num(ind.level1_score)}分）" if ind.level1_score is not None else "")
            second: list[Paragraph] = [self._p(ind.level2, s.cell)]
            if e.note.strip():
                second.append(self._p(f"{g.NOTE}：{e.note}", s.cell_small))
            rows.append([self._p(cat, s.cell), self._p(lv1, s.cell), second, _num(e.max_score),
                         _num(e.self_score), STATUS_LABELS[e.status]])
        rows.append(["合计", "", "", _num(c.max_score_total), _num(c.self_score_total), ""])
        widths = [80, 96, 0, 40, 42, 44]
        widths[2] = _WIDTH - sum(widths)
        table = LongTable(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_table_style(self.font) + [
            ("ALIGN", (3, 1), (4, -1), "RIGHT"), ("SPAN", (0, -1), (2, -1)),
            ("LINEABOVE", (0, -1), (-1, -1), 1.0, _INK), ("BACKGROUND", (0, -1), (-1, -1), _HEAD_FILL)]))
        out.append(table)
        return out

    # -- evidence index --
    def evidence_index(self) -> list[Flowable]:
        c, s = self.c, self.s
        out = self._heading("六、证据索引", s.h1, "evidence", 0, "证据索引")
        if not c.evidence:
            return out + [self._p("本材料包没有证据文件。")]
        total = sum(e.evidence.size for e in c.evidence)
        out.append(self._p(f"材料包 evidence/ 文件夹中共 {g.count(len(c.evidence), g.EVIDENCE)}佐证材料，合计 {_size(total)}。"
                           "完整的 SHA-256 见材料包中的 manifest.json 和 SHA256SUMS。", s.small))
        out.append(Spacer(1, 4))
        rows: list[list[Any]] = [[self._p(h, s.head) for h in ("序号", "材料包内文件", "关联", "大小", "日期", "SHA-256（前 16 位）")]]
        for n, e in enumerate(c.evidence, start=1):
            if e.task_seqs:
                linked = "任务 " + "、".join(e.task_seqs)
            else:
                kinds = {k for k, _ in e.evidence.links}
                linked = "月度案例" if "case" in kinds else "考核指标" if "indicator" in kinds else "—"
            rows.append([str(n), self._p(e.packet_name.removeprefix("evidence/"), s.cell), self._p(linked, s.cell),
                         _size(e.evidence.size), _ev_date(e), e.evidence.sha256[:16]])
        widths = _content_widths(rows, self.font, 8, flex=1, caps=[40, 0, 150, 60, 60, 100])
        table = LongTable(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_table_style(self.font) + [("ALIGN", (3, 1), (3, -1), "RIGHT")]))
        out.append(table)
        return out

    # -- how to verify --
    def verification(self) -> list[Flowable]:
        """The same instructions as 核验说明.txt (guide.py), with the signer's details and the signature."""
        c, s = self.c, self.s
        out: list[Flowable] = []
        for block in guide_blocks(c):
            if block.kind == "title":
                out += self._heading(block.text, s.h1, "verify", 0, block.text)
            elif block.kind == "heading":
                out.append(self._p(block.text, s.h2))
            elif block.kind in ("command", "fingerprint"):
                out.append(self._code(block.text))
            else:
                out.append(self._p(block.text))
        out.append(self._p("签名人", s.h2))
        if c.signer:
            sig = c.signer
            rows = [["姓名", sig.name], ["科室", sig.department],
                    ["证书 SHA-256 指纹", Paragraph("<br/>".join(_fingerprint(sig.fingerprint_sha256)), s.cell)]]
            if sig.not_after:
                rows.append(["证书有效期至", f"{sig.not_after:%Y-%m-%d}"])
            t = Table(rows, colWidths=[34 * mm, _WIDTH - 34 * mm], hAlign="LEFT")
            t.setStyle(TableStyle(_table_style(self.font, header_rows=0, stripes=False, size=9) + [
                ("BACKGROUND", (0, 0), (0, -1), _HEAD_FILL)]))
            self.signature_place = _SignaturePlace(110 * mm, 34 * mm, self.font)
            out.append(KeepTogether([t, Spacer(1, 8), self._p("电子签名（签名人、科室、签名时间、证书指纹）", s.h4),
                                     self.signature_place]))
        else:
            out.append(self._p("本报告生成时未签名。", s.note_box))
        out += [Spacer(1, 6), self._p(f"本报告由{APP_NAME}于 {c.generated_at:%Y-%m-%d %H:%M} 生成。", s.small)]
        return out

    def _code(self, command: str) -> Paragraph:
        return Paragraph(escape(command), self.s.code)
