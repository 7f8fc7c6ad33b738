"""Pictures drawn over whatever page is showing: the ``notify`` banner and card.

For the render loop::

    from matrix_client.pages.overlays import notify_overlay

    overlay = notify_overlay(text, now, (width, height), level="warning", icon="rain")
    picture = page_image.copy()
    picture.paste(overlay.image, (0, 0), overlay.image)   # RGBA, transparent outside
    # redraw no later than overlay.ttl seconds from now (a long text scrolls, blink flashes)

``notify_overlay(text, now, size, level="info", icon="", blink=False) -> Overlay``
is pure like a page: the same arguments give the same pixels. It is drawn with
the widget layer: a box with the level's colours holding the icon (a name of
the icon set, drawn at the line's height) and the text.

- ``info`` and ``warning``: a band across the middle of the panel (blue, amber).
  Text that fits is wrapped on up to as many lines as the panel holds and stays
  still; text that does not fit scrolls on one line (``ttl`` is the time to the
  next step).
- ``critical``: a red card over the whole panel, so the page is interrupted.
- ``blink``: every other half second the box is drawn in its border colour
  with dark text (a flash without sound; ``ttl`` at most the next half second).

Any text is accepted (cleaned to what the fonts draw); an empty text gives a
fully transparent overlay; an unknown level draws as info, an unknown icon as
the "unknown" cloud.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from PIL import Image

from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.fonts import font_for
from matrix_client.render.text import clean, wrap
from matrix_client.render.widgets import Box, Icon, Marquee, Row, Text, Widget, draw

BACKGROUND = (0, 0, 90)  # info
BORDER = (90, 130, 255)
TEXT = colors.WHITE


@dataclass(frozen=True)
class Look:
    background: Color
    border: Color
    text: Color = TEXT


LOOKS = {
    "info": Look(BACKGROUND, BORDER),
    "warning": Look((80, 45, 0), (255, 170, 0)),
    "critical": Look((110, 0, 0), (255, 40, 40)),
}
BLINK_HALF_PERIOD = 0.5  # seconds on, then as long flashed


@dataclass(frozen=True)
class Overlay:
    """An RGBA picture the size of the panel (alpha 0 where the page shows through)."""

    image: Image.Image
    ttl: float = math.inf


def _flashed(now: datetime) -> tuple[bool, float]:
    """(is this the flashed half of the blink, seconds to the next half)."""
    t = now.timestamp()
    phase = math.floor(t / BLINK_HALF_PERIOD)
    return phase % 2 == 1, (phase + 1) * BLINK_HALF_PERIOD - t


def notify_overlay(text: str, now: datetime, size: tuple[int, int], level: str = "info",
                   icon: str = "", blink: bool = False) -> Overlay:
    width, height = max(1, int(size[0])), max(1, int(size[1]))
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    message = clean(text, 600)
    if not message:
        return Overlay(image)
    look = LOOKS.get(level, LOOKS["info"])
    ttl = math.inf
    if blink:
        flashed, ttl = _flashed(now)
        if flashed:
            look = Look(look.border, look.border, look.background)
    tall = height >= 64
    font = "medium" if tall and width >= 128 else "small"
    fnt = font_for(font)
    line_h = fnt.height + 1
    critical = level == "critical"
    icon_px = (16 if tall else 8) if icon else 0
    inner = width - 4 - (icon_px + 2 if icon_px else 0)
    max_lines = max(1, (height - 4) // line_h)
    lines = wrap(message, fnt, inner, max_lines)
    scrolls = " ".join(lines) != message and fnt.width(message) > inner
    shown = 1 if scrolls else len(lines)
    box_h = height if critical else min(height, max(shown * line_h, icon_px + 1) + 3)
    top = max(0, (height - box_h) // 2)
    words: Widget = (Marquee(message, font, look.text) if scrolls else
                     Text(message, font, look.text, align="center", lines=shown))
    children = [Icon(icon, size_px=icon_px), words] if icon_px else [words]
    tree = Box(Row(children, main_align="center", cross_align="center", gap=2),
               padding=(1, 1, 1, 0), border=look.border, background=look.background)
    band, drawn_ttl = draw(tree, (width, box_h), now, background=look.background)
    image.paste(band.convert("RGBA"), (0, top))
    return Overlay(image, min(ttl, drawn_ttl))
