"""The generic page: every type held, each as its name and a one-line summary.

Shows any type, including ones no page knows yet. When more types are held
than lines fit, it pages through them, a screenful every few seconds.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from matrix_client.pages.base import PageContext, PageFrame, PageSpec

LINE_HEIGHT = 10
SCREEN_SECONDS = 4
TYPE_COLOR = (0, 200, 255)
TEXT_COLOR = (220, 220, 220)
EMPTY_COLOR = (120, 120, 120)


@lru_cache(maxsize=1)
def _font() -> ImageFont.ImageFont:
    return ImageFont.load_default_imagefont()


def summarize(values: Any, limit: int = 60) -> str:
    """A short line for any JSON value: scalars first, nested parts counted."""
    if isinstance(values, dict):
        parts = []
        for key, value in values.items():
            if isinstance(value, str | int | float | bool) and value != "":
                parts.append(f"{key}={value}")
            elif isinstance(value, dict | list):
                inner = summarize(value, limit)
                if inner:
                    parts.append(inner)  # nested: its contents say more than its key
            if sum(len(p) + 1 for p in parts) >= limit:
                break
        text = " ".join(parts)
    elif isinstance(values, list):
        text = summarize(values[0], limit) if values else "(empty)"
        if len(values) > 1:
            text = f"{text} +{len(values) - 1}"
    elif values is None:
        text = "-"
    else:
        text = str(values)
    return " ".join(text.split())[:limit]


def _fit(text: str, width: int, font: ImageFont.ImageFont) -> str:
    while text and font.getlength(text) > width:
        text = text[:-1]
    return text


def render(context: PageContext) -> PageFrame:
    width, height = context.size
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    font = _font()
    kinds = sorted(k for k in context.state if not k.endswith("-Server"))
    if not kinds:
        draw.text((1, 1), _fit("no data yet", width - 1, font), font=font, fill=EMPTY_COLOR)
        return PageFrame(image)
    # Each type takes two lines (name, then summary) on a short panel, one on a wide one.
    two_lines = width < 96
    per_type = 2 if two_lines else 1
    fits = max(1, height // (LINE_HEIGHT * per_type))
    screens = (len(kinds) + fits - 1) // fits
    epoch = context.now.timestamp()
    screen = int(epoch // SCREEN_SECONDS) % screens
    y = 0
    for kind in kinds[screen * fits:(screen + 1) * fits]:
        summary = summarize(context.values(kind))
        if two_lines:
            draw.text((0, y), _fit(kind, width, font), font=font, fill=TYPE_COLOR)
            draw.text((0, y + LINE_HEIGHT), _fit(summary, width, font), font=font,
                      fill=TEXT_COLOR)
        else:
            label = f"{kind} "
            draw.text((0, y), label, font=font, fill=TYPE_COLOR)
            left = int(font.getlength(label))
            draw.text((left, y), _fit(summary, width - left, font), font=font, fill=TEXT_COLOR)
        y += LINE_HEIGHT * per_type
    ttl = SCREEN_SECONDS - (epoch % SCREEN_SECONDS) if screens > 1 else float("inf")
    return PageFrame(image, ttl)


PAGE = PageSpec(name="generic", render=render, types=("*",), title="All data")
