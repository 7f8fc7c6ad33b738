"""Uptime: how long this client has run, and a colored square per producer
(``<Name>-Server`` messages) by the age of its announcement.

A producer announces itself when it starts, so the age is its uptime: a
fresh green square is a producer that just (re)started; the color moves to
yellow and red over hours, so a restart loop shows as a square stuck green
and a silent one as aging normally. Drawn as a widget tree; what differs between
panel sizes is in ``layouts/uptime.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from glanceboard.payloads import names
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import PLACEHOLDER, age_label, mapping, num, when, with_aware_times
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.widgets import Box, Column, Expand, Row, Scene, Text, Widget
from matrix_client.render.widgets.fit import first_wording
from matrix_client.render.widgets.flow import Flow
from matrix_client.render.widgets.tables import FontRole

SUFFIX = names.SERVER_SUFFIX
MAX_SERVERS = 64
_PX = {"min": 0, "max": 64}


@dataclass(frozen=True)
class UptimeLayout:
    columns: int = field(metadata={"min": 1, "max": 8})  # of producers
    row_height: int = field(metadata={"min": 1, "max": 32})
    square: int = field(metadata={"min": 1, "max": 16})  # a producer's age square
    title_font: FontRole = "small"
    label_font: FontRole = "tiny"
    gap: int = field(default=2, metadata=_PX)  # title to producers
    column_gap: int = field(default=2, metadata=_PX)
    cell_gap: int = field(default=2, metadata=_PX)  # square, name and age in a cell
    ages: bool = False  # each producer's age in words at the right of its cell


LAYOUT = page_table("uptime", UptimeLayout)


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


def producer(name: str, age: float | None, lay: UptimeLayout) -> Widget:
    """A producer's cell: its square coloured by age, its name, and (where the layout
    says) the age in words at the right."""
    known = age is not None and age >= 0
    # Coloured by the whole minutes, so the square changes when its label may.
    color = colors.age_color(age // 60 * 60) if known else colors.GREY  # type: ignore[operator]
    square = Box(width=lay.square, height=lay.square, background=color)
    parts: list[Widget] = [square, Expand(Text(name, lay.label_font, colors.SOFT))]
    if lay.ages and known:
        parts.append(Text(age_label(age), lay.label_font, colors.DIM_TEXT))  # type: ignore[arg-type]
    return Row(parts, gap=lay.cell_gap, cross_align="center")  # the square mid-line


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    long_up, short_up = uptime_label(ctx)
    title = first_wording(
        [f"Up {long_up}", f"Up {short_up}", short_up], lay.title_font, colors.AMBER
    )
    listed = servers(ctx)
    body: Widget
    if not listed:
        body = first_wording(["no producers yet", "no producers"], "small", colors.GREY)
    else:
        body = Flow(
            [producer(name, age, lay) for name, age in listed],
            lay.columns,
            lay.row_height,
            lay.column_gap,
            more=lambda hidden: Text(f"+{hidden}", lay.label_font, colors.GREY),
        )
    root = Column([title, body], gap=lay.gap, cross_align="stretch")
    return Scene(root, _next_change(ctx, listed))


def _next_change(ctx: PageContext, listed: list[tuple[str, float | None]]) -> float:
    """Seconds until the page reads otherwise: the uptime's next minute, or a producer's
    (its square's colour and its age go by whole minutes; a future time is grey until
    it has passed)."""
    seconds = (ctx.now - ctx.started).total_seconds() if ctx.started else 0.0
    ttls = [60 - seconds % 60]
    for _, age in listed:
        if age is not None:
            ttls.append(-age if age < 0 else 60 - age % 60)
    return max(0.001, min(ttls))


render = with_aware_times(tree_page(tree))

PAGE = PageSpec(name="uptime", render=render, types=("*",), title="Uptime")
