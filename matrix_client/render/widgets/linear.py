"""What rows and columns share: children side by side along one axis, with gaps,
main-axis distribution and cross-axis alignment (see row.py and column.py).

Children are measured in order, each in the room its predecessors left, so a
row that is too long shortens its later texts rather than overflowing;
:class:`~matrix_client.render.widgets.expand.Expand` children then share what
is left by weight.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import Image

from matrix_client.render.widgets.base import (
    ALIGNS,
    Align,
    Env,
    Rect,
    Size,
    Widget,
    check_align,
)
from matrix_client.render.widgets.expand import Expand

MainAlign = Literal["start", "center", "end", "space_between", "space_around", "space_evenly"]
MAIN_ALIGNS = ("start", "center", "end", "space_between", "space_around", "space_evenly")


@dataclass(eq=False)
class Linear(Widget):
    """Children along an axis: ``main_align`` spreads spare room, ``cross_align`` places
    each child across, ``gap`` pixels between neighbours that show."""

    children: Sequence[Widget] = ()
    main_align: MainAlign = "start"
    cross_align: Align = "start"
    gap: int = 0

    horizontal = True  # Row: True, Column: False

    def __post_init__(self) -> None:
        # Trees are built on every render: the checks cost a lookup unless they fail.
        if self.main_align not in MAIN_ALIGNS:
            raise ValueError(
                f"{type(self).__name__} main_align: {self.main_align!r} is not one of "
                f"{', '.join(MAIN_ALIGNS)}"
            )
        if self.cross_align not in ALIGNS:
            check_align(self.cross_align, f"{type(self).__name__} cross_align")
        if self.gap < 0:
            self.gap = 0

    @property
    def _growers(self) -> list[tuple[int, int]]:
        """(index, weight) of the children that expand: found when first laid out, which
        a tree drawn before from the frame cache never is."""
        growers = self._grower_list
        if growers is None:
            growers = self.__dict__["_grower_list"] = [
                (i, max(0, c.weight)) for i, c in enumerate(self.children) if isinstance(c, Expand)
            ]
        return growers

    _grower_list: list[tuple[int, int]] | None = None
    # This render's plans: (env, [(room, extent, plan)]), like Widget.size's memo.
    _plans: tuple[Env, list[tuple[Size, Size, list[tuple[int, int]]]]] | None = None

    def _room(self, main: int, cross: int) -> Size:
        return (main, cross) if self.horizontal else (cross, main)

    def _split(self, size: Size) -> tuple[int, int]:
        return size if self.horizontal else (size[1], size[0])

    def _plan(self, room: Size, env: Env) -> tuple[list[tuple[int, int]], Size]:
        """(main, cross) size of each child in ``room`` (zero for children that do not
        show), and the size they fill together.

        Kept for the render like ``size``: painting in the box a measure gave reuses it.
        """
        layout = env._layout
        kid = None if layout is None else self._kid
        if kid is not None:  # a keyed subtree: its plans of earlier renders serve
            entries = layout.plans.get(kid)
            if entries is None:
                entries = layout.plans[kid] = []
        else:
            kept = self._plans
            if kept is None or kept[0] is not env:
                kept = self.__dict__["_plans"] = (env, [])
            entries = kept[1]
        rw, rh = room
        for (mw, mh), extent, plan in entries:
            if extent[0] <= rw <= mw and extent[1] <= rh <= mh:
                return plan, extent
        plan, extent = self._fresh_plan(room, env)
        entries.append((room, extent, plan))
        return plan, extent

    def _fresh_plan(self, room: Size, env: Env) -> tuple[list[tuple[int, int]], Size]:
        """The plan in ``room`` and the size it fills: the children and the gaps between
        those that show. Written out per axis: this runs for every row of every render."""
        horizontal = self.horizontal
        main_room, cross_room = room if horizontal else (room[1], room[0])
        gap = self.gap
        children = self.children
        plan = [(0, 0)] * len(children)
        used = shown = widest = 0
        growers = self._growers
        for i, child in enumerate(children):
            if growers and isinstance(child, Expand):
                continue
            spacing = gap if shown else 0
            free = main_room - used - spacing
            if horizontal:
                main, cross = child.size((free, cross_room), env)
            else:
                cross, main = child.size((cross_room, free), env)
            if main and cross:
                plan[i] = (main, cross)
                used += spacing + main
                shown += 1
                if cross > widest:
                    widest = cross
        if growers:
            spare = main_room - used - gap * (len(growers) - (0 if shown else 1))
            total = sum(weight for _, weight in growers)
            if spare > 0 and total:
                given = 0
                for i, weight in growers:
                    share = spare * (given + weight) // total - spare * given // total
                    given += weight
                    if not share:
                        continue
                    # The raw measure: an expanded child is as long as its share even when
                    # it would like no length at all (a bar of background), so its cross
                    # size counts.
                    grower = children[i].child  # type: ignore[attr-defined]
                    _, cross = self._split(grower.measure(self._room(share, cross_room), env))
                    plan[i] = (share, min(max(0, int(cross)), cross_room))
            return plan, self._extent(plan)
        return plan, ((used, widest) if horizontal else (widest, used))

    def _extent(self, plan: list[tuple[int, int]]) -> Size:
        """The size a plan fills: children and the gaps between those that show."""
        shown = [p for p in plan if p[0]]
        main = sum(p[0] for p in shown) + self.gap * max(0, len(shown) - 1)
        cross = max((p[1] for p in shown), default=0)
        return self._room(main, cross)

    def measure(self, room: Size, env: Env) -> Size:
        return self._plan(room, env)[1]

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        x, y, w, h = box
        horizontal = self.horizontal
        main_room, cross_room = (w, h) if horizontal else (h, w)
        plan, extent = self._plan((w, h), env)
        shown = [i for i, p in enumerate(plan) if p[0]]
        if not shown:
            return math.inf
        spare = main_room - (extent[0] if horizontal else extent[1])
        align = self.main_align
        extra = None if spare <= 0 or align == "start" else _spread(align, spare, len(shown))
        cross_align = self.cross_align
        children = self.children
        recorder = env._recorder
        gap = self.gap
        pos = 0
        ttl = math.inf
        for k, i in enumerate(shown):
            main, cross = plan[i]
            # place(cross_align, cross_room, cross), written out
            if cross_align == "stretch":
                offset, cross = 0, cross_room
            else:
                if cross > cross_room:
                    cross = cross_room
                if cross_align == "start":
                    offset = 0
                elif cross_align == "center":
                    offset = (cross_room - cross) // 2
                else:
                    offset = cross_room - cross
            at = pos if extra is None else pos + extra[k]
            if horizontal:
                child_box = (x + at, y + offset, main, cross)
            else:
                child_box = (x + offset, y + at, cross, main)
            child = children[i]
            if recorder is None:
                child_ttl = child.paint(image, child_box, env)
            else:
                child_ttl = recorder.paint(child, image, child_box, env)
            if child_ttl < ttl:
                ttl = child_ttl
            pos += main + gap
        return ttl


def _spread(align: str, spare: int, count: int) -> list[int]:
    """Extra offset of each of ``count`` children for ``align``, ``spare`` px being free.

    Cumulative, so rounding never leaves a space_between row short of its end.
    """
    if spare <= 0 or align == "start":
        return [0] * count
    if align == "end":
        return [spare] * count
    if align == "center" or (align == "space_between" and count == 1):
        return [spare // 2] * count
    if align == "space_between":
        return [spare * k // (count - 1) for k in range(count)]
    if align == "space_around":
        return [spare * (2 * k + 1) // (2 * count) for k in range(count)]
    return [spare * (k + 1) // (count + 1) for k in range(count)]  # space_evenly
