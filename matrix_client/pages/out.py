"""The "garbage out" alert: a garbage can and the words, pulsing once a second
so the panel catches the eye across the room. Shown on the ``out`` command.

Drawn as a widget tree; what differs between panel sizes is in ``layouts/out.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import with_aware_times
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render.widgets import Box, Column, Expand, Icon, Row, Scene, Stack, Text
from matrix_client.render.widgets.tables import FontRole
from matrix_client.render.widgets.ticking import seconds_to_next

BRIGHT = (255, 200, 0)
SOFT = (150, 110, 0)
_PX = {"min": 0, "max": 64}


@dataclass(frozen=True)
class OutLayout:
    stacked: bool  # the can above the words (else beside them)
    word_font: FontRole = "medium"
    icon_scale: int = field(default=1, metadata={"min": 1, "max": 4})  # the 11x12 can, scaled
    padding: tuple[int, int, int, int] = (0, 0, 0, 0)  # around can and words
    gap: int = field(default=3, metadata=_PX)  # can to words
    words_drop: int = field(default=0, metadata=_PX)  # words below their centred place


LAYOUT = page_table("out", OutLayout)


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    return Scene(_pulse(lay, ctx.now.second % 2 == 0), seconds_to_next(ctx.now, 1.0))


@lru_cache(maxsize=8)
def _pulse(lay: OutLayout, on: bool) -> Stack:
    """The alert bright (``on``, with a border) or soft: two trees, each built once (a
    widget is never changed once built)."""
    color = BRIGHT if on else SOFT
    icon = Icon("trash", 12 * lay.icon_scale)  # the 11x12 can, scaled
    garbage = Text("GARBAGE", lay.word_font, color, align="center")
    out = Text("OUT!", lay.word_font, color, align="center")
    if lay.stacked:
        content = Column(
            [Box(icon, halign="center"), Box(garbage, padding=(0, lay.gap, 0, 0)), out],
            cross_align="stretch",
        )
    else:
        words = Box(Column([garbage, out], cross_align="stretch"),
                    padding=(0, lay.words_drop, 0, 0))
        content = Row([icon, Expand(words)], gap=lay.gap, cross_align="center")
    layers = [Box(content, padding=lay.padding)]
    if on:
        layers.insert(0, Box(border=color))
    return Stack(layers, halign="stretch", valign="stretch")


render = with_aware_times(tree_page(tree))

PAGE = PageSpec(name="out", render=render, types=(), title="Garbage out")
