"""The generic page: every type held, each as its name and a one-line summary.

Shows any type, including ones no page knows yet. When more types are held
than lines fit, it pages through them, a screenful every few seconds.
"""

from __future__ import annotations

from typing import Any

from glanceboard.payloads import names
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import canvas, font, layout
from matrix_client.render.text import clean, text_box

SCREEN_SECONDS = 4
TYPE_COLOR = (0, 200, 255)
TEXT_COLOR = (220, 220, 220)
EMPTY_COLOR = (120, 120, 120)


def summarize(values: Any, limit: int = 60) -> str:
    """A short line for any JSON value: its scalar values in order, nested ones inline.

    Keys are left out: on a 64-pixel line "52 few clouds" says more than "temp=52 de..".
    """
    if isinstance(values, dict):
        parts = []
        for value in values.values():
            if isinstance(value, str | int | float | bool) and value != "":
                parts.append(str(value))
            elif isinstance(value, dict | list):
                inner = summarize(value, limit)
                if inner:
                    parts.append(inner)  # nested: its contents say more than its key
            if sum(len(p) + 1 for p in parts) >= limit:
                break
        text = " ".join(parts)
    elif isinstance(values, list):
        if not values:
            text = "(empty)"
        elif all(isinstance(v, str | int | float | bool) for v in values):
            text = " ".join(str(v) for v in values)  # a row, e.g. [summary, start, end]
        else:
            text = summarize(values[0], limit)  # a list of rows: the first, and a count
            if len(values) > 1:
                text = f"{text} +{len(values) - 1}"
    elif values is None:
        text = "-"
    else:
        text = str(values)
    return " ".join(text.split())[:limit]


def render(context: PageContext) -> PageFrame:
    width, height = context.size
    image = canvas(context)
    size = layout(context)
    # The 4x6 font on a 32-row panel (several lines), the 5x7 one on taller panels.
    fnt = font(context, "small" if size.tall else "tiny")
    line = fnt.height + 1
    kinds = sorted(k for k in context.state if not names.is_server_type(k))
    if not kinds:
        text_box(image, (0, 0, width, line), "no data yet", fnt, EMPTY_COLOR)
        return PageFrame(image)
    # Name and summary share a line on a wide panel; on a narrow one the summary goes below.
    per_type = 1 if size.wide else 2
    fits = max(1, height // (line * per_type))
    screens = (len(kinds) + fits - 1) // fits
    epoch = context.now.timestamp()
    screen = int(epoch // SCREEN_SECONDS) % screens
    y = 0
    for kind in kinds[screen * fits:(screen + 1) * fits]:
        summary = clean(summarize(context.values(kind)))
        if per_type == 2:
            text_box(image, (0, y, width, line), kind, fnt, TYPE_COLOR)
            text_box(image, (0, y + line, width, line), summary, fnt, TEXT_COLOR)
        else:
            left = text_box(image, (0, y, width // 3, line), kind, fnt, TYPE_COLOR) + 4
            text_box(image, (left, y, width - left, line), summary, fnt, TEXT_COLOR)
        y += line * per_type
    ttl = SCREEN_SECONDS - (epoch % SCREEN_SECONDS) if screens > 1 else float("inf")
    return PageFrame(image, ttl)


PAGE = PageSpec(name="generic", render=render, types=("*",), title="All data")
