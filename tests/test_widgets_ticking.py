"""The leaves that paint the seconds from the render's time (render/widgets/ticking.py)
and what they buy: the clock's tree stays the same for a minute, so the frame cache
paints its still part about once a minute, not once a second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from matrix_client.pages import clock
from matrix_client.pages.samples import NOW, context
from matrix_client.render.fonts import font_for
from matrix_client.render.layout import hbar
from matrix_client.render.widgets import Env, ProgressBar, Row, Text, render
from matrix_client.render.widgets import frame_cache as cache_module
from matrix_client.render.widgets.frame_cache import FrameCache
from matrix_client.render.widgets.ticking import Seconds, SecondsBar

AMBER = (255, 170, 0)


def _painted(widget, box, now) -> bytes:
    image = Image.new("RGB", (40, 16))
    widget.paint(image, box, Env(now=now, panel=(40, 16)))
    return image.tobytes()


@given(st.integers(0, 59), st.sampled_from(["", " AM", " PM"]),
       st.sampled_from(["tiny", "small", "medium"]), st.sampled_from(["left", "right"]))
def test_seconds_draw_as_a_text_of_the_same_digits(second, suffix, font, align) -> None:
    """In the room of the widest seconds, at every second: nothing beside them moves."""
    now = NOW.replace(second=second)
    seconds = Seconds(suffix, font, AMBER, align=align)
    text = Text(f"{second:02d}{suffix}", font, AMBER, align=align)
    env = Env(now=now, panel=(40, 16))
    widths = [Text(f"{s:02d}{suffix}", font).size((40, 16), env)[0] for s in range(60)]
    assert seconds.size((40, 16), env) == (max(widths), text.size((40, 16), env)[1])
    assert _painted(seconds, (2, 1, 36, 14), now) == _painted(text, (2, 1, 36, 14), now)


def test_what_follows_the_seconds_stays_put_as_they_tick() -> None:
    """"11" is a pixel narrower than "10" in the small font; the AM/PM after it (and a
    centred clock around it) does not move."""
    def pm_columns(second: int) -> set[int]:
        row = Row([Seconds("", "small", AMBER), Text("PM", "small", (0, 0, 255))], gap=1)
        image = render(row, (40, 16), NOW.replace(second=second))
        return {x for x in range(40) for y in range(16) if image.getpixel((x, y)) == (0, 0, 255)}

    assert font_for("small").width("11") < font_for("small").width("10")
    assert pm_columns(10) == pm_columns(11) == pm_columns(41)


def test_seconds_that_do_not_fit_show_nothing_rather_than_a_shortened_number() -> None:
    seconds = Seconds(" PM", "small", AMBER)
    env = Env(now=NOW, panel=(40, 16))
    assert seconds.size((8, 16), env) == (0, 0)
    assert set(_painted(seconds, (0, 0, 8, 16), NOW)) == {0}


def test_seconds_and_bar_say_when_the_next_second_starts() -> None:
    now = NOW.replace(second=7, microsecond=250_000)
    image = Image.new("RGB", (40, 16))
    env = Env(now=now, panel=(40, 16))
    assert Seconds().paint(image, (0, 0, 40, 16), env) == pytest.approx(0.75)
    assert SecondsBar().paint(image, (0, 0, 40, 2), env) == pytest.approx(0.75)


@pytest.mark.parametrize("second", [0, 15, 30, 59])
def test_the_seconds_bar_is_the_progress_bar_of_the_minute(second: int) -> None:
    now = NOW.replace(second=second)
    bar = SecondsBar(AMBER, (9, 9, 9), height=2)
    expected = Image.new("RGB", (40, 16))
    hbar(expected, (0, 3, 40, 2), second / 60, AMBER, (9, 9, 9))
    assert _painted(bar, (0, 3, 40, 2), now) == expected.tobytes()
    progress = ProgressBar(second / 60, AMBER, (9, 9, 9), height=2)
    assert _painted(progress, (0, 3, 40, 2), now) == expected.tobytes()


@pytest.mark.parametrize("size", [(64, 32), (128, 32), (64, 64), (128, 64)])
def test_the_clock_is_painted_in_full_about_once_a_minute(size, monkeypatch) -> None:
    """Over two minutes of renders a second apart, the still part is painted afresh only
    when the minute changes, and every frame is still the picture of its own second."""
    cache = FrameCache()
    monkeypatch.setattr(cache_module, "FRAMES", cache)
    monkeypatch.setattr("matrix_client.render.widgets.engine.FRAMES", cache)
    full = []
    real = cache_module.paint_all
    monkeypatch.setattr(cache_module, "paint_all",
                        lambda *a, **k: full.append(1) or real(*a, **k))
    ctx = context("", size)
    start = NOW.replace(second=0, microsecond=0)
    frames = set()
    for step in range(120):
        frame = clock.PAGE.render(ctx.__class__(**{**ctx.__dict__,
                                                   "now": start + timedelta(seconds=step)}))
        frames.add(frame.image.tobytes())
    # Per minute one first draw in full; the analog face (64x64) or digits differ every
    # second.
    assert len(full) == 2, len(full)
    assert len(frames) == 120
