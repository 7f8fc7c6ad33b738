"""Current weather with the air quality: icon, temperature, feels-like, humidity,
wind, the description, and the AQI score, adjective, its color and a scale bar.

Reads ``Weather.current`` and ``AQI`` (docs/payloads.md); each half draws
placeholders on its own when its message is missing or malformed. A widget tree;
which parts show at each panel size, their fonts and spaces are in
layouts/weather.toml.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from glanceboard.payloads import names
from glanceboard.payloads.aqi import BANDS as AQI_BANDS
from glanceboard.payloads.aqi import Aqi
from glanceboard.payloads.weather import Current, Weather
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    degrees,
    percent,
    speed_unit,
    temp_color,
    text,
    units_of,
    whole,
    with_aware_times,
)
from matrix_client.pages.notice import no_data_tree
from matrix_client.pages.parts import spaced
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.icons import condition_for
from matrix_client.render.widgets import Box, Expand, Icon, Marquee, Row, Scene, Text, Widget
from matrix_client.render.widgets.bands import BandScale
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.line import Line
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.WEATHER, names.AQI)
Part = Literal[
    "top", "desc", "gust", "wind", "aqi", "adjective", "pollutant", "next", "details", "scale"
]
Edges = tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class AqiRow:
    """The AQI row: a label, the score and after them the adjective or the pollutant."""

    joined: bool = False  # "AQI 42" as one text in the label font and the AQI colour
    label_font: FontRole = "tiny"
    label_width: int | None = None  # a fixed column, else as wide as the label
    label_drop: int = 0  # px below the row's top
    score_font: FontRole = "small"
    score_width: int | None = None
    tail: Literal["adjective", "pollutant"] = "adjective"
    tail_font: FontRole = "small"
    tail_drop: int = 0
    tail_gap: int = 0
    tail_scroll: bool = True


@dataclass(frozen=True)
class WeatherLayout:
    icon: int = field(metadata={"min": 8, "max": 32})
    temp_fonts: tuple[FontRole, ...]  # the first the temperature fits in is used
    temp_height: int  # the temperature's line: the feels-like stays put under it
    feels: str  # its label
    parts: tuple[Part, ...]
    aqi: AqiRow
    icon_pad: Edges = (0, 0, 0, 0)
    temp_top: int = 0
    sign_apart: bool = False  # the degree sign in its own font beside the numerals
    sign_font: FontRole = "small"
    sign_gap: int = 1
    readings_width: int | None = None  # humidity and wind at the top right, this wide
    readings_above: tuple[int, ...] = (1, 1)
    above: tuple[int, ...] = ()
    half: int | None = None  # the weather column's width on wide panels
    side: tuple[Part, ...] = ()
    side_above: tuple[int, ...] = ()
    side_gap: int = 0
    below: tuple[Part, ...] = ()
    below_above: tuple[int, ...] = ()
    detail_font: FontRole = "tiny"
    desc_font: FontRole = "small"
    adjective_font: FontRole = "small"
    details_label_width: int = 22
    details_label_drop: int = 1
    details_value_font: FontRole = "small"
    scale_height: int = field(default=3, metadata={"min": 1, "max": 8})


LAYOUT = page_table("weather", WeatherLayout)
AQI_SCALE = tuple((band.upper, band.color) for band in AQI_BANDS)


def aqi_parts(aqi: Aqi | None) -> tuple[int | None, str, colors.Color]:
    """(score, adjective, color) of an AQI view, the band's where one is missing."""
    if aqi is None:
        return None, "", colors.GREY
    return aqi.score, text(aqi.label, 80), aqi.shown_color or colors.GREY


def aqi_scale(score: int | None, height: int = 3) -> BandScale:
    """The six EPA bands as equal segments, with a marker at the score."""
    return BandScale(score, AQI_SCALE, height)


def _wind(current: Current, with_direction: bool = True, unit: str = "") -> str:
    """'NW 12', 'NW 12 mph' with a ``unit``, '12' without the direction."""
    direction = text(current.wind_dir, 3) if with_direction else ""
    speed = whole(current.wind_speed)
    if speed is None or not 0 <= speed < 1000:
        return PLACEHOLDER
    return " ".join(part for part in (direction, str(speed), unit) if part)


def _with_unit(words: Sequence[str], font: FontRole, color: colors.Color,
               align: Literal["left", "right"] = "left") -> Widget:
    """The first of ``words`` that fits: the speed with its unit where there is room."""
    unique = list(dict.fromkeys(words))
    return FirstFit([Text(w, font, color, align=align) for w in unique])


def _gust(current: Current) -> int | None:
    gust = whole(current.wind_gust)
    return gust if gust is not None and 0 < gust < 1000 else None




def _next_desc(weather: Weather) -> str:
    kind = condition_for(weather.next_wid)
    return PLACEHOLDER if kind == "unknown" else kind


@dataclass(frozen=True)
class Reading:
    """What the parts show, read once per render."""

    current: Current
    next_desc: str
    score: int | None
    adjective: str
    aqi_color: colors.Color
    pollutant: str
    units: str = "imperial"  # what the Weather numbers are in

    @property
    def speed(self) -> str:
        return speed_unit(self.units)


def _temperature(r: Reading, lay: WeatherLayout) -> Widget:
    """The temperature in the first of the layout's fonts it fits."""
    temp = r.current.temp
    color = temp_color(temp, r.units)
    numerals = degrees(temp).rstrip("\u00b0")
    if lay.sign_apart:
        sign = Box(Text("\u00b0", lay.sign_font, color), padding=(lay.sign_gap, 0, 0, 0))
        choices: list[Widget] = [Row([Text(numerals, f, color), sign]) for f in lay.temp_fonts]
    else:
        choices = [Text(degrees(temp), f, color) for f in lay.temp_fonts]
    # Where none fits, the numbers without the sign: never a shortened "-12..".
    choices.append(Text(numerals, lay.temp_fonts[-1], color))
    return FirstFit(choices)


def _top(r: Reading, lay: WeatherLayout) -> Widget:
    """Icon, temperature over feels-like, and (short panels) humidity and wind."""
    current = r.current
    kind = condition_for(current.wid, current.desc)
    temps = spaced(
        [
            Box(_temperature(r, lay), height=lay.temp_height),
            Text(f"{lay.feels} {degrees(current.feels)}", lay.detail_font, colors.GREY),
        ],
        [lay.temp_top],
    )
    children: list[Widget] = [
        Box(Icon(kind, lay.icon, night=current.night is True), padding=lay.icon_pad),
        Expand(temps),
    ]
    if lay.readings_width is not None:
        words = [_wind(current, unit=r.speed), _wind(current), _wind(current, False)]
        wind = _with_unit(words, lay.detail_font, colors.WIND_TEXT, align="right")
        humidity = Text(percent(current.humid), lay.detail_font, colors.CYAN, align="right")
        children.append(Box(spaced([humidity, wind], lay.readings_above), width=lay.readings_width))
    return Row(children)


def _aqi_row(r: Reading, row: AqiRow) -> Widget:
    score = str(r.score) if r.score is not None else PLACEHOLDER
    parts: list[Widget] = []
    if row.joined:
        parts.append(Text(f"AQI {score}", row.label_font, r.aqi_color))
    else:
        label = Text("AQI", row.label_font, colors.GREY)
        parts.append(Box(label, width=row.label_width, padding=(0, row.label_drop, 0, 0)))
        parts.append(Box(Text(score, row.score_font, r.aqi_color), width=row.score_width))
    if row.tail == "adjective":
        tail = Text(r.adjective, row.tail_font, r.aqi_color, scroll=row.tail_scroll)
    else:
        tail = Text(r.pollutant, row.tail_font, colors.GREY, scroll=row.tail_scroll)
    parts.append(Expand(Box(tail, padding=(row.tail_gap, row.tail_drop, 0, 0))))
    return Row(parts)


def _details(r: Reading, lay: WeatherLayout) -> Widget:
    gust = _gust(r.current)
    rows = [
        ("Humid", [percent(r.current.humid)]),
        ("Wind", [_wind(r.current, unit=r.speed), _wind(r.current)]),
        ("Gust", [f"{gust} {r.speed}", str(gust)] if gust else [PLACEHOLDER]),
        ("Next", [r.next_desc]),
    ]
    return spaced(
        [
            Row(
                [
                    Box(
                        Text(label, lay.detail_font, colors.GREY),
                        width=lay.details_label_width,
                        padding=(0, lay.details_label_drop, 0, 0),
                    ),
                    Expand(_with_unit(words, lay.details_value_font, colors.WIND_TEXT)),
                ]
            )
            for label, words in rows
        ],
        (),
    )


def _part(name: Part, r: Reading, lay: WeatherLayout) -> Widget:
    """Part ``name``; a line of text keeps its place when the data leaves it empty."""
    part = _part_widget(name, r, lay)
    return Line(part) if isinstance(part, Text) else part


def _part_widget(name: Part, r: Reading, lay: WeatherLayout) -> Widget:
    current = r.current
    if name == "top":
        return _top(r, lay)
    if name == "desc":
        return Marquee(text(current.desc, 120) or PLACEHOLDER, lay.desc_font, colors.WHITE)
    if name == "gust":
        gust = _gust(current)
        if not gust:
            return Text("", lay.detail_font, colors.GREY)
        return _with_unit([f"Gust {gust} {r.speed}", f"Gust {gust}"], lay.detail_font,
                          colors.GREY)
    if name == "wind":
        humid = percent(current.humid)
        words = [f"{humid} {_wind(current, unit=r.speed)}", f"{humid} {_wind(current)}"]
        return _with_unit(words, lay.detail_font, colors.WIND_TEXT)
    if name == "aqi":
        return _aqi_row(r, lay.aqi)
    if name == "adjective":
        return Marquee(r.adjective, lay.adjective_font, r.aqi_color)
    if name == "pollutant":
        return Text(r.pollutant, lay.detail_font, colors.GREY)
    if name == "next":
        return Text(f"Next: {r.next_desc}", lay.detail_font, colors.GREY)
    if name == "details":
        return _details(r, lay)
    return aqi_scale(r.score, lay.scale_height)


def _column(parts: Sequence[Part], above: Sequence[int], r: Reading, lay: WeatherLayout) -> Widget:
    return spaced([_part(name, r, lay) for name in parts], above)


def tree(ctx: PageContext) -> Scene:
    weather, aqi = ctx.view("Weather"), ctx.view("AQI")
    if weather is None and aqi is None:
        return Scene(no_data_tree(ctx, "Weather"))
    lay = LAYOUT.for_size(ctx.size)
    weather = weather or Weather()
    score, adjective, aqi_color = aqi_parts(aqi)
    reading = Reading(
        current=weather.current,
        next_desc=_next_desc(weather),
        score=score,
        adjective=adjective,
        aqi_color=aqi_color,
        pollutant=text(aqi.pollutant_short if aqi else None, 60),
        units=units_of(ctx, names.WEATHER),
    )
    main: Widget = _column(lay.parts, lay.above, reading, lay)
    if lay.side:
        side = _column(lay.side, lay.side_above, reading, lay)
        main = Row([Box(main, width=lay.half), Expand(side)], gap=lay.side_gap)
    if lay.below:
        main = spaced([main, _column(lay.below, lay.below_above, reading, lay)], ())
    return Scene(main, math.inf)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="weather", render=render, types=KINDS, title="Weather")
