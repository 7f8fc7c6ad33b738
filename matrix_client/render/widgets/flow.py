"""Flow: items in equal columns, top to bottom and then on to the next column, as
many rows as the height holds. When they do not all fit, either the last cell says
how many are left out (the Uptime page's producers) or the items show a screenful
at a time, the screen chosen by the clock (the generic page), so a frame stays a
function of time."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

from matrix_client.render.layout import columns as split_columns
from matrix_client.render.widgets.base import Env, Rect, Size, Widget


@dataclass(eq=False)
class Flow(Widget):
    """``items`` in ``columns`` columns ``gap`` px apart, one per ``row_height`` px row.
    ``more(n)`` is the widget for the last cell when ``n`` items do not fit; with
    ``cycle`` seconds instead, the screens of items take turns. It takes all the room
    it is offered."""

    items: Sequence[Widget]
    columns: int = 1
    row_height: int = 8
    gap: int = 2
    more: Callable[[int], Widget] | None = None
    cycle: float | None = None

    def measure(self, room: Size, env: Env) -> Size:
        return room if self.items else (0, 0)

    def cells(self, box: Rect) -> list[Rect]:
        """The cells of ``box``, column by column."""
        x, y, w, h = box
        rows = max(1, h // max(1, self.row_height))
        return [
            (cx, y + row * self.row_height, cw, min(self.row_height, h - row * self.row_height))
            for cx, _, cw, _ in split_columns(box, max(1, self.columns), self.gap)
            for row in range(rows)
        ]

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        cells = self.cells(box)
        shown: list[Widget] = list(self.items)
        ttl = math.inf
        if len(shown) > len(cells) and self.cycle:
            screens = -(-len(shown) // len(cells))
            epoch = env.now.timestamp()
            screen = int(epoch // self.cycle) % screens
            shown = shown[screen * len(cells):(screen + 1) * len(cells)]
            ttl = self.cycle - epoch % self.cycle
        elif len(shown) > len(cells) and self.more is not None:
            kept = max(0, len(cells) - 1)
            shown = [*shown[:kept], self.more(len(shown) - kept)]
        for cell, item in zip(cells, shown, strict=False):
            if cell[2] > 0 and cell[3] > 0:
                w, h = item.size((cell[2], cell[3]), env)
                if w and h:
                    ttl = min(ttl, item.paint(image, cell, env))
        return ttl
