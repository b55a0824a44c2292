"""Draw the application icon: resources/icons/liaison-desk.png (256 px) and liaison-desk.ico (16–256 px).

A task sheet with ticked rows on a blue tile, and a red seal (the signature) over its corner. Each size is drawn
at four times its size and scaled down, so the small sizes stay sharp. Run again after changing the drawing:

    python tools/windows/make_icon.py            (needs Pillow, a dependency of the program)
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent.parent / "resources" / "icons"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

BLUE_TOP = (38, 92, 178)
BLUE_BOTTOM = (20, 56, 120)
SHEET = (255, 255, 255)
SHEET_EDGE = (206, 216, 232)
LINE = (150, 164, 188)
TICK = (34, 150, 84)
SEAL = (206, 36, 40)
CLIP = (242, 180, 40)


def draw(size: int) -> Image.Image:
    """The icon at ``size`` pixels; fewer rows and no clip below 32 px, where they would only blur."""
    s = size * 4
    u = s / 64  # the drawing is laid out on a 64-unit grid

    def pt(x: float, y: float) -> tuple[int, int]:
        return round(x * u), round(y * u)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return round(x0 * u), round(y0 * u), round(x1 * u), round(y1 * u)

    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    # The tile: a vertical gradient inside a rounded square.
    gradient = Image.new("RGBA", (s, s))
    gd = ImageDraw.Draw(gradient)
    for y in range(s):
        t = y / (s - 1)
        gd.line([(0, y), (s, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE_BOTTOM, strict=True)) + (255,))
    mask = Image.new("L", (s, s), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box(2, 2, 62, 62), radius=round(12 * u), fill=255)
    img.paste(gradient, (0, 0), mask)

    d = ImageDraw.Draw(img)
    small = size < 32
    # The sheet.
    d.rounded_rectangle(box(13, 10 if not small else 9, 47, 55), radius=round(3 * u), fill=SHEET,
                        outline=SHEET_EDGE, width=max(1, round(u)))
    if not small:
        d.rounded_rectangle(box(24, 6.5, 36, 13), radius=round(2 * u), fill=CLIP)
    rows = (19, 29, 39) if not small else (17, 27, 37)
    for y in rows:
        # A ticked box and the row's text line.
        w = max(1, round((2.4 if small else 2) * u))
        d.line([pt(16.5, y + 1), pt(19.5, y + 4), pt(24.5, y - 2)], fill=TICK, width=w, joint="curve")
        d.rounded_rectangle(box(27, y, 43 if y != rows[-1] else 36, y + 3), radius=round(1.5 * u), fill=LINE)
    # The seal: a red disc with a white ring and a white tick, over the sheet's lower right corner.
    d.ellipse(box(35, 36, 59, 60), fill=SEAL)
    if not small:
        d.ellipse(box(38, 39, 56, 57), outline=(255, 255, 255), width=max(1, round(1.6 * u)))
    d.line([pt(41.5, 48), pt(45.5, 52), pt(52.5, 43.5)], fill=(255, 255, 255),
           width=max(1, round(2.6 * u)), joint="curve")
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> int:
    ICONS.mkdir(parents=True, exist_ok=True)
    draw(256).save(ICONS / "liaison-desk.png", optimize=True)
    images = [draw(n) for n in ICO_SIZES]
    # Pillow writes the largest image given and scales it for the other sizes unless each is appended.
    images[-1].save(ICONS / "liaison-desk.ico", format="ICO", sizes=[(n, n) for n in ICO_SIZES],
                    append_images=images[:-1])
    print(f"wrote {ICONS / 'liaison-desk.png'} and {ICONS / 'liaison-desk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
