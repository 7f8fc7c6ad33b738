"""What the loop draws over a page: the stale mark, notifications, the garbage alert.

All of it is drawn on a copy of the page's picture, so a page renders only
when its own inputs change, while the overlay can come and go on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from matrix_client.render.fonts import font_for
from matrix_client.render.text import clean, draw_text, wrap

STALE_COLOR = (255, 96, 0)
NOTIFY_COLOR = (255, 255, 255)
NOTIFY_BACKGROUND = (0, 0, 96)
ALERT_COLOR = (0, 0, 0)
ALERT_BACKGROUND = (255, 200, 0)
ALERT_TEXT = "GARBAGE OUT"


@dataclass(frozen=True)
class Overlay:
    """Everything drawn over the page; equal overlays draw equal pixels."""

    stale: bool = False
    notify: str = ""
    alert: bool = False

    @property
    def empty(self) -> bool:
        return not (self.stale or self.notify or self.alert)


def _text_box(image: Image.Image, text: str, color, background) -> None:
    width, height = image.size
    fnt = font_for("small")  # the project's 5x7 bitmap font: crisp on LEDs
    line = fnt.height + 1
    lines = wrap(clean(text), fnt, width - 2, max(1, height // line))
    ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), fill=background)
    top = max(0, (height - line * len(lines)) // 2)
    for n, row in enumerate(lines):
        draw_text(image, (max(1, (width - fnt.width(row)) // 2), top + n * line), row, fnt,
                  color)


def compose(page: Image.Image, overlay: Overlay) -> Image.Image:
    """The picture to show: ``page`` itself when there is nothing to add, else a copy."""
    if overlay.empty:
        return page
    image = page.copy()
    if overlay.alert:
        _text_box(image, ALERT_TEXT, ALERT_COLOR, ALERT_BACKGROUND)
    elif overlay.notify:
        _text_box(image, overlay.notify, NOTIFY_COLOR, NOTIFY_BACKGROUND)
    if overlay.stale:
        # A 2x2 dot in the top right corner: visible across the room, covers no digit.
        width = image.size[0]
        ImageDraw.Draw(image).rectangle((width - 2, 0, width - 1, 1), fill=STALE_COLOR)
    return image
