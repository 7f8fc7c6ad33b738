"""Laying a tree out once: the frames of a tree that only the clock moves are replayed.

A page builds its tree afresh on every render, and most renders draw the same
tree again: a marquee re-renders its page up to 12 times a second with nothing
but the scroll offset changed. Every built-in widget is a pure function of its
fields, its box and (for a scrolling text or a large picture's pixels) something
the tree key does not hold, so a tree is reduced to a key: its widgets' types and
fields, the panel size, the user's fonts and the background. A key's first
render paints the tree in full (many trees are drawn once: a clock's minute);
its second lays the tree out again and keeps

- the *static layer*: the picture with every still widget painted, and
- the *moving leaves*: where each scrolling text and picture goes (its place in
  the tree and its box), and the ttl of the still part.

Every later render with the same key copies the static layer and paints only the
moving leaves, in their recorded boxes and their original order, so the pixels
are those of a full render: widgets paint inside their boxes only, and a still
widget painted after a moving one over the same pixels makes the tree one that
is always drawn in full (it is rare: a layer over a marquee).

A tree holding a widget of another type (a page's own subclass) has no key and
is drawn in full every time: its fields may not be all that it paints from.

Widgets that hold widgets without being containers are of two kinds here. A
*pass-through* (FirstFit, Capped, Line) paints one child in its own box, so the
recorder steps into that child as if the wrapper were not there. An *opaque*
leaf (ScoreLine with its tag, Flow with its items) paints its parts itself: it is
one leaf, keyed by its parts' keys, and it is a moving leaf as a whole when any
part may move (a ScoreLine's scrolling tag only when it scrolls in its box). What
paints from the clock (a ClockFace, a Flow that pages its items by time) is always
a moving leaf. A small picture (a mark) is keyed by its pixels and stands still.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.colors import Color
from matrix_client.render.widgets.bands import BandScale, as_value
from matrix_client.render.widgets.bars import BarChart
from matrix_client.render.widgets.base import Env, Rect, Widget, paint_child
from matrix_client.render.widgets.box import Box
from matrix_client.render.widgets.capped import Capped
from matrix_client.render.widgets.column import Column
from matrix_client.render.widgets.curve import TempCurve
from matrix_client.render.widgets.expand import Expand
from matrix_client.render.widgets.face import ClockFace
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.flow import Flow
from matrix_client.render.widgets.icon import Icon
from matrix_client.render.widgets.image import Picture
from matrix_client.render.widgets.line import Line
from matrix_client.render.widgets.linear import Linear
from matrix_client.render.widgets.marquee import Marquee
from matrix_client.render.widgets.moon import Arrow, MoonDisc
from matrix_client.render.widgets.progress import ProgressBar, as_fraction
from matrix_client.render.widgets.qr import QR
from matrix_client.render.widgets.row import Row
from matrix_client.render.widgets.scoreboard import Bases, Dots, Pointer
from matrix_client.render.widgets.scoreline import ScoreLine
from matrix_client.render.widgets.series import readings
from matrix_client.render.widgets.sparkline import Sparkline
from matrix_client.render.widgets.stack import Stack
from matrix_client.render.widgets.switch import BySize
from matrix_client.render.widgets.text import Scroll, Text
from matrix_client.render.widgets.ticking import Seconds, SecondsBar

# Bounds of the process-wide cache. An entry is one static layer (3 bytes a pixel:
# 24 KB at 128x64) plus its key and a few boxes, so 32 entries at 128x64 are under
# 0.8 MB, and a larger panel is held to MAX_BYTES of layers (fewer entries).
MAX_ENTRIES = 32
MAX_BYTES = 1 << 20
# Pictures of at most this many pixels (16x16, 1 KB in RGBA) are keyed by their pixels.
SMALL_PICTURE = 256


class NoKey(Exception):
    """The tree holds a widget whose fields may not be all that it paints from."""


KeyFunction = Callable[[Widget, Env, list[Widget]], object]
# A moving leaf: its index among the tree's leaves, its box, and for a scrolling
# text the step that paints it at a time (a picture is painted by its own widget).
Moving = tuple[int, Rect, Scroll | None]


def tree_key(widget: Widget, env: Env, leaves: list[Widget]) -> int:
    """The key of ``widget``'s picture in any box, as an interned id (see ``intern``),
    also noted on the widget for the layout memo; appends its leaves to ``leaves`` in
    paint order. Raises NoKey for a widget type not known here."""
    key_of = KEYS.get(type(widget))
    if key_of is None:
        raise NoKey(type(widget).__name__)
    kid = intern(key_of(widget, env, leaves))
    widget.__dict__["_kid"] = kid
    return kid


def _keys(children: Sequence[Widget], env: Env, leaves: list[Widget]) -> tuple[int, ...]:
    return tuple([tree_key(child, env, leaves) for child in children])


# Subtree keys are interned: equal keys get one id, so a parent's key holds its children's
# ids (a flat tuple, hashed once, whatever the depth of the tree) and the layout memo can
# know a subtree it laid out before. Ids are never reused: when the table is full it is
# emptied, and keys that held old ids (in the frame cache, the layout memo) only miss.
MAX_IDS = 8192
_IDS: dict[object, int] = {}
_NEXT_ID = itertools.count(1)


def intern(key: object) -> int:
    """The id of ``key`` (TypeError for a key that cannot be hashed)."""
    kid = _IDS.get(key)
    if kid is None:
        if len(_IDS) >= MAX_IDS:
            _IDS.clear()
        kid = _IDS[key] = next(_NEXT_ID)
    return kid


def _linear(w: Linear, env: Env, leaves: list[Widget]) -> object:
    return (type(w), w.main_align, w.cross_align, w.gap, _keys(w.children, env, leaves))


def _box(w: Box, env: Env, leaves: list[Widget]) -> object:
    child = None if w.child is None else tree_key(w.child, env, leaves)
    padding = w.padding if type(w.padding) is int else tuple(w.padding)
    return (Box, w.width, w.height, padding, w.border, w.background, w.halign, w.valign, child)


def _stack(w: Stack, env: Env, leaves: list[Widget]) -> object:
    return (Stack, w.halign, w.valign, _keys(w.children, env, leaves))


def _expand(w: Expand, env: Env, leaves: list[Widget]) -> object:
    return (Expand, w.weight, tree_key(w.child, env, leaves))


def _by_size(w: BySize, env: Env, leaves: list[Widget]) -> object:
    # The panel is part of every key, so only the chosen subtree matters.
    chosen = w.chosen(env)
    return (BySize, None if chosen is None else tree_key(chosen, env, leaves))


# Leaves: every field that measure and paint read, as paint reads it.
def _text(w: Text, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (type(w), w.shown, w.font, w.color, w.align, w.valign, w.scroll, w.lines, w.line_gap)


def _icon(w: Icon, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (Icon, w.name, w.size_px, w.night, w.phase)


def _qr(w: QR, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (QR, w.data, w.module)


def _picture(w: Picture, env: Env, leaves: list[Widget]) -> object:
    # A picture's pixels may change in the same object. A small one (a mark such as
    # the football) is keyed by its pixels, so it is a still leaf; a larger one is
    # keyed by its size, and it is painted on every render.
    leaves.append(w)
    image = w.image
    if image.width * image.height <= SMALL_PICTURE:
        w.__dict__["_moves"] = False
        return (Picture, image.mode, image.size, image.tobytes())
    w.__dict__["_moves"] = True
    return (Picture, image.size)


def _progress(w: ProgressBar, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (ProgressBar, as_fraction(w.fraction), w.color, w.track, w.width, w.height)


def _sparkline(w: Sparkline, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (Sparkline, tuple(w.series), w.color, w.fill, w.width, w.height, w.low, w.high)


def _bars(w: BarChart, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    colors = None if w.colors is None else tuple(w.colors)
    return (BarChart, tuple(w.series), w.color, colors, w.bar, w.gap, w.height, w.low, w.high)


# Pass-throughs: each paints exactly one child, in its own box.
def _first_fit(w: FirstFit, env: Env, leaves: list[Widget]) -> object:
    # Every choice is keyed (the choice made depends on all of them); only the chosen
    # one is painted, and the recorder skips the others' leaves.
    return (FirstFit, w.slack, _keys(w.choices, env, leaves))


def _capped(w: Capped, env: Env, leaves: list[Widget]) -> object:
    return (Capped, w.max_width, tree_key(w.child, env, leaves))


def _line(w: Line, env: Env, leaves: list[Widget]) -> object:
    return (Line, tree_key(w.text, env, leaves))


def _through(widget: Widget, box: Rect, env: Env) -> Widget | None:
    """The one child a pass-through paints in ``box`` (None: it paints nothing)."""
    if isinstance(widget, FirstFit):
        return widget.chosen((box[2], box[3]), env)
    if isinstance(widget, Capped):
        return widget.child
    assert isinstance(widget, Line)
    return widget.text


# Opaque leaves: their parts are keyed (not counted as the tree's leaves), and
# whether any part may move is noted on the leaf for mover().
def _parts(parts: Sequence[Widget | None], env: Env) -> tuple[tuple, bool]:
    inner: list[Widget] = []
    keys = tuple(None if part is None else tree_key(part, env, inner) for part in parts)
    return keys, any(_may_move(leaf) for leaf in inner)


def _score_line(w: ScoreLine, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    (tag,), w.__dict__["_moves"] = _parts((w.tag,), env)
    return (
        ScoreLine, w.name_text, w.score_text, w.height, w.name_font, w.score_font,
        w.score_width, w.name_color, w.score_color, w.name_drop, w.score_drop, w.gap,
        tag, w.tag_gap,
    )


def _more_key(more: object) -> object:
    """A ``more`` function by what it computes: its code, defaults and the values it
    closes over (a lambda made afresh per render keys alike). Anything else: no key."""
    if more is None:
        return None
    code = getattr(more, "__code__", None)
    if code is None or getattr(more, "__self__", None) is not None:
        raise NoKey("Flow.more")
    cells = tuple(cell.cell_contents for cell in more.__closure__ or ())  # type: ignore[attr-defined]
    return (code, more.__defaults__, more.__kwdefaults__, cells)  # type: ignore[attr-defined]


def _flow(w: Flow, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    items, moves = _parts(list(w.items), env)
    if not moves and w.more is not None:
        # What ``more`` makes is no part of the tree: ask it for every count it can be
        # given (1 to every item hidden) whether that may move.
        made = [w.more(hidden) for hidden in range(1, len(items) + 1)]
        moves = _parts(made, env)[1]
    w.__dict__["_moves"] = moves or bool(w.cycle)  # paging by the clock moves
    return (Flow, items, w.columns, w.row_height, w.gap, _more_key(w.more), w.cycle)


def _may_move(leaf: Widget) -> bool:
    """Whether a leaf may paint from more than its key in some box (conservative)."""
    if isinstance(leaf, TICKING):
        return True
    if isinstance(leaf, Picture):
        return leaf.__dict__.get("_moves", True)
    if isinstance(leaf, Text):
        return leaf.scroll
    return bool(leaf.__dict__.get("_moves"))


def _clock_face(w: ClockFace, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)  # a moving leaf: its hands are the clock's (see mover)
    return (ClockFace, w.radius, w.color)


def _seconds(w: Seconds, env: Env, leaves: list[Widget]) -> object:
    # A moving leaf: it takes the room of the widest seconds, whatever the time.
    leaves.append(w)
    return (Seconds, w.suffix, w.font, w.color, w.align, w.valign)


def _seconds_bar(w: SecondsBar, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (SecondsBar, w.color, w.track, w.width, w.height)


def _band_scale(w: BandScale, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    bands = tuple((upper, color) for upper, color in w.bands)
    return (BandScale, as_value(w.value), bands, w.height, w.marker)


def _moon_disc(w: MoonDisc, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    phase = w.phase  # as paint reads it: an exact int or float, finite, else unknown
    known = type(phase) in (int, float) and math.isfinite(phase)  # type: ignore[arg-type]
    return (MoonDisc, float(phase) if known else None, w.size_px)  # type: ignore[arg-type]


def _arrow(w: Arrow, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (Arrow, None if w.up is None else bool(w.up), w.color)


def _temp_curve(w: TempCurve, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (
        TempCurve, tuple(readings(w.temps)), tuple(readings(w.pops)), tuple(w.marks),
        w.font, w.rain, w.empty, w.height, w.units,
    )


def _bases(w: Bases, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (Bases, w.lit, w.radius, w.on, w.off)


def _dots(w: Dots, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (Dots, w.lit, w.count, w.size_px, w.gap, w.on, w.off)


def _pointer(w: Pointer, env: Env, leaves: list[Widget]) -> object:
    leaves.append(w)
    return (Pointer, bool(w.up), w.color)


KEYS: dict[type, KeyFunction] = {
    Row: _linear,
    Column: _linear,
    Box: _box,
    Stack: _stack,
    Expand: _expand,
    BySize: _by_size,
    Text: _text,
    Marquee: _text,
    Icon: _icon,
    QR: _qr,
    Picture: _picture,
    ProgressBar: _progress,
    Sparkline: _sparkline,
    BarChart: _bars,
    FirstFit: _first_fit,
    Capped: _capped,
    Line: _line,
    ScoreLine: _score_line,
    Flow: _flow,
    ClockFace: _clock_face,
    Seconds: _seconds,
    SecondsBar: _seconds_bar,
    BandScale: _band_scale,
    MoonDisc: _moon_disc,
    Arrow: _arrow,
    TempCurve: _temp_curve,
    Bases: _bases,
    Dots: _dots,
    Pointer: _pointer,
}
CONTAINERS = (Row, Column, Box, Stack, Expand, BySize)
PASS_THROUGH = (FirstFit, Capped, Line)
OPAQUE = (ScoreLine, Flow)  # paint their parts themselves
TICKING = (ClockFace, Seconds, SecondsBar)  # paint from env.now: always moving leaves


def mover(widget: Widget, box: Rect, env: Env) -> tuple[bool, Scroll | None]:
    """Whether a leaf in ``box`` paints from more than its key and box (the clock, a
    picture's pixels), and for a scrolling text the step that paints it at a time."""
    if isinstance(widget, TICKING):
        return True, None
    if isinstance(widget, Picture):
        return widget.__dict__.get("_moves", True), None
    if isinstance(widget, Text):
        step = widget.scroller(box, env)
        return step is not None, step
    if isinstance(widget, ScoreLine) and isinstance(widget.tag, Text):
        # A scrolling tag that fits the box it gets stands still there (a short mark).
        mark = widget.tag_box(box, env)
        return mark is not None and widget.tag.scroller(mark, env) is not None, None
    if isinstance(widget, OPAQUE):
        return bool(widget.__dict__.get("_moves")), None
    return False, None


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


class Recorder:
    """Paints the still widgets of a tree and notes where the moving ones go."""

    def __init__(self, leaves: list[Widget]) -> None:
        self.leaves = leaves
        self.next_leaf = 0  # leaves are painted in key order, some skipped (no room)
        self.moving: list[Moving] = []
        self.still_ttl = math.inf
        self.clash = False

    def _still(self, box: Rect) -> None:
        if any(_overlap(box, moving[1]) for moving in self.moving):
            self.clash = True

    def paint(self, child: Widget, image: Image.Image, box: Rect, env: Env) -> float:
        if type(child) in CONTAINERS:
            if isinstance(child, Box) and (child.background, child.border) != (None, None):
                self._still(box)
            return child.paint(image, box, env)
        if type(child) in PASS_THROUGH:
            through = _through(child, box, env)
            return math.inf if through is None else self.paint(through, image, box, env)
        index = self._index(child)
        if index is None:
            self.clash = True  # not the tree that was keyed: never reuse it
        else:
            moving, step = mover(child, box, env)
            if moving:
                self.moving.append((index, box, step))
                return math.inf
        self._still(box)
        if type(child) in OPAQUE:  # its parts are painted by it, not recorded
            recorder = env.__dict__.pop("_recorder")
            try:
                ttl = child.paint(image, box, env)
            finally:
                env.__dict__["_recorder"] = recorder
        else:
            ttl = child.paint(image, box, env)
        self.still_ttl = min(self.still_ttl, ttl)
        return ttl

    def _index(self, child: Widget) -> int | None:
        for index in range(self.next_leaf, len(self.leaves)):
            if self.leaves[index] is child:
                self.next_leaf = index + 1
                return index
        return None


@dataclass(frozen=True)
class Layer:
    """What a recorded render keeps: the still picture and the moving leaves' places."""

    still: Image.Image | None  # None: the tree must always be drawn in full
    moving: tuple[Moving, ...]
    ttl: float

    @property
    def nbytes(self) -> int:
        """Bytes of pixels held: the still layer (RGB) and the marquees' glyph strips."""
        if self.still is None:
            return 0
        strips = sum(step.nbytes for _, _, step in self.moving if step)
        return self.still.width * self.still.height * 3 + strips


# A tree drawn once so far: it is painted in full, and recorded when it comes again.
SEEN_ONCE = Layer(None, (), math.inf)
# A tree whose still widgets cannot be kept apart from its moving ones.
ALWAYS_IN_FULL = Layer(None, (), math.inf)


class LayoutMemo:
    """What keyed subtrees measured, across renders: by panel and fonts, then by subtree
    id, the (room w, room h, size w, size h) answers of Widget.size and the plans of rows
    and columns (linear.py). A tree that changed in one text (the minute, one value of a
    message) lays out only that text and the containers around it again.

    Bounded: at most ``max_contexts`` panel and font combinations, each emptied when it
    holds ``max_ids`` subtrees (a few hundred bytes each)."""

    def __init__(self, max_contexts: int = 4, max_ids: int = 4096) -> None:
        self.max_contexts = max_contexts
        self.max_ids = max_ids
        self._memos: OrderedDict[object, Layout] = OrderedDict()
        self._lock = threading.Lock()

    def memo(self, panel: tuple[int, int], fonts: tuple) -> Layout:
        """The memo of one panel size and font set, emptied first when it is full."""
        context = (panel, fonts)
        with self._lock:
            memo = self._memos.get(context)
            if memo is None:
                memo = self._memos[context] = Layout({}, {})
                while len(self._memos) > self.max_contexts:
                    self._memos.popitem(last=False)
            else:
                self._memos.move_to_end(context)
            if len(memo.sizes) + len(memo.plans) > self.max_ids:
                memo.sizes.clear()
                memo.plans.clear()
            return memo

    def clear(self) -> None:
        with self._lock:
            self._memos.clear()

    def __len__(self) -> int:
        """Subtrees held, over every context."""
        return sum(len(m.sizes) + len(m.plans) for m in list(self._memos.values()))


@dataclass(frozen=True)
class Layout:
    """One context's memo: subtree id -> size answers, and -> row/column plans."""

    sizes: dict[int, list[tuple[int, int, int, int]]]
    plans: dict[int, list]


def forget_layouts() -> None:
    """Empty the layout memo and the subtree ids: the next render lays everything out
    as if nothing had been seen (bench/pages.py --first)."""
    LAYOUTS.clear()
    _IDS.clear()


LAYOUTS = LayoutMemo()


class FrameCache:
    """A bounded LRU of static layers by tree key (``max_entries``, ``max_bytes``)."""

    def __init__(
        self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES,
        layouts: LayoutMemo = LAYOUTS,
    ) -> None:
        self.layouts = layouts
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._layers: OrderedDict[object, Layer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the loop and the preview may draw at once

    def __len__(self) -> int:
        return len(self._layers)

    @property
    def nbytes(self) -> int:
        """Bytes of static layers held."""
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._layers.clear()
            self._bytes = 0

    def draw(self, root: Widget, env: Env, background: Color) -> tuple[Image.Image, float]:
        """The picture of ``root`` over ``env``'s panel and its ttl (widgets' ttls only)."""
        try:
            fonts = tuple(sorted(env.fonts.items())) if env.fonts else ()
            kid, leaves = root_key(root, env)
            key = (kid, env.panel, fonts, background)
            with self._lock:
                layer = self._layers.get(key)
                if layer is not None:
                    self._layers.move_to_end(key)
        except (NoKey, TypeError):  # TypeError: a field that cannot be a key (a list)
            return paint_all(root, env, background)
        # Every widget has its key: what a subtree measured in an earlier render serves.
        env.__dict__["_layout"] = self.layouts.memo(env.panel, fonts)
        if layer is None:  # a tree seen once is often never seen again (a new minute)
            self._keep(key, SEEN_ONCE)
            return paint_all(root, env, background)
        if layer is SEEN_ONCE:
            image, ttl, layer = self._record(root, env, background, leaves)
            self._keep(key, layer)
            return image, ttl
        if layer.still is None:
            return paint_all(root, env, background)
        return replay(layer, leaves, env)

    def _record(
        self, root: Widget, env: Env, background: Color, leaves: list[Widget]
    ) -> tuple[Image.Image, float, Layer]:
        still = Image.new("RGB", env.panel, background)
        recorder = Recorder(leaves)
        env.__dict__["_recorder"] = recorder
        try:
            paint_child(root, still, (0, 0, *env.panel), env)
        finally:
            del env.__dict__["_recorder"]
        if recorder.clash:
            image, ttl = paint_all(root, env, background)
            return image, ttl, ALWAYS_IN_FULL
        layer = Layer(still, tuple(recorder.moving), recorder.still_ttl)
        return (*replay(layer, leaves, env), layer)

    def _keep(self, key: object, layer: Layer) -> None:
        if layer.nbytes > self.max_bytes:
            layer = ALWAYS_IN_FULL  # not recorded again on every render
        with self._lock:
            old = self._layers.pop(key, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._layers[key] = layer
            self._bytes += layer.nbytes
            while self._layers and (
                len(self._layers) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, dropped = self._layers.popitem(last=False)
                self._bytes -= dropped.nbytes


def root_key(root: Widget, env: Env) -> tuple[int, list[Widget]]:
    """``root``'s tree key and leaves, kept on the root: a page hands the same tree out
    again while it is right (pages/scene_memo.py), and keying it is a third of a replay.
    A key is a function of the widgets' fields and the panel (a BySize chooses by it)."""
    held = root.__dict__.get("_root_key")
    if held is not None and held[0] == env.panel:
        return held[1], held[2]
    leaves: list[Widget] = []
    kid = tree_key(root, env, leaves)
    root.__dict__["_root_key"] = (env.panel, kid, leaves)
    return kid, leaves


def replay(layer: Layer, leaves: list[Widget], env: Env) -> tuple[Image.Image, float]:
    """A copy of the still layer with this tree's moving leaves painted over it."""
    assert layer.still is not None
    image = layer.still.copy()
    ttl = layer.ttl
    now = env.now
    for index, box, step in layer.moving:
        ttl = min(ttl, step(image, now) if step else leaves[index].paint(image, box, env))
    return image, ttl


def paint_all(root: Widget, env: Env, background: Color) -> tuple[Image.Image, float]:
    """The picture of ``root`` painted in full, no layer kept."""
    image = Image.new("RGB", env.panel, background)
    return image, root.paint(image, (0, 0, *env.panel), env)


FRAMES = FrameCache()
