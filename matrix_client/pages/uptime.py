"""Uptime: how long this client has run, and a colored square per producer
(``<Name>-Server`` messages) by the age of its announcement.

A producer announces itself when it starts, so the age is its uptime: a
fresh green square is a producer that just (re)started; the color moves to
yellow and red over hours, so a restart loop shows as a square stuck green
and a silent one as aging normally.
"""

from __future__ import annotations

from datetime import datetime

from glanceboard.payloads import names
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    age_label,
    canvas,
    first_fit,
    font,
    layout,
    mapping,
    num,
    when,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.layout import columns, fill, line_text

SUFFIX = names.SERVER_SUFFIX
MAX_SERVERS = 64


def uptime_label(ctx: PageContext) -> tuple[str, str]:
    """('2d 3h 17m', '2d3h') for the client's run time; placeholders when unknown."""
    if ctx.started is None:
        return PLACEHOLDER, PLACEHOLDER
    seconds = max(0, int((ctx.now - ctx.started).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h {minutes}m", f"{days}d{hours}h"
    if hours:
        return f"{hours}h {minutes}m", f"{hours}h{minutes}m"
    return f"{minutes}m", f"{minutes}m"


def servers(ctx: PageContext) -> list[tuple[str, float | None]]:
    """(name, age in seconds or None) for each ``<Name>-Server`` in the state, by name."""
    out: list[tuple[str, float | None]] = []
    for kind in sorted(k for k in ctx.state if isinstance(k, str) and k.endswith(SUFFIX)):
        envelope = mapping(ctx.state.get(kind))
        moment: datetime | None = when(envelope.get("updated"))
        if moment is None:
            ts = num(envelope.get("ts"))
            moment = when(ts) if ts is not None else None
        age = (ctx.now - moment).total_seconds() if moment is not None else None
        out.append((kind[: -len(SUFFIX)] or kind, age))
        if len(out) >= MAX_SERVERS:
            break
    return out


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, H = ctx.width, ctx.height
    long_up, short_up = uptime_label(ctx)
    head = medium if lay.tall else small
    title = first_fit([f"Up {long_up}", f"Up {short_up}", short_up], head, W)
    line_text(image, (0, 0, W, head.height), title, head, colors.AMBER)
    listed = servers(ctx)
    top = head.height + 2
    if not listed:
        message = first_fit(["no producers yet", "no producers"], small, W)
        line_text(image, (0, top, W, small.height), message, small, colors.GREY)
    else:
        label_font = small if lay.tall else tiny
        row_h = label_font.height + 1
        square = label_font.ascent - 1
        per_col = max(1, (H - top) // row_h)
        ncols = 2 if lay.wide and lay.tall else max(1, W // 32 if not lay.tall else 1)
        capacity = per_col * ncols
        shown = listed if len(listed) <= capacity else listed[: capacity - 1]
        cells = [
            (col, row)
            for col in columns((0, top, W, H - top), ncols, gap=2)
            for row in range(per_col)
        ]
        for (box, row), (name, age) in zip(cells, shown, strict=False):
            x, y = box[0], top + row * row_h
            color = colors.age_color(age) if age is not None and age >= 0 else colors.GREY
            fill(image, (x, y + (label_font.ascent - square), square, square), color)
            room = box[2] - square - 2
            label = name
            if lay.wide and lay.tall and age is not None and age >= 0:
                tag = age_label(age)
                line_text(
                    image,
                    (x + square + 2, y, room, label_font.height),
                    tag,
                    label_font,
                    colors.DIM_TEXT,
                    align="right",
                )
                room -= label_font.width(tag) + 2
            line_text(
                image, (x + square + 2, y, room, label_font.height), label, label_font, colors.SOFT
            )
        if len(shown) < len(listed):
            box, row = cells[len(shown)]
            more = f"+{len(listed) - len(shown)}"
            line_text(
                image,
                (box[0], top + row * row_h, box[2], label_font.height),
                more,
                label_font,
                colors.GREY,
            )
    # Uptime shows minutes and square colors move slowly: once a minute is enough.
    seconds = (ctx.now - ctx.started).total_seconds() if ctx.started else 0.0
    return PageFrame(image, max(0.001, 60 - seconds % 60))


PAGE = PageSpec(name="uptime", render=render, types=("*",), title="Uptime")
