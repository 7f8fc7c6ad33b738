"""The widget contract: measure within the room offered, paint inside the box given.

A widget is a small description (a dataclass) that a page builds afresh on
every render and never changes afterwards. Laying out is two
questions asked of it:

- ``size(room, env)``: how big it wants to be, never bigger than ``room``
  (a widget that cannot show anything useful in that room answers (0, 0));
- ``paint(image, box, env)``: draw inside ``box`` only, and say how long the
  picture stays right (``math.inf`` when only new data can change it).

Containers hand their children boxes inside their own, and the root gets the
panel, so nothing is ever drawn past the edge. ``env`` carries what every
widget may read besides its own fields: the time, the panel size (for the
size-class switch) and the user's font overrides.

A widget of one's own subclasses :class:`Widget` and keeps one rule the
layer relies on to measure each widget once per render: measuring is
monotonic, so a widget that wants size ``s`` in room ``R`` wants ``s`` in any
room between ``s`` and ``R``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from PIL import Image

from matrix_client.render.fonts import Font, font_for

Rect = tuple[int, int, int, int]  # x, y, w, h: a box of render/layout.py
Size = tuple[int, int]  # w, h
# Where a child sits along an axis when it is smaller than the room; "stretch" fills it.
Align = Literal["start", "center", "end", "stretch"]
ALIGNS = ("start", "center", "end", "stretch")

# The panel sizes layouts are designed for, by the same thresholds as the pages'
# size class: 128 px or wider is wide, 64 px or taller is tall.
SIZE_CLASSES = ("64x32", "128x32", "64x64", "128x64")


def size_class(width: int, height: int) -> str:
    """The size class a panel of ``width`` x ``height`` is laid out as."""
    return f"{128 if width >= 128 else 64}x{64 if height >= 64 else 32}"


@dataclass(frozen=True, eq=False)
class Env:
    """What every widget may read while laid out and painted: one per render."""

    now: datetime
    panel: Size
    fonts: Mapping[str, str] = field(default_factory=dict)

    # The frame cache's recorder while a render is being recorded, and the layout memo of
    # a keyed tree (frame_cache.py): class defaults, read as plain attributes.
    _recorder = None
    _layout = None

    @property
    def size_class(self) -> str:
        return size_class(*self.panel)

    def __post_init__(self) -> None:
        self.__dict__["_fonts"] = {}  # fonts asked for by role or as loaded: on every text

    def font(self, font: str | Font) -> Font:
        """A font given by role ("tiny", "small"...) or already loaded."""
        found = self._fonts.get(font)
        if found is None:
            found = self._fonts[font] = (
                font if isinstance(font, Font) else font_for(font, self.fonts)
            )
        return found


class Widget:
    """Base of every widget: subclasses implement ``measure`` and ``paint``."""

    def measure(self, room: Size, env: Env) -> Size:
        """The preferred size within ``room`` (the caller clamps to it)."""
        raise NotImplementedError

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        """Draw inside ``box`` only; return the seconds the picture stays right."""
        raise NotImplementedError

    def size(self, room: Size, env: Env) -> Size:
        """``measure`` clamped to ``room``, remembered for this render.

        Containers ask for a child's size when measuring and again, in a box
        no bigger than the room but at least the size, when placing it. Every
        widget measures monotonically (a widget that wanted ``s`` in room ``R``
        wants ``s`` in any room between ``s`` and ``R``), so the first answer
        serves: text is shortened once, not once per question.
        """
        layout = env._layout
        kid = None if layout is None else self._kid
        if kid is not None:  # a keyed subtree: what it measured in earlier renders serves
            entries = layout.sizes.get(kid)
            if entries is None:
                entries = layout.sizes[kid] = []
        else:
            memo = self._sizes
            if memo is None or memo[0] is not env:
                memo = self.__dict__["_sizes"] = (env, [])
            entries = memo[1]
        rw, rh = room
        # Flat (room w, room h, size w, size h) entries: this runs for every question.
        for mw, mh, sw, sh in entries:
            if sw <= rw <= mw and sh <= rh <= mh:
                return (sw, sh)
        if rw <= 0 or rh <= 0:
            rw = rw if rw > 0 else 0
            rh = rh if rh > 0 else 0
            w = h = 0
        else:
            w, h = self.measure((rw, rh), env)
            w = 0 if w <= 0 else (int(w) if w < rw else rw)
            h = 0 if h <= 0 else (int(h) if h < rh else rh)
            if not (w and h):
                w = h = 0
        entries.append((rw, rh, w, h))
        return (w, h)

    # This render's remembered sizes: (env, entries), replaced when the env changes; and
    # the widget's subtree id once the frame cache has keyed it. Class defaults read as
    # attributes (cheaper than a dict lookup on every ask).
    _sizes: tuple[Env, list[tuple[int, int, int, int]]] | None = None
    _kid: int | None = None


class Drawn(Widget):
    """A leaf that is a ready picture chosen for its room (an icon, a QR code): it
    measures as that picture and pastes it at the top-left of its box."""

    def picture(self, room: Size) -> Image.Image | None:
        """The picture to show in ``room``, or None when nothing useful fits."""
        raise NotImplementedError

    def measure(self, room: Size, env: Env) -> Size:
        picture = self.picture(room)
        return (0, 0) if picture is None else picture.size

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        picture = self.picture((box[2], box[3]))
        if picture is not None:
            paste_in(image, picture, box)
        return math.inf


def paint_child(child: Widget, image: Image.Image, box: Rect, env: Env) -> float:
    """How a container paints a child: directly, or through the frame cache's recorder
    when this render is being recorded for reuse (see frame_cache.py)."""
    recorder = env._recorder
    if recorder is None:
        return child.paint(image, box, env)
    return recorder.paint(child, image, box, env)


def place(align: str, room: int, size: int) -> tuple[int, int]:
    """(offset, length) of a part of ``size`` aligned within ``room`` along one axis."""
    if align == "stretch":
        return 0, room
    size = min(size, room)
    if align == "center":
        return (room - size) // 2, size
    if align == "end":
        return room - size, size
    return 0, size


def inner(box: Rect, left: int, top: int, right: int, bottom: int) -> Rect:
    """``box`` less the given margins, never negative."""
    x, y, w, h = box
    return (x + left, y + top, max(0, w - left - right), max(0, h - top - bottom))


def paste_in(image: Image.Image, sprite: Image.Image, box: Rect) -> None:
    """Paste ``sprite`` (RGB or RGBA) at the box's top-left, cropped to the box."""
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return
    if sprite.width > w or sprite.height > h:
        sprite = sprite.crop((0, 0, min(w, sprite.width), min(h, sprite.height)))
    mode = sprite.mode
    if image.mode == "RGB" and mode in ("RGB", "RGBA") and not image.readonly:
        # What Image.paste does for these modes, without its checks (icons are pasted
        # on every first draw of a page).
        sprite.load()
        core = sprite.im
        where = (x, y, x + sprite.width, y + sprite.height)
        if mode == "RGBA":
            image.im.paste(core, where, core)
        else:
            image.im.paste(core, where)
        return
    image.paste(sprite, (x, y), sprite if mode == "RGBA" else None)


def check_align(value: str, what: str) -> None:
    if value not in ALIGNS:
        raise ValueError(f"{what}: {value!r} is not one of {', '.join(ALIGNS)}")
