"""The frame cache (render/widgets/frame_cache.py) and the marquee's glyph strips
(render/text.py): a tree drawn from its kept still layer is the same picture, pixel for
pixel and ttl for ttl, as the tree painted in full, at every time; the caches stay
within their bounds."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from matrix_client.pages.samples import NOW
from matrix_client.render import text as text_module
from matrix_client.render.fonts import font_for
from matrix_client.render.text import MARQUEE_GAP, marquee, marquee_offset
from matrix_client.render.widgets import (
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
    Sparkline,
    Stack,
    Text,
    Widget,
    frame_cache,
)
from matrix_client.render.widgets.bands import BandScale
from matrix_client.render.widgets.capped import Capped
from matrix_client.render.widgets.curve import TempCurve
from matrix_client.render.widgets.face import ClockFace
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.flow import Flow
from matrix_client.render.widgets.frame_cache import (
    FrameCache,
    LayoutMemo,
    forget_layouts,
    paint_all,
)
from matrix_client.render.widgets.line import Line
from matrix_client.render.widgets.moon import Arrow, MoonDisc
from matrix_client.render.widgets.scoreboard import Bases, Dots, Pointer
from matrix_client.render.widgets.scoreline import ScoreLine
from matrix_client.render.widgets.ticking import Seconds, SecondsBar

WORDS = "Light rain until 6 pm, then clearing; breezy overnight with gusts of 30 mph"
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
FONTS = st.sampled_from(["tiny", "small", "medium"])
COLORS = st.sampled_from([RED, GREEN, BLUE, (255, 255, 255)])


def _picture(color: tuple[int, int, int], w: int, h: int) -> Picture:
    return Picture(Image.new("RGBA", (w, h), (*color, 255)))


# Values where a page's data goes: near misses that a key must not mix up (1, 1.0
# and True; a NaN; None; a string).
VALUES = st.sampled_from([None, True, False, 0, 1, 1.0, 0.5, 2, 3, 51, 120.5, 400,
                          float("nan"), "7"])
TEXTS = st.builds(Text, st.text(WORDS, max_size=40), FONTS, COLORS,
                  align=st.sampled_from(["left", "center", "right"]),
                  valign=st.sampled_from(["top", "middle", "bottom"]),
                  lines=st.sampled_from([1, 1, 2]))
MARQUEES = st.builds(Marquee, st.sampled_from(["", "Hi", WORDS[:20], WORDS]), FONTS, COLORS,
                     align=st.sampled_from(["left", "right"]),
                     valign=st.sampled_from(["top", "middle"]))
BANDS = st.sampled_from([((50, GREEN), (100, BLUE), (150, RED)), ((10, RED),), ()])


def _more(color: tuple[int, int, int], scrolls: bool):
    """A Flow's last cell as pages make it: a function closing over a colour."""
    if scrolls:
        return lambda hidden: Marquee(f"{hidden} more: {WORDS}", "tiny", color)
    return lambda hidden: Text(f"+{hidden}", "tiny", color)


# The widgets the built-in pages added, as leaves (ScoreLine's tag and Flow's items
# are widgets of their own, moving ones among them).
SUFFIXES = st.sampled_from(["", " AM", " PM", "s"])
MARKS = st.one_of(
    st.builds(ClockFace, st.integers(-1, 20), COLORS),
    st.builds(Seconds, SUFFIXES, FONTS, COLORS, align=st.sampled_from(["left", "right"]),
              valign=st.sampled_from(["top", "bottom"])),
    st.builds(SecondsBar, COLORS, COLORS, width=st.sampled_from([None, 5, 40]),
              height=st.integers(1, 3)),
    st.builds(BandScale, VALUES, BANDS, height=st.integers(1, 4), marker=COLORS),
    st.builds(MoonDisc, VALUES, st.sampled_from([3, 8, 28])),
    st.builds(Arrow, st.sampled_from([None, True, False, 0, 1]), COLORS),
    st.builds(Bases, st.lists(VALUES, max_size=4), radius=st.integers(1, 4), on=COLORS),
    st.builds(Dots, VALUES, count=st.integers(0, 4), size_px=st.integers(1, 3),
              gap=st.integers(0, 2), on=COLORS),
    st.builds(Pointer, st.sampled_from([True, False, 0, 1]), COLORS),
)
NEW_LEAVES = st.one_of(
    MARKS,
    st.builds(TempCurve, st.lists(VALUES, max_size=12), st.lists(VALUES, max_size=12),
              st.lists(st.integers(0, 12), max_size=3), FONTS, rain=COLORS,
              empty=st.sampled_from(["none", "no temperatures"]), height=st.integers(3, 30)),
    st.builds(Line, TEXTS),
    st.builds(ScoreLine, VALUES, VALUES, st.integers(4, 14), FONTS, FONTS,
              score_width=st.integers(0, 20), name_color=COLORS, score_color=COLORS,
              name_drop=st.integers(0, 2), score_drop=st.integers(0, 2),
              gap=st.integers(0, 2), tag=st.one_of(st.none(), MARKS, MARQUEES),
              tag_gap=st.integers(0, 3)),
    st.builds(Flow, st.lists(st.one_of(TEXTS, MARQUEES, MARKS), max_size=10),
              st.integers(0, 3), st.integers(0, 10), st.integers(0, 3),
              more=st.one_of(st.none(), st.builds(_more, COLORS, st.booleans())),
              cycle=st.sampled_from([None, None, 2.0, 7.5])),
)

LEAVES = st.one_of(
    TEXTS,
    MARQUEES,
    NEW_LEAVES,
    st.builds(Icon, st.sampled_from(["rain", "clear", "moon", "trash"]),
              st.sampled_from([8, 16, 24])),
    st.builds(_picture, COLORS, st.integers(1, 30), st.integers(1, 20)),
    st.builds(ProgressBar, st.floats(0, 1), width=st.sampled_from([None, 5, 40])),
    st.builds(Sparkline, st.lists(st.floats(0, 9), max_size=20)),
    st.builds(BarChart, st.lists(st.integers(0, 9), max_size=20), bar=st.integers(1, 3)),
    st.builds(Box, width=st.integers(0, 80), height=st.integers(0, 40), background=COLORS),
)


def _containers(children: st.SearchStrategy[Widget]) -> st.SearchStrategy[Widget]:
    kids = st.lists(children, max_size=4)
    return st.one_of(
        st.builds(Row, st.lists(st.one_of(children, st.builds(Expand, children)), max_size=4),
                  gap=st.integers(0, 2),
                  main_align=st.sampled_from(["start", "space_between", "end"]),
                  cross_align=st.sampled_from(["start", "center", "stretch"])),
        st.builds(Column, kids, gap=st.integers(0, 2),
                  cross_align=st.sampled_from(["start", "stretch"])),
        # Layers: a still widget over a marquee is the case that must not be reused.
        st.builds(Stack, kids, halign=st.sampled_from(["start", "stretch"]),
                  valign=st.sampled_from(["start", "stretch"])),
        st.builds(Box, children, padding=st.integers(0, 3),
                  border=st.one_of(st.none(), COLORS), background=st.one_of(st.none(), COLORS)),
        st.builds(lambda a, b: BySize({"64x32": a}, default=b), children, children),
        st.builds(FirstFit, kids, slack=st.integers(0, 4)),
        st.builds(Capped, children, st.integers(-1, 70)),
    )


TREES = st.recursive(LEAVES, _containers, max_leaves=12)
PANELS = st.sampled_from([(64, 32), (128, 64), (64, 64), (37, 19)])
# ms after NOW: the first draw paints in full, the second records, the rest replay.
STEPS = st.lists(st.integers(0, 40_000), min_size=2, max_size=6)


# One cache for every example: the trees hypothesis tries are often near variants of
# one another (a colour, a gap, a font apart), which a key missing a field would mix up.
SHARED = FrameCache(max_entries=100_000, max_bytes=1 << 30)


def _drawn_as_in_full(cache: FrameCache, tree: Widget, panel, steps) -> None:
    """At each step (ms after NOW), ``cache`` draws ``tree`` as a full paint does."""
    for ms in [0, *steps]:
        now = NOW + timedelta(milliseconds=ms)
        kept, kept_ttl = cache.draw(tree, Env(now=now, panel=panel), (0, 0, 0))
        full, full_ttl = paint_all(tree, Env(now=now, panel=panel), (0, 0, 0))
        assert kept.tobytes() == full.tobytes(), ms
        assert kept_ttl == full_ttl, ms


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TREES, PANELS, STEPS)
def test_a_kept_layer_draws_what_a_full_paint_draws(tree: Widget, panel, steps) -> None:
    _drawn_as_in_full(SHARED, tree, panel, steps)


def _changed_in_place(size: tuple[int, int]) -> tuple[FrameCache, Image.Image, Image.Image]:
    """A picture drawn twice, then repainted blue in place and drawn again."""
    cache = FrameCache()
    picture = Image.new("RGB", size, RED)
    tree = Row([Text("x"), Picture(picture)])
    first, _ = cache.draw(tree, Env(now=NOW, panel=(64, 32)), (0, 0, 0))
    cache.draw(Row([Text("x"), Picture(picture)]), Env(now=NOW, panel=(64, 32)), (0, 0, 0))
    picture.paste(BLUE, (0, 0, *size))
    again_env = Env(now=NOW, panel=(64, 32))
    again, _ = cache.draw(Row([Text("x"), Picture(picture)]), again_env, (0, 0, 0))
    assert BLUE in [again.getpixel((x, 0)) for x in range(64)]
    assert RED not in [again.getpixel((x, 0)) for x in range(64)]
    assert first.tobytes() != again.tobytes()
    return cache, first, again


def test_a_picture_changed_in_place_is_drawn_as_it_is_now() -> None:
    cache, _, _ = _changed_in_place((32, 16))
    assert len(cache) == 1 and cache.nbytes  # the layout was kept, the pixels were not


def test_a_small_picture_is_keyed_by_its_pixels() -> None:
    cache, _, _ = _changed_in_place((5, 3))
    assert len(cache) == 2  # new pixels, new key: the old layer is not replayed
    tree = Row([Text("x"), Picture(Image.new("RGB", (5, 3), RED))])
    for step in range(3):
        cache.draw(tree, Env(now=NOW + timedelta(seconds=step), panel=(64, 32)), (0, 0, 0))
    layer = next(reversed(cache._layers.values()))
    assert layer.still is not None and layer.moving == ()  # a still leaf: never repainted


class Clock(Text):
    """A widget of a page's own: it paints from the clock, which no key holds."""

    def paint(self, image, box, env) -> float:
        ImageDraw.Draw(image).point((env.now.second % box[2], box[1]), fill=RED)
        return 1.0


def test_a_widget_of_another_type_is_painted_in_full_every_time() -> None:
    cache = FrameCache()
    tree = Column([Text("still"), Clock("x")], cross_align="stretch")
    a, _ = cache.draw(tree, Env(now=NOW, panel=(64, 32)), (0, 0, 0))
    b, _ = cache.draw(tree, Env(now=NOW + timedelta(seconds=3), panel=(64, 32)), (0, 0, 0))
    assert a.tobytes() != b.tobytes()
    assert len(cache) == 0


def _draw_twice(cache: FrameCache, tree: Widget, panel=(64, 32)) -> None:
    """A tree's first draw paints it in full; its second keeps its still layer."""
    for _ in range(2):
        cache.draw(tree, Env(now=NOW, panel=panel), (0, 0, 0))


def test_a_layer_is_kept_when_a_tree_comes_again() -> None:
    cache = FrameCache()
    cache.draw(Text("once"), Env(now=NOW, panel=(64, 32)), (0, 0, 0))
    assert len(cache) == 1 and cache.nbytes == 0
    cache.draw(Text("once"), Env(now=NOW, panel=(64, 32)), (0, 0, 0))
    assert len(cache) == 1 and cache.nbytes == 64 * 32 * 3


def test_the_cache_is_bounded_by_entries_and_by_bytes() -> None:
    layer = 64 * 32 * 3
    cache = FrameCache(max_entries=4, max_bytes=10 * layer)
    for i in range(12):
        _draw_twice(cache, Text(f"page {i}"))
    assert len(cache) == 4 and cache.nbytes == 4 * layer
    cache = FrameCache(max_entries=32, max_bytes=3 * layer)
    for i in range(12):
        _draw_twice(cache, Text(f"page {i}"))
    assert len(cache) == 3 and cache.nbytes <= 3 * layer
    # The most recent are kept: drawing the last again is a hit, not a new entry.
    before = cache.nbytes
    cache.draw(Text("page 11"), Env(now=NOW, panel=(64, 32)), (0, 0, 0))
    assert len(cache) == 3 and cache.nbytes == before
    too_big = FrameCache(max_bytes=layer - 1)
    _draw_twice(too_big, Text("big"))
    assert too_big.nbytes == 0 and len(too_big) == 1  # known as one to draw in full


def test_a_marquee_strip_is_counted_in_the_layer_bytes() -> None:
    cache = FrameCache()
    _draw_twice(cache, Marquee(WORDS))
    strip = text_module.glyph_strip(WORDS, font_for("small"))
    assert cache.nbytes == 64 * 32 * 3 + strip.width * strip.height


def _marquee_drawn_by_glyphs(box, text, font, color, now) -> Image.Image:
    """The marquee as it was drawn before strips: the run rendered at each offset."""
    x, y, w, h = box
    image = Image.new("RGB", (x + w + 3, y + h + 3))
    tw = font.width(text)
    offset, _ = marquee_offset(tw, w, now)
    mask = Image.new("L", (w, min(h, font.height)))
    for start in (-offset, -offset + tw + MARQUEE_GAP):
        if start < w:
            ImageDraw.Draw(mask).text((start, 0), text, font=font.pil, fill=255)
    image.paste(color, (x, y, x + w, y + mask.height), mask)
    return image


@settings(max_examples=300, deadline=None)
@given(st.text(WORDS + "ÿg°", min_size=1, max_size=60),
       st.sampled_from(["tiny", "small", "medium", "clock"]),
       st.integers(1, 70), st.integers(1, 14), st.integers(0, 60_000))
def test_a_marquee_from_its_strip_is_the_glyphs_drawn_at_its_offset(text, role, w, h, ms):
    font = font_for(role)
    now = NOW + timedelta(milliseconds=ms)
    box = (2, 1, w, h)
    if font.width(text) <= w:
        return  # a text that fits is text_box's, not the strip's
    image = Image.new("RGB", (w + 5, h + 4))
    ttl = marquee(image, box, text, font, RED, now)
    assert image.tobytes() == _marquee_drawn_by_glyphs(box, text, font, RED, now).tobytes()
    assert 0 < ttl < math.inf


def test_glyph_strips_are_bounded() -> None:
    font = font_for("small")
    for i in range(40):
        text_module.glyph_strip(f"{WORDS} {i}", font)
    assert text_module.glyph_strip.cache_info().currsize <= 16


# Each new widget's fields, to make twins that differ in one field only: a key that
# leaves a field out gives the second twin the first one's picture.
SHORT = st.sampled_from(["Hi", "Garbage night", "72°", WORDS[:30]])
FIELDS: dict[type, dict[str, st.SearchStrategy]] = {
    ClockFace: {"radius": st.integers(2, 15), "color": COLORS},
    Seconds: {"suffix": SUFFIXES, "font": FONTS, "color": COLORS,
              "align": st.sampled_from(["left", "center", "right"]),
              "valign": st.sampled_from(["top", "middle", "bottom"])},
    SecondsBar: {"color": COLORS, "track": COLORS, "width": st.sampled_from([None, 5, 40]),
                 "height": st.integers(1, 3)},
    BandScale: {"value": VALUES, "bands": BANDS, "height": st.integers(1, 4), "marker": COLORS},
    MoonDisc: {"phase": VALUES, "size_px": st.sampled_from([5, 8, 28])},
    Arrow: {"up": st.sampled_from([None, True, False, 0, 1]), "color": COLORS},
    Bases: {"bases": st.lists(VALUES, max_size=3), "radius": st.integers(1, 4),
            "on": COLORS, "off": COLORS},
    Dots: {"filled": VALUES, "count": st.integers(1, 4), "size_px": st.integers(1, 3),
           "gap": st.integers(0, 2), "on": COLORS, "off": COLORS},
    Pointer: {"up": st.sampled_from([True, False, 0, 1]), "color": COLORS},
    TempCurve: {"temps": st.lists(VALUES, min_size=2, max_size=8),
                "pops": st.lists(VALUES, max_size=8), "marks": st.lists(st.integers(0, 8)),
                "font": FONTS, "rain": COLORS, "empty": st.sampled_from(["none", "no temps"]),
                "height": st.integers(3, 30)},
    Line: {"text": st.builds(Text, SHORT, FONTS, COLORS)},
    ScoreLine: {"name": VALUES | SHORT, "score": VALUES, "height": st.integers(4, 14),
                "name_font": FONTS, "score_font": FONTS, "score_width": st.integers(0, 20),
                "name_color": COLORS, "score_color": COLORS, "name_drop": st.integers(0, 2),
                "score_drop": st.integers(0, 2), "gap": st.integers(0, 4),
                "tag": st.one_of(st.none(), MARKS, MARQUEES), "tag_gap": st.integers(0, 4)},
    Flow: {"items": st.lists(st.one_of(TEXTS, MARKS), min_size=3, max_size=12),
           "columns": st.integers(1, 3), "row_height": st.integers(6, 20),
           "gap": st.integers(0, 3),
           "more": st.one_of(st.none(), st.builds(_more, COLORS, st.booleans())),
           "cycle": st.sampled_from([None, 2.0, 7.5])},
    FirstFit: {"choices": st.lists(st.builds(Text, SHORT, FONTS, COLORS), min_size=1,
                                   max_size=3),
               "slack": st.integers(0, 30)},
    Capped: {"child": st.builds(Text, SHORT, FONTS, COLORS), "max_width": st.integers(0, 70)},
}


def _twins(kind: type) -> st.SearchStrategy[tuple[Widget, Widget]]:
    """Two ``kind`` widgets that differ in one field (by repr: 1, 1.0 and True differ)."""
    fields = FIELDS[kind]

    @st.composite
    def build(draw) -> tuple[Widget, Widget]:
        first = draw(st.fixed_dictionaries(fields))
        changed = draw(st.sampled_from(sorted(fields)))
        was = repr(first[changed])
        second = {**first, changed: draw(fields[changed].filter(lambda v: repr(v) != was))}
        return kind(**first), kind(**second)

    return build()


@pytest.mark.parametrize("kind", list(FIELDS), ids=lambda kind: kind.__name__)
def test_twins_a_field_apart_are_each_drawn_as_they_are(kind: type) -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_twins(kind), PANELS, STEPS)
    def check(pair, panel, steps) -> None:
        first, second = pair
        cache = FrameCache()
        for widget in (first, first, second):  # the first is recorded; the second may hit it
            cache.draw(widget, Env(now=NOW, panel=panel), (0, 0, 0))
        _drawn_as_in_full(cache, second, panel, steps)

    check()


def _clock_row(minute: str) -> Widget:
    """A page-like tree where only the first text changes from one render to the next."""
    details = Column([Text(f"detail {i}", "tiny") for i in range(6)], gap=1)
    return Row([Text(minute, "medium"), Expand(Box(details, padding=1))], gap=2)


def test_a_tree_changed_in_one_text_lays_out_only_that_text_again() -> None:
    layouts = LayoutMemo()
    cache = FrameCache(layouts=layouts)
    panel = (64, 32)
    cache.draw(_clock_row("9:41"), Env(now=NOW, panel=panel), (0, 0, 0))
    seen = len(layouts)
    changed = _clock_row("9:42")
    cache.clear()  # a frame cache miss, as when the minute changed
    picture, _ = cache.draw(changed, Env(now=NOW, panel=panel), (0, 0, 0))
    # The new text's size and the row's plan around it: the rest was laid out before.
    assert len(layouts) == seen + 2
    full, _ = paint_all(changed, Env(now=NOW, panel=panel), (0, 0, 0))
    assert picture.tobytes() == full.tobytes()


def test_the_layout_memo_is_bounded() -> None:
    layouts = LayoutMemo(max_contexts=2, max_ids=40)
    cache = FrameCache(layouts=layouts)
    for i in range(30):
        panel = [(64, 32), (128, 64), (64, 64)][i % 3]
        cache.draw(_clock_row(f"{i}:00"), Env(now=NOW, panel=panel), (0, 0, 0))
        # Emptied when full before a render: one tree's subtrees (about 12) at most on top.
        assert len(layouts) <= 2 * (40 + 12)
    assert len(layouts._memos) == 2


def test_subtree_ids_are_never_reused_after_the_table_is_emptied() -> None:
    cache = FrameCache()
    panel = (64, 32)
    first, second = _clock_row("9:41"), _clock_row("10:15")
    for _ in range(3):  # recorded and replayed: its layer is kept under its root's id
        cache.draw(first, Env(now=NOW, panel=panel), (0, 0, 0))
    forget_layouts()  # ids restarting at 1 would give the second tree the first one's layer
    for tree in (second, second, second, first):
        picture, _ = cache.draw(tree, Env(now=NOW, panel=panel), (0, 0, 0))
        full, _ = paint_all(tree, Env(now=NOW, panel=panel), (0, 0, 0))
        assert picture.tobytes() == full.tobytes()


def test_the_subtree_id_table_is_bounded() -> None:
    for i in range(frame_cache.MAX_IDS + 100):
        frame_cache.intern(("a key", i))
    assert len(frame_cache._IDS) <= frame_cache.MAX_IDS
