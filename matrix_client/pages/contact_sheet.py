"""Render every page at every panel size into one magnified PNG.

    python -m matrix_client.pages.contact_sheet docs/contact-sheet.png
    python -m matrix_client.pages.contact_sheet out.png --case stale --scale 4

Pages are drawn from the built-in sample state at its frozen time, so the
sheet changes only when a page's drawing changes. Installed plugins' pages are on
it too, drawn from their own samples.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from matrix_client.pages import registry
from matrix_client.pages.base import PageFrame, error_frame, render_checked
from matrix_client.pages.samples import CASES, SIZES, context
from matrix_client.render.fonts import font_for
from matrix_client.render.text import draw_text

BACKGROUND = (28, 28, 34)
LABEL = (200, 200, 200)
GRID = (10, 10, 10)

log = logging.getLogger("matrix_client.pages.contact_sheet")


def render_page(name: str, size: tuple[int, int], case: str = "") -> PageFrame:
    """One page at one size for one sample case (the same call the goldens use); the
    error card where the page fails, as on the panel."""
    spec = registry()[name]
    try:
        return render_checked(spec, context(case, size, page=name))
    except Exception as exc:  # noqa: BLE001 - one broken (plugin) page must not stop the sheet
        log.error("page %s at %dx%d failed: %s: %s", name, *size, type(exc).__name__, exc)
        return error_frame(*size, name)


def magnify(image: Image.Image, scale: int, gap: bool = True) -> Image.Image:
    """Nearest-neighbour enlargement; with ``gap``, a dark line between LEDs like a panel."""
    big = image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)
    if gap and scale >= 4:
        draw = ImageDraw.Draw(big)
        for x in range(0, big.width, scale):
            draw.line([(x, 0), (x, big.height - 1)], fill=GRID)
        for y in range(0, big.height, scale):
            draw.line([(0, y), (big.width - 1, y)], fill=GRID)
    return big


def sheet(names: list[str], case: str = "", scale: int = 4) -> Image.Image:
    """A grid: one row per page, one column per size, each cell labelled."""
    label_font = font_for("small")
    pad = 8
    label_h = label_font.height * 2 + 2
    col_w = [w * scale for w, _ in SIZES]
    row_h = max(h for _, h in SIZES) * scale + label_h + pad
    width = sum(col_w) + pad * (len(SIZES) + 1)
    height = row_h * len(names) + pad
    out = Image.new("RGB", (width, height), BACKGROUND)
    labels = Image.new("RGB", (width // 2 + 1, height // 2 + 1), BACKGROUND)
    for r, name in enumerate(names):
        x = pad
        y = pad + r * row_h
        for c, size in enumerate(SIZES):
            frame = render_page(name, size, case)
            out.paste(magnify(frame.image, scale), (x, y + label_h))
            text = f"{name}{'-' + case if case else ''} {size[0]}x{size[1]}"
            draw_text(labels, (x // 2, y // 2), text, label_font, LABEL)
            x += col_w[c] + pad
    # Labels are drawn at half scale and doubled, to stay legible next to the panels.
    big_labels = labels.resize((labels.width * 2, labels.height * 2), Image.Resampling.NEAREST)
    mask = big_labels.convert("L").point(lambda v: 255 if v > 40 else 0)
    out.paste(big_labels.crop((0, 0, width, height)), (0, 0), mask.crop((0, 0, width, height)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matrix_client.pages.contact_sheet",
        description="Render every page at every panel size (64x32, 128x32, 64x64, 128x64) "
        "into one magnified PNG, from the built-in sample state.",
    )
    parser.add_argument("out", type=Path, help="the PNG file to write")
    parser.add_argument(
        "--case",
        default="",
        choices=CASES,
        help="sample case: '' (normal, default), nodata, stale, missing, malformed, long",
    )
    parser.add_argument("--scale", type=int, default=4, help="pixels per LED (default 4)")
    parser.add_argument(
        "--pages", default="", help="comma-separated page names (default: every registered page)"
    )
    args = parser.parse_args(argv)
    names = [n for n in args.pages.split(",") if n] or list(registry())
    unknown = [n for n in names if n not in registry()]
    if unknown:
        print(f"contact_sheet: unknown page(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    image = sheet(names, args.case, max(1, args.scale))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out)
    print(f"{args.out}: {len(names)} pages x {len(SIZES)} sizes, {image.width}x{image.height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
