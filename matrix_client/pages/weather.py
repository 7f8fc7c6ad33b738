"""Current weather with the air quality: icon, temperature, feels-like, humidity,
wind, the description, and the AQI score, adjective, its color and a scale bar.

Reads ``Weather.current`` and ``AQI`` (docs/payloads.md); each half draws
placeholders on its own when its message is missing or malformed.
"""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from glanceboard.payloads import names
from glanceboard.payloads.aqi import BANDS as AQI_BANDS
from glanceboard.payloads.aqi import Aqi
from glanceboard.payloads.weather import Current, Weather
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    canvas,
    degrees,
    finish,
    first_fit,
    fitting_font,
    font,
    layout,
    min_ttl,
    no_data,
    percent,
    text,
    whole,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.icons import condition_for, paste, weather_icon
from matrix_client.render.layout import Box, fill, line_text
from matrix_client.render.text import draw_text

KINDS = (names.WEATHER, names.AQI)


def aqi_parts(aqi: Aqi | None) -> tuple[int | None, str, colors.Color]:
    """(score, adjective, color) of an AQI view, the band's where one is missing."""
    if aqi is None:
        return None, "", colors.GREY
    return aqi.score, text(aqi.label, 80), aqi.shown_color or colors.GREY


def aqi_scale(image: Image.Image, box: Box, score: int | None) -> None:
    """The six EPA bands as equal segments, with a marker at the score."""
    x, y, w, h = box
    bands = AQI_BANDS
    lower = 0
    for i, band in enumerate(bands):
        upper, color = band.upper, band.color
        x0 = x + w * i // len(bands)
        x1 = x + w * (i + 1) // len(bands)
        fill(image, (x0, y, x1 - x0, h), colors.dimmed(color, 0.55))
        if (
            score is not None
            and lower <= score <= upper
            or (i == len(bands) - 1 and score is not None and score > upper)
        ):
            t = min(1.0, (score - lower) / max(1, upper - lower))
            mx = min(x1 - 1, x0 + round(t * (x1 - x0 - 1)))
            ImageDraw.Draw(image).line([(mx, y), (mx, y + h - 1)], fill=colors.WHITE)
        lower = upper + 1


def _wind(current: Current, with_direction: bool = True) -> str:
    direction = text(current.wind_dir, 3) if with_direction else ""
    speed = whole(current.wind_speed)
    if speed is None:
        return PLACEHOLDER
    return f"{direction} {speed}".strip() if 0 <= speed < 1000 else PLACEHOLDER


def _gust(current: Current) -> int | None:
    gust = whole(current.wind_gust)
    return gust if gust is not None and 0 < gust < 1000 else None


def _temp_color(value: float | None) -> colors.Color:
    n = value
    return colors.temp_color(n) if n is not None else colors.GREY


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    weather, aqi = ctx.view("Weather"), ctx.view("AQI")
    if weather is None and aqi is None:
        return no_data(ctx, "Weather")
    image = canvas(ctx)
    lay = layout(ctx)
    weather = weather or Weather()
    current = weather.current
    kind = condition_for(current.wid, current.desc)
    night = current.night is True
    temp = current.temp
    desc = text(current.desc, 120) or PLACEHOLDER
    score, adjective, aqi_color = aqi_parts(aqi)
    score_text = str(score) if score is not None else PLACEHOLDER
    pollutant = text(aqi.pollutant_short if aqi else None, 60)
    next_desc = _next_desc(weather)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    now = ctx.now
    ttl = math.inf
    W = ctx.width

    if not lay.tall:
        # Short panels: icon and temperature on top, description, AQI at the bottom.
        half = W if not lay.wide else 64
        paste(image, weather_icon(kind, night, 16), (0, 0))
        temp_text = degrees(temp)
        temp_font = fitting_font(temp_text, [medium, small], half - 18 - 22)
        draw_text(image, (18, 0), temp_text, temp_font, _temp_color(temp))
        line_text(
            image,
            (18, 10, half - 18 - 22, 6),
            "FL " + degrees(current.feels),
            tiny,
            colors.GREY,
        )
        line_text(
            image,
            (half - 22, 1, 22, 6),
            percent(current.humid),
            tiny,
            colors.CYAN,
            align="right",
        )
        wind = first_fit([_wind(current), _wind(current, False)], tiny, 22)
        line_text(image, (half - 22, 8, 22, 6), wind, tiny, colors.WIND_TEXT, align="right")
        ttl = min_ttl(ttl, line_text(image, (0, 16, half, 8), desc, small, colors.WHITE, now=now))
        if not lay.wide:
            label = f"AQI {score_text}"
            used = tiny.width(label) + 2
            draw_text(image, (0, 25), label, tiny, aqi_color)
            line_text(image, (used, 25, W - used, 6), adjective, tiny, aqi_color)
            aqi_scale(image, (0, 31, W, 1), score)
        else:
            gust = _gust(current)
            extra = f"Gust {gust}" if gust else ""
            line_text(image, (0, 26, half, 6), extra, tiny, colors.GREY)
            x0 = 68
            right = W - x0
            draw_text(image, (x0, 1), "AQI", tiny, colors.GREY)
            draw_text(image, (x0 + 14, 0), score_text, medium, aqi_color)
            line_text(image, (x0 + 36, 1, right - 36, 6), pollutant, tiny, colors.GREY)
            ttl = min_ttl(
                ttl, line_text(image, (x0, 11, right, 8), adjective, small, aqi_color, now=now)
            )
            aqi_scale(image, (x0, 22, right, 3), score)
            line_text(image, (x0, 26, right, 6), f"Next: {next_desc}", tiny, colors.GREY)
    else:
        icon = 24
        big = font(ctx, "clock")
        half = W if not lay.wide else 64
        paste(image, weather_icon(kind, night, icon), (1, 2))
        temp_text = degrees(temp).rstrip("\u00b0")
        tx = icon + 4
        room = (64 if lay.wide else W) - tx - small.width("\u00b0") - 1
        temp_font = fitting_font(temp_text, [big, medium, small], room)
        draw_text(image, (tx, 3), temp_text, temp_font, _temp_color(temp))
        draw_text(
            image, (tx + temp_font.width(temp_text) + 1, 3), "\u00b0", small, _temp_color(temp)
        )
        line_text(
            image, (tx, 18, half - tx, 6), "Feels " + degrees(current.feels), tiny, colors.GREY
        )
        ttl = min_ttl(ttl, line_text(image, (0, 28, half, 8), desc, small, colors.WHITE, now=now))
        wind_line = f"{percent(current.humid)} {_wind(current)}"
        gust = _gust(current)
        if lay.wide:
            details = [
                ("Humid", percent(current.humid)),
                ("Wind", _wind(current)),
                ("Gust", str(gust) if gust else PLACEHOLDER),
                ("Next", next_desc),
            ]
            for i, (label, value) in enumerate(details):
                y = 2 + i * 8
                draw_text(image, (66, y + 1), label, tiny, colors.GREY)
                line_text(image, (88, y, W - 88, 8), value, small, colors.WIND_TEXT)
            draw_text(image, (0, 42), "AQI", small, colors.GREY)
            draw_text(image, (20, 40), score_text, medium, aqi_color)
            ttl = min_ttl(
                ttl, line_text(image, (44, 42, W - 44, 8), adjective, small, aqi_color, now=now)
            )
            line_text(image, (0, 52, W, 6), pollutant, tiny, colors.GREY)
            aqi_scale(image, (0, 60, W, 3), score)
        else:
            line_text(image, (0, 37, W, 6), wind_line, tiny, colors.WIND_TEXT)
            draw_text(image, (0, 46), "AQI", tiny, colors.GREY)
            draw_text(image, (14, 45), score_text, small, aqi_color)
            used = 14 + small.width(score_text) + 3
            ttl = min_ttl(
                ttl, line_text(image, (used, 45, W - used, 8), adjective, small, aqi_color, now=now)
            )
            line_text(image, (0, 54, W, 6), pollutant, tiny, colors.GREY)
            aqi_scale(image, (0, 61, W, 3), score)
    return finish(ctx, image, [k for k in KINDS if ctx.envelope(k) is not None], ttl)


def _next_desc(weather: Weather) -> str:
    kind = condition_for(weather.next_wid)
    return PLACEHOLDER if kind == "unknown" else kind


PAGE = PageSpec(name="weather", render=render, types=KINDS, title="Weather")
