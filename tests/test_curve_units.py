"""The hourly temperature curve in the Weather message's units: a °C reading is
coloured by its warmth (20 °C like 68 °F), on its own, through the frame cache, and
on the 128x64 hourly page."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from PIL import Image

from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext
from matrix_client.pages.samples import NOW, context
from matrix_client.render import colors
from matrix_client.render.widgets import Env
from matrix_client.render.widgets.curve import TempCurve
from matrix_client.render.widgets.frame_cache import FrameCache, paint_all

SIZE = (60, 20)


def _drawn(curve: TempCurve, cache: FrameCache | None = None) -> Image.Image:
    env = Env(now=NOW, panel=SIZE)
    if cache is None:
        return paint_all(curve, env, (0, 0, 0))[0]
    return cache.draw(curve, env, (0, 0, 0))[0]


def _lit(image: Image.Image) -> set[tuple[int, int, int]]:
    """The colours of the pixels that are not black."""
    return {c for _, c in image.getcolors(image.width * image.height) or [] if c != (0, 0, 0)}


def test_a_flat_20_celsius_is_drawn_in_the_colour_of_68_fahrenheit() -> None:
    # A flat line and its two labels, all one temperature: one colour on the panel.
    metric = _lit(_drawn(TempCurve([20, 20, 20, 20], height=20, units="metric")))
    imperial = _lit(_drawn(TempCurve([68, 68, 68, 68], height=20)))
    assert metric == imperial == {colors.temp_color(68)}
    assert colors.temp_color(20) != colors.temp_color(68)  # else the test proves nothing


def test_a_celsius_curve_matches_its_fahrenheit_twin_right_of_the_labels() -> None:
    celsius = [5.0, 10.0, 15.0, 20.0, 25.0, 30.0]
    fahrenheit = [c * 9 / 5 + 32 for c in celsius]
    # Past the labels (the numbers differ there) the line has the same shape and colours.
    metric = _drawn(TempCurve(celsius, height=20, units="metric")).crop((20, 0, *SIZE))
    imperial = _drawn(TempCurve(fahrenheit, height=20)).crop((20, 0, *SIZE))
    assert metric.getbbox() is not None
    assert metric.tobytes() == imperial.tobytes()
    unconverted = _drawn(TempCurve(celsius, height=20)).crop((20, 0, *SIZE))
    assert unconverted.tobytes() != metric.tobytes()


def test_the_frame_cache_tells_the_units_apart() -> None:
    """Twins that differ only in units: the second must not get the first's picture."""
    cache = FrameCache()
    temps = [10, 12, 15, 14, 11]
    imperial = TempCurve(temps, height=20)
    metric = TempCurve(temps, height=20, units="metric")
    for curve in (imperial, imperial):
        _drawn(curve, cache)
    assert _drawn(metric, cache).tobytes() == _drawn(metric).tobytes()
    assert _drawn(metric).tobytes() != _drawn(imperial).tobytes()


@pytest.mark.parametrize("units", ["kelvin", "Metric", "", None])
def test_units_other_than_imperial_or_metric_are_refused(units: object) -> None:
    with pytest.raises(ValueError, match="TempCurve units"):
        TempCurve([1, 2], units=units)  # type: ignore[arg-type]


def _hourly(units: str) -> PageContext:
    """The sample state at 128x64 whose Weather message says it is in ``units``, its
    hourly temperatures given in them (the same weather either way)."""
    ctx = context("", (128, 64))
    state = copy.deepcopy(dict(ctx.state))
    weather = state["Weather"]["values"]
    weather["units"] = units
    for hour in weather["hourly"]:
        hour["temp"] = 20.0 if units == "metric" else 68.0
    return dataclasses.replace(ctx, state=state)


def test_the_hourly_curve_colours_a_metric_message_by_its_warmth() -> None:
    page = get_page("hourly")
    metric = page.render(_hourly("metric")).image
    imperial = page.render(_hourly("imperial")).image
    # The curve is the bottom of the page (layouts/hourly.toml: 29 px at 128x64);
    # right of its labels only the line and the rain bars are drawn.
    box = (24, 64 - 29, 128, 64)
    warm = colors.temp_color(68)
    assert warm in _lit(metric.crop(box))
    assert colors.temp_color(20) not in _lit(metric.crop(box))
    assert metric.crop(box).tobytes() == imperial.crop(box).tobytes()
