"""FirstFit: the first of a few alternatives that fits its room whole.

Pages often have a long and a short way to say something ("Garbage night" /
"Garbage!", "72°" / "72", a date in a large or a small font): the first
choice whose natural width fits is shown; when none does, the last one, which
then shortens itself like any text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.colors import WHITE, Color
from matrix_client.render.fonts import Font
from matrix_client.render.text import Align, clean
from matrix_client.render.widgets.base import Env, Rect, Size, Widget
from matrix_client.render.widgets.text import Text

UNBOUNDED = 1 << 16  # a room wider than any panel: a widget's natural width


@dataclass(eq=False)
class FirstFit(Widget):
    """The first of ``choices`` whose natural width fits with ``slack`` px to spare
    (a gap to a neighbour); else the last."""

    choices: Sequence[Widget]
    slack: int = 0

    def chosen(self, room: Size, env: Env) -> Widget | None:
        """The choice for ``room``. Painting asks again in a smaller box: the choice
        made in a room serves any box within it that the choice still fits, since an
        earlier choice that did not fit the room fits no smaller box either."""
        kept = self.__dict__.get("_chosen")
        if kept is not None and kept[0] is env:
            _, (kw, kh), (nw, nh), choice = kept
            if nw <= room[0] <= kw and nh <= room[1] <= kh:
                return choice
        choice = self.choices[-1] if self.choices else None
        needs = (0, 0)  # the last choice shortens itself: any room within serves
        for candidate in self.choices[:-1]:
            w, h = candidate.size((UNBOUNDED, room[1]), env)
            if w and h and w + self.slack <= room[0]:
                choice, needs = candidate, (w + self.slack, h)
                break
        self.__dict__["_chosen"] = (env, room, needs, choice)
        return choice

    def measure(self, room: Size, env: Env) -> Size:
        choice = self.chosen(room, env)
        return (0, 0) if choice is None else choice.size(room, env)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        choice = self.chosen((box[2], box[3]), env)
        return choice.paint(image, box, env) if choice is not None else float("inf")


def first_wording(
    options: Sequence[object], font: str | Font = "small", color: Color = WHITE,
    align: Align = "left",
) -> FirstFit:
    """One line: the first of ``options`` (any values, cleaned; empty ones skipped,
    since an empty wording would always "fit") that fits its width in ``font``."""
    cleaned = [c for c in (clean(option) for option in options) if c] or [""]
    return FirstFit([Text(option, font, color, align) for option in cleaned])
