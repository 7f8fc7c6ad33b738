"""What the loop draws over a page: the stale mark, notifications, the garbage alert.

All of it is drawn on a copy of the page's picture, so a page renders only
when its own inputs change, while the overlay can come and go on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

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


@lru_cache(maxsize=1)
def _font() -> ImageFont.ImageFont:
    # Pillow's built-in bitmap font: crisp on LEDs, no file to find.
    return ImageFont.load_default_imagefont()


def wrap(text: str, width: int, font: ImageFont.ImageFont) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels (long words are cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while font.getlength(word) > width and len(word) > 1:
            cut = len(word)
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _text_box(image: Image.Image, text: str, color, background) -> None:
    draw = ImageDraw.Draw(image)
    width, height = image.size
    font = _font()
    line_height = 11
    lines = wrap(text, width - 2, font)[: max(1, height // line_height)]
    draw.rectangle((0, 0, width - 1, height - 1), fill=background)
    top = max(0, (height - line_height * len(lines)) // 2)
    for n, line in enumerate(lines):
        left = max(1, (width - int(font.getlength(line))) // 2)
        draw.text((left, top + n * line_height), line, font=font, fill=color)


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
