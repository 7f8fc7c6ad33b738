"""What the loop draws over a page: the stale mark, notifications, the garbage alert.

Notifications are drawn last but for the stale mark, so one shows over the plain alert.

All of it is drawn on a copy of the page's picture, so a page renders only
when its own inputs change, while the overlay can come and go on its own.
The notify banner itself is drawn by :func:`matrix_client.pages.overlays.notify_overlay`
(a pure function of text, time and size; long text scrolls); the loop keeps
the latest banner layer and passes it in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from matrix_client.render.fonts import font_for
from matrix_client.render.text import clean, draw_text, wrap

STALE_COLOR = (255, 96, 0)
ALERT_COLOR = (0, 0, 0)
ALERT_BACKGROUND = (255, 200, 0)
ALERT_TEXT = "GARBAGE OUT"


@dataclass(frozen=True)
class Overlay:
    """Everything drawn over the page; equal overlays draw equal pixels.

    ``notify_step`` changes whenever the banner layer was redrawn (a scroll step).
    """

    stale: bool = False
    notify: str = ""
    alert: bool = False
    notify_step: int = 0
    notify_layer: Image.Image | None = field(default=None, compare=False)

    @property
    def empty(self) -> bool:
        return not (self.stale or self.notify or self.alert)


def _alert(image: Image.Image) -> None:
    width, height = image.size
    fnt = font_for("small")  # the project's 5x7 bitmap font: crisp on LEDs
    line = fnt.height + 1
    lines = wrap(clean(ALERT_TEXT), fnt, width - 2, max(1, height // line))
    ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), fill=ALERT_BACKGROUND)
    top = max(0, (height - line * len(lines)) // 2)
    for n, row in enumerate(lines):
        draw_text(image, (max(1, (width - fnt.width(row)) // 2), top + n * line), row, fnt,
                  ALERT_COLOR)


def compose(page: Image.Image, overlay: Overlay) -> Image.Image:
    """The picture to show: ``page`` itself when there is nothing to add, else a copy."""
    if overlay.empty:
        return page
    image = page.copy()
    if overlay.alert:
        _alert(image)
    if overlay.notify and overlay.notify_layer is not None:
        # Over the alert too: a critical notification must not wait behind "out".
        image.paste(overlay.notify_layer, (0, 0), overlay.notify_layer)  # RGBA banner
    if overlay.stale:
        # A 2x2 dot in the top right corner: visible across the room, covers no digit.
        width = image.size[0]
        ImageDraw.Draw(image).rectangle((width - 2, 0, width - 1, 1), fill=STALE_COLOR)
    return image
