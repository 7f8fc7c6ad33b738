"""The scoreboard widgets the MLB and NFL pages are drawn with (bases, count dots,
the half-inning pointer, a score row) and first_wording: each measures as its own
drawing, shows nothing rather than a cut shape in too little room, paints inside
its box only and takes any value where a message's data goes."""

from __future__ import annotations

import pytest
from PIL import Image

from matrix_client.pages.samples import NOW
from matrix_client.render.fonts import font_for
from matrix_client.render.widgets import Box, Env, Widget
from matrix_client.render.widgets.fit import first_wording
from matrix_client.render.widgets.scoreboard import BASE_OFF, BASE_ON, Bases, Dots, Pointer
from matrix_client.render.widgets.scoreline import ScoreLine

RED, GREEN = (255, 0, 0), (0, 255, 0)
ENV = Env(now=NOW, panel=(64, 32))


def painted(widget: Widget, box: tuple[int, int, int, int]) -> Image.Image:
    image = Image.new("RGB", (box[0] + box[2] + 12, box[1] + box[3] + 12))
    widget.paint(image, box, ENV)
    return image


def inside(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    lit = image.getbbox()
    x, y, w, h = box
    return lit is None or (lit[0] >= x and lit[1] >= y and lit[2] <= x + w and lit[3] <= y + h)


@pytest.mark.parametrize("radius", [1, 2, 3, 4])
def test_bases_measure_as_their_drawing_and_light_the_occupied_ones(radius: int) -> None:
    bases = Bases([True, False, True], radius)
    w, h = bases.size((64, 32), ENV)
    assert (w, h) == (4 * radius + 5, 3 * radius + 3)
    image = painted(bases, (3, 2, w, h))
    assert image.getbbox() == (3, 2, 3 + w, 2 + h)  # exactly its box, nothing outside
    step = radius + 2
    first = (3 + w // 2 + step, 2 + radius + step)  # centre of first base (right)
    second = (3 + w // 2, 2 + radius)
    assert image.getpixel(first) == BASE_ON  # lit: solid
    assert image.getpixel(second) == (0, 0, 0)  # empty: an outline only
    assert BASE_OFF in {image.getpixel((second[0], 2))}


def test_bases_centre_on_the_middle_column_of_a_wider_box() -> None:
    bases = Bases([False, True, False], 2)
    image = painted(bases, (0, 0, 20, 9))
    top = [x for x in range(20) if image.getpixel((x, 0)) != (0, 0, 0)]
    assert top == [10]  # second base's tip at x + w // 2


@pytest.mark.parametrize("value", [None, "x", 3.5, [1, 2], {"a": 1}, (True,), [True] * 9])
def test_bases_take_any_value(value: object) -> None:
    bases = Bases(value, 3)  # type: ignore[arg-type]
    image = painted(bases, (0, 0, 17, 12))
    assert inside(image, (0, 0, 17, 12))


def test_marks_show_nothing_in_too_little_room() -> None:
    for widget, need in ((Bases([True] * 3, 3), (17, 12)), (Dots(2, 3, 3, 2), (13, 3)),
                         (Pointer(True, RED), (5, 3))):
        assert widget.size(need, ENV) == need
        assert widget.size((need[0] - 1, need[1]), ENV) == (0, 0)
        assert widget.size((need[0], need[1] - 1), ENV) == (0, 0)
        image = painted(widget, (0, 0, need[0] - 1, need[1]))
        assert image.getbbox() is None


@pytest.mark.parametrize(
    ("filled", "lit"), [(0, 0), (2, 2), (3, 3), (7, 3), (-1, 0), (None, 0), ("2", 0), (True, 0)]
)
def test_dots_light_the_first_filled_whatever_the_value(filled: object, lit: int) -> None:
    dots = Dots(filled, 3, 2, 1, GREEN, RED)
    image = painted(dots, (0, 0, 8, 2))
    assert [image.getpixel((x, 0)) for x in (0, 3, 6)] == [GREEN] * lit + [RED] * (3 - lit)


def test_pointer_points_up_or_down() -> None:
    up, down = painted(Pointer(True, RED), (0, 0, 5, 3)), painted(Pointer(False, RED), (0, 0, 5, 3))
    assert up.getpixel((2, 0)) == RED and up.getpixel((0, 0)) == (0, 0, 0)
    assert down.getpixel((0, 0)) == RED and down.getpixel((2, 2)) == RED
    assert down.getpixel((0, 2)) == (0, 0, 0)


def test_first_wording_takes_the_first_wording_that_fits_else_shortens_the_last() -> None:
    tiny = font_for("tiny", {})
    fit = first_wording(["2-1, 1 out", "1 out"], "tiny")
    assert fit.size((64, 8), ENV) == (tiny.width("2-1, 1 out"), tiny.height)
    assert first_wording(["2-1, 1 out", "1 out"], "tiny").size((30, 8), ENV) == (
        tiny.width("1 out"), tiny.height)
    short = first_wording(["a very long wording", "still far too long"], "tiny")
    w, _ = short.size((20, 8), ENV)
    assert 0 < w <= 20
    assert first_wording([], "tiny").size((20, 8), ENV) == (0, 0)
    assert first_wording([None, 5, "x"], "tiny").size((20, 8), ENV)[0] > 0


def test_score_line_keeps_the_score_column_and_the_mark_after_the_name() -> None:
    small = font_for("small", {})
    mark = Box(width=5, height=3, background=GREEN)
    line = ScoreLine("KC", "14", 9, "small", "small", 17, name_drop=1, score_drop=1, tag=mark)
    assert line.size((41, 20), ENV) == (41, 9)
    image = painted(line, (0, 0, 41, 9))
    assert inside(image, (0, 0, 41, 9))
    greens = [x for x in range(41) if image.getpixel((x, 2)) == GREEN]
    assert greens[0] == small.width("KC") + 2
    score = image.crop((20, 0, 41, 9)).getbbox()
    assert score is not None and score[2] + 20 >= 39 and score[0] + 20 >= 41 - 17


def test_score_line_shortens_a_long_name_to_keep_its_mark() -> None:
    mark = Box(width=5, height=3, background=GREEN)
    line = ScoreLine("TOOLONGTEAM", "188", 9, "small", "small", 17, tag=mark)
    image = painted(line, (0, 0, 41, 9))
    greens = [x for x in range(41) if image.getpixel((x, 1)) == GREEN]
    assert greens and max(greens) < 41 - 17 - 2  # the mark, clear of the score column
    assert inside(image, (0, 0, 41, 9))


@pytest.mark.parametrize("value", [None, 12, 3.5, ["x"], "\x00\n" * 50, "W" * 400])
def test_score_line_takes_any_value(value: object) -> None:
    line = ScoreLine(value, value, 15, "medium", "clock", 24, name_drop=3, score_drop=2)
    for box in ((0, 0, 64, 15), (0, 0, 10, 15), (0, 0, 64, 4), (0, 0, 1, 1)):
        image = painted(line, box)
        assert inside(image, box)


# ---- Flow and Capped (the Uptime and generic pages) ------------------------------


def cell(color: tuple[int, int, int]) -> Widget:
    return Box(width=3, height=3, background=color)


def test_flow_fills_columns_top_down_and_names_what_is_left_out() -> None:
    from matrix_client.render.widgets.flow import Flow

    items = [cell(GREEN) for _ in range(7)]
    flow = Flow(items, columns=2, row_height=4, gap=2, more=lambda n: cell((0, 0, 255 - n)))
    image = painted(flow, (0, 0, 20, 12))  # 3 rows x 2 columns: 5 items and "+2"
    assert inside(image, (0, 0, 20, 12))
    assert [image.getpixel((0, y)) for y in (0, 4, 8)] == [GREEN] * 3
    assert [image.getpixel((11, y)) for y in (0, 4)] == [GREEN] * 2
    assert image.getpixel((11, 8)) == (0, 0, 253)  # the last cell: 2 left out


def test_flow_pages_through_screens_by_the_clock() -> None:
    from datetime import timedelta

    from matrix_client.render.widgets.flow import Flow

    colours = [(10 * i + 10, 0, 0) for i in range(5)]
    flow_at = [Flow([cell(c) for c in colours], row_height=4, cycle=4.0) for _ in range(3)]
    seen = []
    for k, flow in enumerate(flow_at):
        env = Env(now=NOW + timedelta(seconds=4 * k), panel=(64, 32))
        image = Image.new("RGB", (8, 8))
        ttl = flow.paint(image, (0, 0, 8, 8), env)
        assert 0 < ttl <= 4.0
        seen.append(image.getpixel((0, 0)))
    assert len(set(seen)) == 3  # two per screen, three screens, each in turn
    assert set(seen) <= {colours[0], colours[2], colours[4]}


def test_flow_of_nothing_takes_no_room() -> None:
    from matrix_client.render.widgets.flow import Flow

    assert Flow([]).size((64, 32), ENV) == (0, 0)


def test_capped_offers_its_child_at_most_its_width() -> None:
    from matrix_client.render.widgets import Text
    from matrix_client.render.widgets.capped import Capped

    tiny = font_for("tiny", {})
    assert Capped(Text("Weather", "tiny"), 42).size((128, 8), ENV) == (tiny.width("Weather"), 6)
    w, _ = Capped(Text("AVeryLongMessageTypeName", "tiny"), 42).size((128, 8), ENV)
    assert 0 < w <= 42
    assert Capped(Text("x", "tiny"), 0).size((128, 8), ENV) == (0, 0)
