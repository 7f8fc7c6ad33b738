"""Units on the weather pages: a Weather message's own ``units`` decides, else the
display's settings, else imperial; labels and temperature colours follow."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext, PageSettings
from matrix_client.pages.common import speed_unit, temp_color, units_of
from matrix_client.pages.samples import context
from matrix_client.render import colors


def with_weather_units(units: object, settings: PageSettings | None = None,
                       size: tuple[int, int] = (128, 64)) -> PageContext:
    ctx = context("", size)
    state = copy.deepcopy(dict(ctx.state))
    if units is not None:
        state["Weather"]["values"]["units"] = units
    return dataclasses.replace(ctx, state=state, settings=settings or ctx.settings)


@pytest.mark.parametrize(("own", "setting", "expected"), [
    ("metric", "imperial", "metric"),  # the producer knows what it fetched
    ("imperial", "metric", "imperial"),
    (None, "metric", "metric"),  # an older producer's message: the display's setting
    (None, "imperial", "imperial"),
    ("kelvin", "metric", "metric"),  # unreadable: as if absent
    (7, "imperial", "imperial"),
])
def test_whose_units_count(own: object, setting: str, expected: str) -> None:
    ctx = with_weather_units(own, PageSettings(units=setting))
    assert units_of(ctx, "Weather") == expected


def test_without_a_message_the_settings_decide() -> None:
    ctx = dataclasses.replace(context("nodata", (64, 32)), settings=PageSettings(units="metric"))
    assert units_of(ctx, "Weather") == "metric"
    assert units_of(dataclasses.replace(ctx, settings=PageSettings()), "Weather") == "imperial"


def test_speed_units_and_temperature_colours() -> None:
    assert speed_unit("metric") == "km/h" and speed_unit("imperial") == "mph"
    assert temp_color(10.0, "metric") == colors.temp_color(50.0)
    assert temp_color(-40.0, "metric") == colors.temp_color(-40.0)
    assert temp_color(50.0, "imperial") == colors.temp_color(50.0)
    assert temp_color(None, "metric", colors.WHITE) == colors.WHITE


@pytest.mark.parametrize("size", [(128, 32), (64, 64), (128, 64)])
def test_the_wind_label_follows_the_units(size: tuple[int, int]) -> None:
    page = get_page("weather")
    mph = page.render(with_weather_units("imperial", size=size)).image
    kmh = page.render(with_weather_units("metric", size=size)).image
    unlabelled = page.render(with_weather_units(None, size=size)).image
    assert mph.tobytes() != kmh.tobytes()  # the same numbers, another unit
    assert unlabelled.tobytes() == mph.tobytes()  # the sample's settings are imperial


def test_a_metric_temperature_is_coloured_by_its_warmth() -> None:
    """8 °C is cool, not the deep cold 8 °F would be: the temperature's pixels differ."""
    page = get_page("hourly")
    as_f = page.render(with_weather_units("imperial", size=(64, 32))).image
    as_c = page.render(with_weather_units("metric", size=(64, 32))).image
    assert as_f.tobytes() != as_c.tobytes()
