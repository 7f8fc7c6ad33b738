"""The layout layer: text that fits or shortens at glyph boundaries and never
leaves its box, the marquee clock, icons, the moon, the QR code, the overlay."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from PIL import Image

from matrix_client.pages.overlays import notify_overlay
from matrix_client.pages.samples import NOW
from matrix_client.pages.weather import aqi_scale
from matrix_client.pages.wifi import LIGHT, draw_qr, fit, qr_matrix, ssid_of
from matrix_client.render.fonts import font_for
from matrix_client.render.icons import (
    CONDITIONS,
    condition_for,
    lit_fraction,
    moon_image,
    weather_icon,
)
from matrix_client.render.text import ELLIPSIS, clean, marquee_offset, shorten, text_box, wrap
from matrix_client.render.widgets import render as render_tree

WHITE = (255, 255, 255)


@pytest.mark.parametrize("role", ["tiny", "small", "medium"])
@pytest.mark.parametrize("width", [1, 5, 12, 30, 64])
def test_shorten_fits_and_cuts_only_between_glyphs(role: str, width: int) -> None:
    font = font_for(role)
    text = "Thanksgiving dinner at Grandma's"
    shown = shorten(text, font, width)
    assert font.width(shown) <= width
    body = shown[: -len(ELLIPSIS)] if shown.endswith(ELLIPSIS) else shown
    assert text.startswith(body)


def test_text_never_draws_outside_its_box() -> None:
    font = font_for("medium")
    image = Image.new("RGB", (40, 20))
    box = (5, 4, 22, 10)
    text_box(image, box, "Wgjpqy|Wgjpqy|Wgjpqy", font, WHITE, align="center")
    x, y, w, h = box
    lit = image.getbbox()
    assert lit is not None
    assert lit[0] >= x and lit[1] >= y and lit[2] <= x + w and lit[3] <= y + h


def test_the_same_text_box_again_takes_its_own_colour_and_place() -> None:
    """Glyphs of a box are kept between renders: colour and position must not be."""
    font = font_for("small")
    first, second = Image.new("RGB", (64, 32)), Image.new("RGB", (64, 32))
    text_box(first, (2, 3, 40, 9), "Dentist", font, (255, 0, 0))
    text_box(second, (2, 3, 40, 9), "Dentist", font, (255, 0, 0))
    assert first.tobytes() == second.tobytes()
    moved = Image.new("RGB", (64, 32))
    text_box(moved, (10, 20, 40, 9), "Dentist", font, (0, 255, 0))
    assert {color for _, color in moved.getcolors()} == {(0, 0, 0), (0, 255, 0)}
    assert _lit(moved) == {(x + 8, y + 17) for x, y in _lit(first)}


def _lit(image: Image.Image) -> set[tuple[int, int]]:
    return {(x, y) for y in range(image.height) for x in range(image.width)
            if image.getpixel((x, y)) != (0, 0, 0)}


def test_wrap_keeps_lines_within_width_and_count() -> None:
    font = font_for("small")
    lines = wrap("the quick brown fox jumps over the lazy dog " * 5, font, 40, 3)
    assert len(lines) == 3
    assert all(font.width(line) <= 40 for line in lines)
    assert lines[-1].endswith(ELLIPSIS)


def test_clean_makes_any_value_drawable() -> None:
    assert clean("a\nb\tc\x00\u2019s \u2603") == "a b c's ?"
    assert clean(None) == "" and clean(12) == "12"
    assert len(clean("x" * 10_000)) == 400


def test_marquee_rests_then_scrolls_and_wraps_around() -> None:
    assert marquee_offset(50, 64, NOW) == (0, math.inf)  # fits: still
    offsets = [marquee_offset(200, 64, NOW + timedelta(seconds=s / 4))[0] for s in range(200)]
    assert 0 in offsets and max(offsets) > 100
    assert all(o < 200 + 16 for o in offsets)
    offset, ttl = marquee_offset(200, 64, NOW)
    again = marquee_offset(200, 64, NOW)
    assert (offset, ttl) == again and 0 < ttl <= 2.0


@pytest.mark.parametrize("size", [10, 12, 16, 24])
@pytest.mark.parametrize("kind", CONDITIONS)
def test_weather_icons_are_drawn_at_every_size(kind: str, size: int) -> None:
    for night in (False, True):
        icon = weather_icon(kind, night, size)
        assert icon.size == (size, size) and icon.mode == "RGBA"
        assert icon.getbbox() is not None


def test_night_and_day_differ_where_the_sky_shows() -> None:
    for kind in ("clear", "partly"):
        day, night = weather_icon(kind, False, 16), weather_icon(kind, True, 16)
        assert day.tobytes() != night.tobytes()


@pytest.mark.parametrize(
    ("wid", "desc", "kind"),
    [
        (200, None, "thunder"),
        (301, None, "drizzle"),
        (500, None, "rain"),
        (511, None, "sleet"),
        (601, None, "snow"),
        (741, None, "fog"),
        (781, None, "wind"),
        (800, None, "clear"),
        (802, None, "partly"),
        (803, None, "cloudy"),
        (804, None, "overcast"),
        ("800", None, "clear"),
        (None, "Light snow showers", "snow"),
        (True, None, "unknown"),
        (None, 5, "unknown"),
    ],
)
def test_condition_mapping(wid: object, desc: object, kind: str) -> None:
    assert condition_for(wid, desc) == kind


@pytest.mark.parametrize("phase", [0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9])
def test_moon_lit_area_and_side_follow_the_phase(phase: float) -> None:
    size = 40
    image = moon_image(phase, size)
    px = image.load()
    lit_left = lit_right = disc = 0
    for y in range(size):
        for x in range(size):
            r, g, b, a = px[x, y]
            if not a:
                continue
            disc += 1
            if r > 100:
                if x < size / 2:
                    lit_left += 1
                else:
                    lit_right += 1
    fraction = (lit_left + lit_right) / disc
    assert fraction == pytest.approx(lit_fraction(phase), abs=0.06)
    if 0.05 < phase < 0.45:
        assert lit_right > lit_left  # waxing: lit on the right
    if 0.55 < phase < 0.95:
        assert lit_left > lit_right  # waning: lit on the left


def test_qr_modules_are_exact_pixels_with_a_lit_quiet_zone() -> None:
    data = "WIFI:T:WPA;S:Glance-Home;P:correct horse battery;;"
    matrix = qr_matrix(data)
    size, quiet = fit(len(matrix), 64)
    assert size == 2 and quiet >= 1
    image = Image.new("RGB", (64, 64))
    side = draw_qr(image, matrix, (0, 0), size, quiet)
    assert side == (len(matrix) + 2 * quiet) * size <= 64
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            for dy in range(size):
                for dx in range(size):
                    pixel = image.getpixel(((quiet + c) * size + dx, (quiet + r) * size + dy))
                    assert pixel == ((0, 0, 0) if dark else LIGHT), (r, c)
    for i in range(side):
        assert image.getpixel((i, 0)) == LIGHT and image.getpixel((0, i)) == LIGHT


def test_ssid_is_read_from_the_wifi_string() -> None:
    assert ssid_of("WIFI:T:WPA;S:My\\;Net;P:x;;") == "My;Net"
    assert ssid_of("not wifi") == ""


def test_aqi_scale_marker_moves_with_the_score() -> None:
    def marker_x(score: int) -> int:
        image = render_tree(aqi_scale(score), (60, 3), NOW)
        return next(x for x in range(60) if image.getpixel((x, 0)) == (235, 235, 235))

    assert marker_x(10) < marker_x(75) < marker_x(175) < marker_x(450)


def test_notify_overlay_is_a_transparent_banner() -> None:
    for size in [(64, 32), (128, 32), (64, 64), (128, 64)]:
        short = notify_overlay("Dinner!", NOW, size)
        assert short.image.size == size and short.image.mode == "RGBA"
        assert short.ttl == math.inf
        alpha = short.image.getchannel("A")
        assert alpha.getpixel((0, 0)) == 0 and alpha.getpixel((size[0] // 2, size[1] // 2)) == 255
        long = notify_overlay("word " * 200, NOW, size)
        assert long.ttl < 5
    assert notify_overlay("", NOW, (64, 32)).image.getbbox() is None


def test_notify_levels_icons_and_blink() -> None:
    from glanceboard.payloads.icons import ICON_NAMES as CHECKED_NAMES
    from matrix_client.pages.overlays import LOOKS
    from matrix_client.render.widgets import ICON_NAMES

    assert CHECKED_NAMES == ICON_NAMES  # what the API server accepts is what the panel draws
    for size in [(64, 32), (128, 32), (64, 64), (128, 64)]:
        colours = {}
        for level in ("info", "warning", "critical"):
            image = notify_overlay("Door open", NOW, size, level=level).image
            colours[level] = {c for _, c in image.getcolors(size[0] * size[1])}
            assert (*LOOKS[level].border, 255) in colours[level]
        alpha = notify_overlay("Door open", NOW, size, level="critical").image.getchannel("A")
        assert alpha.getextrema() == (255, 255)  # critical: the whole panel, page hidden
        plain = notify_overlay("Rain", NOW, size, level="warning")
        with_icon = notify_overlay("Rain", NOW, size, level="warning", icon="rain")
        assert plain.image.tobytes() != with_icon.image.tobytes()
        assert with_icon.image.getchannel("A").getpixel((0, 0)) == 0  # a band, still
        on = notify_overlay("Hi", NOW, size, blink=True)
        off = notify_overlay("Hi", NOW + timedelta(seconds=0.5), size, blink=True)
        assert on.image.tobytes() != off.image.tobytes() and 0 < on.ttl <= 0.5
        again = notify_overlay("Hi", NOW + timedelta(seconds=1), size, blink=True)
        assert again.image.tobytes() == on.image.tobytes()  # a function of time
    odd = notify_overlay("x", NOW, (64, 32), level="nonsense", icon="nonsense")
    assert odd.image.getbbox() is not None  # drawn as info with the unknown cloud
