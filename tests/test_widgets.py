"""The widget layer: each widget measures itself within the room it is offered and
paints inside the box it is given, whatever its content (zero room, overflow, long
text, odd sizes); containers place children by their alignment rules."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from matrix_client.pages.samples import NOW
from matrix_client.pages.wifi import fit, qr_image, qr_matrix
from matrix_client.render import colors
from matrix_client.render.fonts import font_for
from matrix_client.render.text import ELLIPSIS, shorten
from matrix_client.render.widgets import (
    QR,
    BarChart,
    Box,
    BySize,
    Column,
    Env,
    Expand,
    Icon,
    Marquee,
    Picture,
    ProgressBar,
    Row,
    Scene,
    Sparkline,
    Stack,
    Text,
    Widget,
    draw,
    render,
    size_class,
)
from matrix_client.render.widgets.base import place
from matrix_client.render.widgets.icon import icon_image

ROOT = Path(__file__).resolve().parents[1]
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
LONG = "Thanksgiving dinner at Grandma's house with the whole family " * 3


def env(panel: tuple[int, int] = (64, 32), now=NOW) -> Env:
    return Env(now=now, panel=panel)


def paint_at(widget: Widget, box: tuple[int, int, int, int], panel=(64, 32), now=NOW):
    """Paint into a larger black canvas; returns (image, ttl)."""
    image = Image.new("RGB", (box[0] + box[2] + 10, box[1] + box[3] + 10))
    ttl = widget.paint(image, box, env(panel, now))
    return image, ttl


def inside(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """True when every lit pixel lies in ``box``."""
    lit = image.getbbox()
    x, y, w, h = box
    return lit is None or (lit[0] >= x and lit[1] >= y and lit[2] <= x + w and lit[3] <= y + h)


def lit_columns(image: Image.Image, color=None) -> list[int]:
    return sorted({x for x in range(image.width) for y in range(image.height)
                   if (image.getpixel((x, y)) != (0, 0, 0)) and
                   (color is None or image.getpixel((x, y)) == color)})


def block(w: int, h: int, color=RED) -> Box:
    return Box(width=w, height=h, background=color)


# ---- the contract -----------------------------------------------------------


@pytest.mark.parametrize(("size", "expected"), [
    ((64, 32), "64x32"), ((128, 32), "128x32"), ((64, 64), "64x64"), ((128, 64), "128x64"),
    ((96, 48), "64x32"), ((192, 96), "128x64"), ((1, 1), "64x32"), ((127, 64), "64x64"),
])
def test_size_class_follows_the_pages_thresholds(size, expected) -> None:
    assert size_class(*size) == expected


def test_size_is_clamped_to_the_room_and_zero_room_is_zero() -> None:
    e = env()
    assert block(50, 20).size((30, 10), e) == (30, 10)
    assert block(50, 20).size((0, 10), e) == (0, 0)
    assert block(50, 20).size((-5, -5), e) == (0, 0)
    assert Text("Hello").size((64, 0), e) == (0, 0)


@pytest.mark.parametrize(("align", "expected"), [
    ("start", (0, 4)), ("center", (3, 4)), ("end", (6, 4)), ("stretch", (0, 10)),
])
def test_place_along_one_axis(align: str, expected) -> None:
    assert place(align, 10, 4) == expected
    assert place(align, 3, 4)[1] == 3  # never longer than the room


def test_bad_alignment_is_refused_when_the_tree_is_built() -> None:
    with pytest.raises(ValueError, match="main_align"):
        Row([], main_align="middle")
    with pytest.raises(ValueError, match="halign"):
        Box(halign="left")
    with pytest.raises(ValueError, match="align"):
        Text("x", align="start")
    with pytest.raises(ValueError, match="size class"):
        BySize({"32x16": Text("x")})


# ---- Box ----------------------------------------------------------------------


def test_box_measures_child_plus_padding_and_border() -> None:
    e = env()
    assert Box(block(10, 5), padding=2).size((64, 32), e) == (14, 9)
    assert Box(block(10, 5), padding=(1, 2, 3, 4), border=RED).size((64, 32), e) == (16, 13)
    assert Box(block(10, 5), padding=(3, 1)).size((64, 32), e) == (16, 7)
    assert Box(width=20, height=6).size((64, 32), e) == (20, 6)
    assert Box().size((64, 32), e) == (0, 0)


def test_box_paints_border_background_and_places_child_inside_padding() -> None:
    widget = Box(block(2, 2, GREEN), padding=1, border=RED, background=BLUE,
                 halign="center", valign="end")
    image, ttl = paint_at(widget, (5, 5, 10, 8))
    assert ttl == math.inf
    assert image.getpixel((5, 5)) == RED and image.getpixel((14, 12)) == RED
    assert image.getpixel((6, 6)) == BLUE
    # inside: (7, 7, 6, 4): centred 2 wide -> x 9..10, at the bottom -> y 9..10
    assert {(x, y) for x in range(20) for y in range(20)
            if image.getpixel((x, y)) == GREEN} == {(9, 9), (10, 9), (9, 10), (10, 10)}
    assert inside(image, (5, 5, 10, 8))


def test_box_with_padding_larger_than_its_room_draws_no_child() -> None:
    widget = Box(Text("Hello"), padding=20, border=RED)
    image, _ = paint_at(widget, (0, 0, 10, 10))
    assert set(lit_columns(image)) <= set(range(10))
    assert GREEN not in {c for _, c in image.getcolors()}
    assert inside(image, (0, 0, 10, 10))


# ---- Row and Column -----------------------------------------------------------


def test_row_places_children_with_gaps_and_reports_its_size() -> None:
    row = Row([block(3, 2), block(4, 5, GREEN), block(2, 1, BLUE)], gap=2)
    assert row.size((64, 32), env()) == (3 + 2 + 4 + 2 + 2, 5)
    image, _ = paint_at(row, (0, 0, 30, 10))
    assert lit_columns(image, RED) == [0, 1, 2]
    assert lit_columns(image, GREEN) == [5, 6, 7, 8]
    assert lit_columns(image, BLUE) == [11, 12]


@pytest.mark.parametrize(("align", "lefts"), [
    ("start", [0, 4, 8]),
    ("end", [8, 12, 16]),
    ("center", [4, 8, 12]),
    ("space_between", [0, 8, 16]),
    ("space_around", [1, 8, 14]),
    ("space_evenly", [2, 8, 14]),
])
def test_row_main_alignment_spreads_the_spare_room(align: str, lefts: list[int]) -> None:
    row = Row([block(4, 2), block(4, 2, GREEN), block(4, 2, BLUE)], main_align=align)
    image, _ = paint_at(row, (0, 0, 20, 4))
    found = [lit_columns(image, c)[0] for c in (RED, GREEN, BLUE)]
    assert found == lefts
    assert lit_columns(image, BLUE)[-1] <= 19


@pytest.mark.parametrize(("align", "rows"), [
    ("start", [0, 1]), ("center", [3, 4]), ("end", [6, 7]), ("stretch", list(range(8))),
])
def test_row_cross_alignment(align: str, rows: list[int]) -> None:
    image, _ = paint_at(Row([Box(height=2, width=3, background=RED)], cross_align=align),
                        (0, 0, 10, 8))
    if align == "stretch":  # the box is handed the full height: a background fills it
        image, _ = paint_at(Row([Box(Box(width=3, height=2), background=RED)],
                                cross_align="stretch"), (0, 0, 10, 8))
    assert sorted({y for y in range(8) if image.getpixel((0, y)) == RED}) == rows


def test_a_row_too_long_shortens_its_later_text_and_stays_in_its_box() -> None:
    small = font_for("small")
    row = Row([Text("Temperature"), Text(LONG, color=GREEN)], gap=2)
    w, h = row.size((90, 8), env())
    assert w <= 90 and h == small.height
    image, _ = paint_at(row, (3, 2, 90, 8))
    assert inside(image, (3, 2, 90, 8))
    first = small.width("Temperature")
    assert lit_columns(image, GREEN)[0] >= 3 + first + 2
    assert lit_columns(image, GREEN)[-1] < 3 + 90
    # the first text takes the whole room when even it is too long: the rest is left out
    image, _ = paint_at(row, (3, 2, 50, 8))
    assert not lit_columns(image, GREEN) and inside(image, (3, 2, 50, 8))


def test_expand_shares_the_spare_room_by_weight() -> None:
    row = Row([block(4, 2), Expand(Box(height=2, background=GREEN), 1),
               Expand(Box(height=2, background=BLUE), 2)], gap=1)
    assert row.size((30, 4), env())[0] == 30
    image, _ = paint_at(row, (0, 0, 30, 4))
    spare = 30 - 4 - 2  # two gaps
    assert len(lit_columns(image, GREEN)) == spare * 1 // 3
    assert len(lit_columns(image, BLUE)) == spare - spare // 3
    assert lit_columns(image, BLUE)[-1] == 29


def test_children_that_do_not_show_take_no_gap() -> None:
    row = Row([block(3, 2), Text(""), Icon("rain", 16), block(3, 2, GREEN)], gap=2)
    image, _ = paint_at(row, (0, 0, 40, 8))  # the icon does not fit 8 px -> 8 px icon
    assert row.size((40, 4), env()) == (8, 2)  # text empty, icon too small: 3 + 2 + 3
    image, _ = paint_at(row, (0, 0, 40, 4))
    assert lit_columns(image, GREEN) == [5, 6, 7]


def test_column_is_the_same_rules_downwards() -> None:
    column = Column([block(3, 2), block(5, 3, GREEN)], gap=1, cross_align="end",
                    main_align="end")
    assert column.size((64, 32), env()) == (5, 6)
    image, _ = paint_at(column, (0, 0, 10, 10))
    red = {(x, y) for x in range(10) for y in range(10) if image.getpixel((x, y)) == RED}
    assert red == {(x, y) for x in (7, 8, 9) for y in (4, 5)}
    assert image.getpixel((5, 9)) == GREEN


# ---- Stack and BySize ---------------------------------------------------------


def test_stack_paints_children_in_order_over_one_another() -> None:
    stack = Stack([block(6, 6), block(2, 2, GREEN)], halign="center", valign="center")
    assert stack.size((64, 32), env()) == (6, 6)
    image, _ = paint_at(stack, (0, 0, 6, 6))
    assert image.getpixel((0, 0)) == RED and image.getpixel((2, 2)) == GREEN
    assert image.getpixel((3, 3)) == GREEN and image.getpixel((4, 4)) == RED


def test_by_size_chooses_by_panel_not_by_box() -> None:
    switch = BySize({"64x32": block(1, 1), "128x64": block(1, 1, GREEN)})
    for panel, color in (((64, 32), RED), ((128, 64), GREEN), ((200, 100), GREEN)):
        image, _ = paint_at(switch, (0, 0, 4, 4), panel=panel)
        assert image.getpixel((0, 0)) == color
    image, _ = paint_at(switch, (0, 0, 4, 4), panel=(64, 64))
    assert image.getbbox() is None  # no case, no default: nothing
    assert switch.size((4, 4), env((64, 64))) == (0, 0)
    assert BySize({}, default=block(2, 2)).size((4, 4), env((64, 64))) == (2, 2)


def test_the_remembered_size_is_per_render() -> None:
    switch = BySize({"64x32": block(1, 1), "128x64": block(3, 3)})
    assert switch.size((4, 4), env((64, 32))) == (1, 1)
    assert switch.size((4, 4), env((128, 64))) == (3, 3)


# ---- Text and Marquee ---------------------------------------------------------


@pytest.mark.parametrize("role", ["tiny", "small", "medium"])
def test_text_measures_its_ink_and_shortens_at_a_glyph(role: str) -> None:
    font = font_for(role)
    assert Text("Dentist", role).size((64, 32), env()) == (font.width("Dentist"), font.height)
    w, h = Text(LONG, role).size((40, 32), env())
    assert w == font.width(shorten(LONG, font, 40)) and w <= 40
    image, _ = paint_at(Text(LONG, role, align="right"), (2, 2, 40, font.height))
    assert inside(image, (2, 2, 40, font.height))


def test_text_shortened_ends_with_the_ellipsis() -> None:
    font = font_for("small")
    widget = Text(LONG)
    image, _ = paint_at(widget, (0, 0, 40, 8))
    reference = Image.new("RGB", image.size)
    from matrix_client.render.text import text_box

    text_box(reference, (0, 0, 40, 8), LONG, font, colors.WHITE)
    assert image.tobytes() == reference.tobytes()
    assert shorten(LONG, font, 40).endswith(ELLIPSIS)


def test_text_in_a_box_lower_than_its_ascent_draws_nothing() -> None:
    font = font_for("medium")
    assert Text("Hi", "medium").size((64, font.ascent - 1), env()) == (0, 0)
    image, _ = paint_at(Column([Text("Hi", "medium")]), (0, 0, 64, font.ascent - 1))
    assert image.getbbox() is None


@pytest.mark.parametrize("widget", [Text(LONG, "medium"), Marquee(LONG, "medium")])
def test_text_stretched_into_a_box_lower_than_its_ascent_draws_nothing(widget) -> None:
    """A stretching parent hands even a widget that measured nothing its whole box."""
    font = font_for("medium")
    image, _ = paint_at(Box(widget, height=font.ascent - 1), (0, 0, 64, font.ascent - 1))
    assert image.getbbox() is None


@pytest.mark.parametrize(("align", "valign"), [("center", "middle"), ("right", "bottom")])
def test_text_aligns_itself_in_a_larger_box(align: str, valign: str) -> None:
    font = font_for("small")
    image, _ = paint_at(Text("AB", align=align, valign=valign), (0, 0, 30, 20))
    lit = image.getbbox()
    assert lit is not None
    tw = font.width("AB")
    left = (30 - tw) // 2 if align == "center" else 30 - tw
    assert lit[0] >= left and lit[2] <= left + tw
    top = (20 - font.height) // 2 if valign == "middle" else 20 - font.height
    assert lit[1] >= top and lit[3] <= top + font.height


def test_wrapped_text_takes_only_whole_lines_that_fit() -> None:
    font = font_for("small")
    widget = Text(LONG, lines=5)
    w, h = widget.size((60, 2 * font.height + 5), env())
    assert h == 2 * font.height + 1 and w <= 60
    image, _ = paint_at(widget, (0, 0, 60, 2 * font.height + 5))
    assert inside(image, (0, 0, 60, 2 * font.height + 1))


@pytest.mark.parametrize("content", [None, 12345, 3.5, ["a", "b"], "tab\there\u2019s", "\u2603"])
def test_text_takes_any_value(content) -> None:
    image, ttl = paint_at(Text(content), (0, 0, 64, 8))
    assert ttl == math.inf
    assert (image.getbbox() is None) == (content is None)


def test_marquee_that_fits_stands_still() -> None:
    image, ttl = paint_at(Marquee("Hi"), (0, 0, 64, 8))
    assert ttl == math.inf
    later, _ = paint_at(Marquee("Hi"), (0, 0, 64, 8), now=NOW + timedelta(seconds=7))
    assert image.tobytes() == later.tobytes()


def test_marquee_moves_with_the_clock_and_repeats_for_the_same_time() -> None:
    widget = Marquee(LONG)
    assert widget.size((40, 8), env()) == (40, 8)
    frames = []
    for seconds in (0, 0, 3.0, 5.5):
        image, ttl = paint_at(Marquee(LONG), (4, 1, 40, 8), now=NOW + timedelta(seconds=seconds))
        assert 0 < ttl < math.inf
        assert inside(image, (4, 1, 40, 8))
        frames.append(image.tobytes())
    assert frames[0] == frames[1]
    assert len(set(frames)) == 3


def test_scene_ttl_and_marquee_ttl_combine() -> None:
    tree = Column([Text("still"), Marquee(LONG)])
    _, ttl = draw(tree, (64, 32), NOW)
    _, capped = draw(Scene(tree, ttl=0.25), (64, 32), NOW)
    assert 0 < ttl < math.inf and capped == min(0.25, ttl)
    assert draw(Scene(Text("x"), 30.0), (64, 32), NOW)[1] == 30.0


# ---- Icon and Picture ---------------------------------------------------------


def test_icon_is_drawn_smaller_where_the_room_is_smaller() -> None:
    e = env()
    assert Icon("rain", 16).size((64, 32), e) == (16, 16)
    assert Icon("rain", 16).size((64, 10), e) == (10, 10)
    assert Icon("rain", 16).size((64, 7), e) == (0, 0)
    image, _ = paint_at(Icon("rain", 16), (3, 3, 12, 30))
    expected = Image.new("RGB", image.size)
    expected.paste(icon_image("rain", 12), (3, 3), icon_image("rain", 12))
    assert image.tobytes() == expected.tobytes()


@pytest.mark.parametrize("name", ["clear", "moon", "trash", "no-such-icon"])
def test_icons_by_name(name: str) -> None:
    image, _ = paint_at(Icon(name, 12, phase=0.3), (0, 0, 12, 12))
    assert image.getbbox() is not None and inside(image, (0, 0, 12, 12))
    if name == "no-such-icon":
        unknown, _ = paint_at(Icon("unknown", 12), (0, 0, 12, 12))
        assert image.tobytes() == unknown.tobytes()


@pytest.mark.parametrize(("name", "night", "phase"), [
    (["rain"], "yes", "full"), (None, 1, float("nan")), ("moon", None, None), (7, True, True),
])
def test_icon_fields_from_a_message_take_any_value(name, night, phase) -> None:
    image, _ = paint_at(Icon(name, 12, night=night, phase=phase), (0, 0, 12, 12))
    assert image.getbbox() is not None and inside(image, (0, 0, 12, 12))


def test_picture_at_its_size_and_shrunk_to_fit_keeping_aspect() -> None:
    sprite = Image.new("RGBA", (8, 4), (0, 0, 0, 0))
    sprite.putpixel((0, 0), (*GREEN, 255))
    sprite.putpixel((7, 3), (*BLUE, 255))
    e = env()
    assert Picture(sprite).size((64, 32), e) == (8, 4)
    assert Picture(sprite).size((4, 32), e) == (4, 2)
    image, _ = paint_at(Stack([block(8, 4), Picture(sprite)]), (1, 1, 8, 4))
    assert image.getpixel((1, 1)) == GREEN and image.getpixel((8, 4)) == BLUE
    assert image.getpixel((2, 1)) == RED  # transparent: what is below shows
    small, _ = paint_at(Picture(sprite), (0, 0, 4, 10))
    assert inside(small, (0, 0, 4, 2))


def test_picture_of_another_mode_is_converted() -> None:
    palette = Image.new("P", (3, 3), 1)
    palette.putpalette([0, 0, 0, 255, 0, 0])
    image, _ = paint_at(Picture(palette), (0, 0, 3, 3))
    assert image.getpixel((1, 1)) == RED


# ---- ProgressBar, Sparkline, BarChart -----------------------------------------


@pytest.mark.parametrize(("fraction", "filled"), [
    (0.5, 10), (0, 0), (1, 20), (7, 20), (-1, 0), (float("nan"), 0), ("half", 0), (None, 0),
    (True, 0),
])
def test_progress_bar_fills_its_fraction(fraction, filled: int) -> None:
    bar = ProgressBar(fraction, color=GREEN, track=BLUE, height=2)
    assert bar.size((20, 32), env()) == (20, 2)
    image, _ = paint_at(bar, (0, 0, 20, 2))
    assert len(lit_columns(image, GREEN)) == filled
    assert len(lit_columns(image, BLUE)) == 20 - filled


def test_sparkline_rises_with_its_values_and_breaks_at_gaps() -> None:
    line = Sparkline([0, 1, 2, 3, None, 5, 6, 7], color=GREEN, height=8)
    assert line.size((64, 32), env()) == (8, 8)
    image, _ = paint_at(line, (0, 0, 8, 8))
    heights = [next((y for y in range(8) if image.getpixel((x, y)) == GREEN), None)
               for x in range(8)]
    assert heights[0] == 7 and heights[7] == 0
    assert heights[4] is None  # the gap
    assert all(a > b for a, b in zip(heights[:4], heights[1:4], strict=False))


def test_sparkline_spreads_over_a_wider_box_and_fills_below() -> None:
    line = Sparkline([1, 1, 1], color=GREEN, fill=BLUE, low=0, high=2)
    image, _ = paint_at(line, (0, 0, 20, 9))
    assert lit_columns(image, GREEN) == list(range(20))
    assert image.getpixel((10, 8)) == BLUE and inside(image, (0, 0, 20, 9))


@pytest.mark.parametrize("values", [[], "abc", None, [None, None], [5, 5, 5]])
def test_charts_take_any_series(values) -> None:
    for widget in (Sparkline(values), BarChart(values)):
        image, _ = paint_at(widget, (0, 0, 20, 8))
        assert inside(image, (0, 0, 20, 8))


def test_bar_chart_heights_and_the_bars_that_fit() -> None:
    bars = BarChart([4, 2, 0.01, 0, 8, 8, 8], color=GREEN, bar=2, gap=1, height=8, high=8)
    assert bars.size((64, 32), env()) == (7 * 3 - 1, 8)
    assert bars.size((10, 32), env()) == (8, 8)  # three bars fit
    image, _ = paint_at(bars, (0, 0, 10, 8))
    column_height = [sum(image.getpixel((x, y)) == GREEN for y in range(8)) for x in range(10)]
    assert column_height == [4, 4, 0, 2, 2, 0, 1, 1, 0, 0]


# ---- QR ---------------------------------------------------------------------


WIFI = "WIFI:T:WPA;S:home;P:secret;;"


@pytest.mark.parametrize(("room", "module"), [((64, 32), 4), ((128, 64), 4), ((128, 64), 1)])
def test_qr_is_the_wifi_pages_code_as_large_as_fits(room, module: int) -> None:
    modules = len(qr_matrix(WIFI))
    size, quiet = fit(modules, min(room))
    if size > module:
        size, quiet = module, min(4, (min(room) // module - modules) // 2)
    expected = qr_image(WIFI, size, quiet)
    qr = QR(WIFI, module=module)
    assert qr.size(room, env()) == expected.size
    image, _ = paint_at(qr, (2, 3, *room))
    assert image.getbbox() == (2, 3, 2 + expected.width, 3 + expected.height)
    assert image.crop(image.getbbox()).tobytes() == expected.tobytes()


def test_qr_too_long_or_empty_draws_nothing() -> None:
    assert QR("x" * 900).size((64, 32), env()) == (0, 0)
    assert QR("").size((64, 32), env()) == (0, 0)
    image, _ = paint_at(QR("x" * 900), (0, 0, 64, 32))
    assert image.getbbox() is None


# ---- the whole tree -----------------------------------------------------------


@pytest.mark.parametrize("size", [(0, 0), (1, 1), (7, 3), (63, 31), (65, 33), (200, 17)])
def test_render_any_size_gives_a_picture_of_that_size(size) -> None:
    tree = Column([Row([Icon("snow", 16), Text(LONG, "medium")]), ProgressBar(0.5)])
    image = render(tree, size, NOW)
    assert image.size == (max(1, size[0]), max(1, size[1])) and image.mode == "RGB"


def _random_tree(rng: random.Random, depth: int = 0) -> Widget:
    leaves = [
        lambda: Text(LONG[: rng.randrange(0, 80)], rng.choice(["tiny", "small", "medium"]),
                     lines=rng.choice([1, 1, 3])),
        lambda: Marquee(LONG[: rng.randrange(0, 80)]),
        lambda: Icon(rng.choice(["rain", "clear", "moon", "trash"]), rng.choice([8, 12, 16, 24])),
        lambda: ProgressBar(rng.random(), width=rng.choice([None, 5, 300])),
        lambda: Sparkline([rng.random() for _ in range(rng.randrange(0, 40))]),
        lambda: BarChart([rng.random() for _ in range(rng.randrange(0, 40))], bar=2),
        lambda: Box(width=rng.randrange(0, 200), height=rng.randrange(0, 100),
                    background=RED, border=GREEN),
    ]
    if depth >= 3 or rng.random() < 0.4:
        return rng.choice(leaves)()
    kids = [_random_tree(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    kids = [Expand(k) if rng.random() < 0.2 else k for k in kids]
    kind = rng.randrange(5)
    if kind == 0:
        return Row(kids, gap=rng.randrange(3), main_align=rng.choice(["start", "space_between"]),
                   cross_align=rng.choice(["start", "center", "stretch"]))
    if kind == 1:
        return Column(kids, gap=rng.randrange(3), main_align=rng.choice(["end", "space_evenly"]))
    if kind == 2:
        return Stack([k.child if isinstance(k, Expand) else k for k in kids], halign="center")
    if kind == 3:
        return Box(kids[0] if kids else None, padding=rng.randrange(4), border=BLUE)
    return BySize({"64x32": kids[0] if kids else Text("a")}, default=Text("b"))


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_never_draw_past_their_box(seed: int) -> None:
    rng = random.Random(seed)
    tree = _random_tree(rng)
    panel = rng.choice([(64, 32), (128, 32), (64, 64), (128, 64), (13, 7), (97, 45)])
    box = (5, 6, *panel)
    image = Image.new("RGB", (panel[0] + 20, panel[1] + 20))
    ttl = tree.paint(image, box, env(panel))
    assert ttl > 0
    assert inside(image, box), (seed, image.getbbox())


def test_widgets_import_neither_qrcode_nor_tomllib_until_needed() -> None:
    code = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from matrix_client.render.widgets import Column, Text, QR, render\n"
        "render(Column([Text('hello')]), (64, 32), datetime.now(UTC))\n"
        "print('qrcode' in sys.modules, 'tomllib' in sys.modules, end=' ')\n"
        "render(QR('hello'), (64, 32), datetime.now(UTC))\n"
        "print('qrcode' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]


@pytest.mark.parametrize("seed", range(40))
def test_measuring_is_monotonic_so_remembered_sizes_are_right(seed: int) -> None:
    """What a widget wants in room R it wants in any room between that size and R:
    the rule that lets a size (and a row's plan) measured once serve the paint."""
    rng = random.Random(seed)
    panel = rng.choice([(64, 32), (128, 64), (97, 45)])
    big = (rng.randrange(1, 200), rng.randrange(1, 100))
    wanted = _random_tree(random.Random(seed)).size(big, env(panel))
    between = (rng.randint(wanted[0], big[0]), rng.randint(wanted[1], big[1]))
    fresh = _random_tree(random.Random(seed))  # the same tree, nothing remembered
    assert fresh.size(between, env(panel)) == wanted, (seed, big, between)


EVERY_KIND = {
    "box": lambda: Box(Text("x"), padding=1, border=RED, background=BLUE),
    "row": lambda: Row([Text("ab"), Expand(ProgressBar(0.5)), Icon("rain")], gap=1),
    "column": lambda: Column([Text("ab"), Text(LONG, lines=3)], main_align="space_evenly"),
    "stack": lambda: Stack([Box(background=RED), Text("ab")], halign="stretch"),
    "bysize": lambda: BySize({"64x32": Text("ab")}, default=Text("cd")),
    "text": lambda: Text(LONG, "medium", align="center", valign="middle"),
    "marquee": lambda: Marquee(LONG),
    "icon": lambda: Icon("thunder", 24),
    "picture": lambda: Picture(Image.new("RGB", (9, 5), GREEN)),
    "progress": lambda: ProgressBar(0.3, width=40, height=3),
    "sparkline": lambda: Sparkline([3, 1, 4, 1, 5], fill=BLUE),
    "bars": lambda: BarChart([3, 1, 4, 1, 5], bar=3),
    "qr": lambda: QR("WIFI:T:WPA;S:home;P:secret;;"),
}


@pytest.mark.parametrize("kind", sorted(EVERY_KIND))
@pytest.mark.parametrize("room", [(0, 0), (0, 20), (20, 0), (1, 1), (3, 50), (200, 2), (33, 17)])
def test_every_widget_in_no_room_or_an_odd_room(kind: str, room) -> None:
    widget = EVERY_KIND[kind]()
    w, h = widget.size(room, env())
    assert 0 <= w <= room[0] and 0 <= h <= room[1]
    assert (w == 0) == (h == 0)  # a widget shows in both directions or not at all
    box = (4, 4, *room)
    image, ttl = paint_at(EVERY_KIND[kind](), box)
    assert ttl > 0 and inside(image, box)
    if 0 in room:
        assert image.getbbox() is None
