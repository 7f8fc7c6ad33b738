"""Hourly weather: the coming hours as columns (hour, icon, temperature, rain chance),
and on 128x64 a 24-hour temperature curve over rain-chance bars.

Reads ``Weather.hourly`` (docs/payloads.md). Hours already past are skipped,
so a message from earlier in the day still starts at the current hour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from glanceboard.payloads import names
from glanceboard.payloads.weather import Hour, Weather
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    degrees,
    hour_label,
    local,
    temp_color,
    units_of,
    whole,
    with_aware_times,
)
from matrix_client.pages.notice import no_data_tree, notice_tree
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.icons import condition_for
from matrix_client.render.widgets import Box, Column, Expand, Icon, Row, Scene, Text, Widget
from matrix_client.render.widgets.curve import TempCurve
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.tables import FontRole
from matrix_client.render.widgets.ticking import seconds_to_next

KINDS = (names.WEATHER,)
RAIN_TEXT = (90, 150, 255)


@dataclass(frozen=True)
class CurveLayout:
    hours: int = field(default=24, metadata={"min": 2, "max": 96})
    height: int = field(default=29, metadata={"min": 4, "max": 64})
    above: int = 0
    font: FontRole = "tiny"


@dataclass(frozen=True)
class HourlyLayout:
    icon: int = field(metadata={"min": 8, "max": 32})
    label_font: FontRole = "tiny"
    temp_font: FontRole = "tiny"
    column_width: int = field(default=16, metadata={"min": 8, "max": 64})
    band_height: int = field(default=32, metadata={"min": 8, "max": 64})
    bands: int = field(default=1, metadata={"min": 1, "max": 4})
    temp_gap: int = 1  # px between the icon and the temperature
    apart: int = 2  # px a temperature keeps from the next column (else it loses its sign)
    curve: CurveLayout | None = None


LAYOUT = page_table("hourly", HourlyLayout)


def upcoming(ctx: PageContext, weather: Weather) -> list[tuple[datetime | None, Hour]]:
    """(local start, hour) for the hours not yet over; hours without a time are kept."""
    out: list[tuple[datetime | None, Hour]] = []
    for hour in weather.hourly[:96]:
        start = local(hour.time, ctx) if hour.time is not None else None
        if start is not None and start + timedelta(hours=1) <= ctx.now:
            continue
        out.append((start, hour))
    return out


def _pop_text(value: int | None) -> str:
    pop = whole(value)
    if pop is None or not 0 <= pop <= 100:
        return ""
    return "100" if pop == 100 else f"{pop}%"


def _column(ctx: PageContext, start: datetime | None, entry: Hour, lay: HourlyLayout,
            units: str) -> Widget:
    label = hour_label(start, ctx) if start else PLACEHOLDER
    kind = condition_for(entry.wid, entry.desc)
    temp = entry.temp
    color = temp_color(temp, units)
    full = degrees(temp)
    shown = [Text(t, lay.temp_font, color, align="center") for t in (full, full.rstrip("\u00b0"))]
    parts: list[Widget] = [
        Text(label, lay.label_font, colors.GREY, align="center"),
        Box(Icon(kind, lay.icon, night=entry.night is True), halign="center"),
        Box(FirstFit(shown, slack=lay.apart), padding=(0, lay.temp_gap, 0, 0)),
        Text(_pop_text(entry.pop), lay.label_font, RAIN_TEXT, align="center"),
    ]
    return Column(parts, cross_align="stretch")


def _band(
    ctx: PageContext, hours: list[tuple[datetime | None, Hour]], count: int, lay: HourlyLayout
) -> Widget:
    """A row of ``count`` equal columns, the first hours in them (the rest empty)."""
    units = units_of(ctx, names.WEATHER)
    cells: list[Widget] = [Expand(_column(ctx, start, entry, lay, units))
                           for start, entry in hours]
    cells += [Expand(Box()) for _ in range(count - len(cells))]
    return Box(Row(cells, cross_align="stretch"), height=lay.band_height)


def _curve(hours: list[tuple[datetime | None, Hour]], lay: CurveLayout, units: str) -> Widget:
    """Temperature as a line over rain-chance bars, a tick where the day changes."""
    shown = hours[: lay.hours]
    marks = [i for i, (start, _) in enumerate(shown) if start is not None and start.hour == 0]
    curve = TempCurve(
        [e.temp for _, e in shown],
        [whole(e.pop) for _, e in shown],
        marks,
        font=lay.font,
        rain=RAIN_TEXT,
        height=lay.height,
        units=units,
    )
    return Box(curve, padding=(0, lay.above, 0, 0))


def tree(ctx: PageContext) -> Scene:
    weather = ctx.view("Weather")
    if weather is None:
        return Scene(no_data_tree(ctx, "Hourly"))
    hours = upcoming(ctx, weather)
    if not hours:
        return Scene(notice_tree(ctx, "Hourly", ["no hours ahead", "no hours"]))
    lay = LAYOUT.for_size(ctx.size)
    count = max(1, ctx.width // lay.column_width)
    parts = [
        _band(ctx, hours[band * count : (band + 1) * count], count, lay)
        for band in range(lay.bands)
    ]
    if lay.curve is not None:
        parts.append(_curve(hours, lay.curve, units_of(ctx, names.WEATHER)))
    # The first column drops off when the hour ends.
    return Scene(Column(parts, cross_align="stretch"), seconds_to_next(ctx.now, 3600))


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="hourly", render=render, types=KINDS, title="Hourly")
