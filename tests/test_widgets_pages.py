"""The widgets the built-in pages added to the layer (clock face, first fit, band
scale, kept line, moon disc and arrow, temperature curve): each measures within its
room, paints inside its box, and takes any value a message can hold; and every
page's layout table loads for all four size classes."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from PIL import Image

from matrix_client.pages.samples import NOW
from matrix_client.render import colors
from matrix_client.render.fonts import font_for
from matrix_client.render.widgets import Column, Env, Text, Widget, render
from matrix_client.render.widgets.bands import BandScale
from matrix_client.render.widgets.curve import TempCurve
from matrix_client.render.widgets.face import ClockFace
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.line import Line
from matrix_client.render.widgets.moon import Arrow, MoonDisc
from matrix_client.render.widgets.tables import LayoutError, parse_table

BANDS = ((50, (0, 228, 0)), (100, (255, 255, 0)), (150, (255, 126, 0)))
TREE_PAGES = ("clock", "weather", "hourly", "forecast", "moon", "calendar", "events", "notice")
WHITE = (235, 235, 235)


def env(panel=(64, 32), now=NOW) -> Env:
    return Env(now=now, panel=panel)


def painted_outside(widget: Widget, box: tuple[int, int, int, int], now=NOW) -> Image.Image:
    """Paint at ``box`` in a larger canvas; fail if anything lands outside the box."""
    x, y, w, h = box
    image = Image.new("RGB", (x + w + 8, y + h + 8))
    widget.size((w, h), env(now=now))
    widget.paint(image, box, env(now=now))
    outside = image.copy()
    outside.paste((0, 0, 0), (x, y, x + w, y + h))
    assert outside.getbbox() is None, f"{type(widget).__name__} drew outside {box}"
    return image.crop((x, y, x + w, y + h))


def test_clock_face_follows_the_time_and_stays_in_its_box() -> None:
    face = ClockFace(10)
    assert face.size((64, 64), env()) == (22, 22)
    assert ClockFace(10).size((21, 40), env()) == (0, 0)  # too small: left out
    one = painted_outside(ClockFace(10), (3, 4, 22, 22))
    later = painted_outside(ClockFace(10), (3, 4, 22, 22), now=NOW + timedelta(minutes=17))
    assert one.getbbox() is not None and one.tobytes() != later.tobytes()


def test_first_fit_takes_the_first_whole_choice_else_the_last() -> None:
    small = font_for("small")
    long, short = "Garbage night", "Garbage!"
    wide = small.width(long)
    choice = FirstFit([Text(long, "small"), Text(short, "small")])
    assert choice.size((wide, 8), env()) == (wide, 8)
    narrow = FirstFit([Text(long, "small"), Text(short, "small")])
    assert narrow.size((wide - 1, 8), env()) == (small.width(short), 8)
    # Slack: the choice must leave that many px free.
    slack = FirstFit([Text(long, "small"), Text(short, "small")], slack=2)
    assert slack.size((wide + 1, 8), env())[0] == small.width(short)
    # Nothing fits: the last one, shortened to the room.
    tiny_room = FirstFit([Text(long, "small"), Text(long + long, "small")])
    assert 0 < tiny_room.size((20, 8), env())[0] <= 20
    assert FirstFit([]).size((20, 8), env()) == (0, 0)


@pytest.mark.parametrize("value", [None, "75", float("nan"), True, [], 10**12, -5])
def test_band_scale_takes_any_value(value: object) -> None:
    painted = painted_outside(BandScale(value, BANDS, height=3), (2, 1, 30, 3))
    assert painted.getbbox() is not None  # the bands always show


def test_band_scale_marker_stands_in_the_value_band() -> None:
    def marker(value: object) -> list[int]:
        image = render(BandScale(value, BANDS, height=2), (60, 2), NOW)
        return [x for x in range(60) if image.getpixel((x, 0)) == WHITE]

    assert marker(None) == [] and marker("75") == []
    assert marker(0) == [0] and 20 <= marker(75)[0] < 40 and marker(999) == [59]


def test_line_keeps_its_place_when_empty() -> None:
    def second_line_top(first: str) -> int:
        tree = Column([Line(Text(first, "small")), Text("below", "small", colors.WHITE)])
        image = render(tree, (64, 32), NOW)
        return image.getbbox()[1]

    full = render(Column([Text("x", "small"), Text("below", "small")]), (64, 32), NOW)
    assert second_line_top("") >= font_for("small").height > full.getbbox()[1]


def test_moon_disc_draws_a_phase_or_an_outline() -> None:
    full = painted_outside(MoonDisc(0.5, 12), (1, 1, 12, 12))
    unknown = painted_outside(MoonDisc(None, 12), (1, 1, 12, 12))
    garbage = painted_outside(MoonDisc("half", 12), (1, 1, 12, 12))
    assert full.tobytes() != unknown.tobytes() == garbage.tobytes()
    assert unknown.getpixel((6, 6)) == (0, 0, 0) and unknown.getbbox() is not None
    assert MoonDisc(0.5, 40).size((20, 30), env()) == (20, 20)
    assert MoonDisc(0.5, 40).size((3, 30), env()) == (0, 0)


def test_arrow_points_up_or_down_and_needs_its_room() -> None:
    up = painted_outside(Arrow(True), (0, 0, 5, 3))
    down = painted_outside(Arrow(False), (0, 0, 5, 3))
    dot = painted_outside(Arrow(None), (0, 0, 5, 3))
    assert up.getpixel((2, 0)) != (0, 0, 0) and down.getpixel((2, 2)) != (0, 0, 0)
    assert up.getpixel((0, 0)) == (0, 0, 0) and down.getpixel((0, 2)) == (0, 0, 0)
    assert dot.getbbox() == (2, 1, 3, 2)
    assert painted_outside(Arrow(True), (0, 0, 4, 3)).getbbox() is None


@pytest.mark.parametrize(
    "temps",
    [
        [60, 62, 65, 63, 58],
        [None, "x", float("inf"), 500, 61, 64],
        [],
        [70],
        list(range(200)),
    ],
)
def test_temperature_curve_takes_any_series(temps: list[object]) -> None:
    curve = TempCurve(temps, [50, "x", None, 120, 30], marks=[0, 2, 999], height=20)
    painted = painted_outside(curve, (3, 2, 60, 20))
    assert painted.getbbox() is not None  # a line, or the "no temperatures" note


def test_temperature_curve_puts_the_highest_at_the_top() -> None:
    def top_of_right_half(temps: list[float]) -> int:
        image = render(TempCurve(temps, height=20, empty=""), (60, 20), NOW)
        return image.crop((40, 0, 60, 20)).getbbox()[1]  # the labels are at the left

    assert top_of_right_half([50, 60, 70, 80]) < top_of_right_half([80, 70, 60, 50])


@pytest.mark.parametrize("page", TREE_PAGES)
def test_every_tree_page_has_a_layout_for_each_size_class(page: str) -> None:
    module = importlib.import_module(f"matrix_client.pages.{page}")
    table = module.LAYOUT
    assert set(table.by_class) == {"64x32", "128x32", "64x64", "128x64"}
    for size in [(64, 32), (128, 32), (64, 64), (128, 64), (96, 40), (1, 1)]:
        assert table.for_size(size) is not None


def test_a_bad_page_layout_names_its_key() -> None:
    from matrix_client.pages.clock import ClockLayout

    good = {"style": "centered"}
    data = {"64x32": good, "128x32": good, "64x64": {"style": "dial"}, "128x64": good}
    with pytest.raises(LayoutError, match=r"\[64x64\]\.style: 'dial' is not one of"):
        parse_table(data, ClockLayout, "clock.toml")
