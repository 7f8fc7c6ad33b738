"""Pictures drawn over whatever page is showing: the ``notify`` banner.

For the render loop::

    from matrix_client.pages.overlays import notify_overlay

    overlay = notify_overlay(text, now, (width, height))
    picture = page_image.copy()
    picture.paste(overlay.image, (0, 0), overlay.image)   # RGBA, transparent outside
    # redraw no later than overlay.ttl seconds from now (a long text scrolls)

``notify_overlay(text: str, now: datetime, size: tuple[int, int]) -> Overlay``
is pure like a page: the same text, time and size give the same pixels. Text
that fits is wrapped on up to as many lines as the panel holds and stays
still (``ttl`` inf); text that does not fit scrolls on one line (``ttl`` is the
time to the next step). Any text is accepted (cleaned to what the fonts
draw); an empty text gives a fully transparent overlay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from PIL import Image

from matrix_client.render import colors
from matrix_client.render.fonts import font_for
from matrix_client.render.layout import fill, frame, line_text
from matrix_client.render.text import clean, wrap

BACKGROUND = (0, 0, 90)
BORDER = (90, 130, 255)
TEXT = colors.WHITE


@dataclass(frozen=True)
class Overlay:
    """An RGBA picture the size of the panel (alpha 0 where the page shows through)."""

    image: Image.Image
    ttl: float = math.inf


def notify_overlay(text: str, now: datetime, size: tuple[int, int]) -> Overlay:
    width, height = max(1, int(size[0])), max(1, int(size[1]))
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    message = clean(text, 600)
    if not message:
        return Overlay(image)
    tall = height >= 64
    fnt = font_for("medium" if tall and width >= 128 else "small")
    line_h = fnt.height + 1
    max_lines = max(1, (height - 4) // line_h)
    inner = width - 4
    lines = wrap(message, fnt, inner, max_lines)
    scrolls = " ".join(lines) != message and fnt.width(message) > inner
    shown = 1 if scrolls else len(lines)
    box_h = shown * line_h + 3
    top = max(0, (height - box_h) // 2)
    rgb = Image.new("RGB", (width, height))
    fill(rgb, (0, top, width, box_h), BACKGROUND)
    frame(rgb, (0, top, width, box_h), BORDER)
    ttl = math.inf
    if scrolls:
        ttl = line_text(rgb, (2, top + 2, inner, fnt.height), message, fnt, TEXT, now=now)
    else:
        for i, line in enumerate(lines):
            line_text(
                rgb, (2, top + 2 + i * line_h, inner, fnt.height), line, fnt, TEXT, align="center"
            )
    mask = Image.new("L", (width, height), 0)
    fill_mask = Image.new("L", (width, box_h), 255)
    mask.paste(fill_mask, (0, top))
    image.paste(rgb, (0, 0), mask)
    return Overlay(image, ttl)
