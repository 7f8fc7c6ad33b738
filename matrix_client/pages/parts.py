"""Small tree-building helpers shared by the pages written as widget trees."""

from __future__ import annotations

from collections.abc import Sequence

from matrix_client.render.widgets import Box, Column, Widget
from matrix_client.render.widgets.base import Align
from matrix_client.render.widgets.linear import MainAlign


def spaced(
    children: Sequence[Widget | None],
    above: Sequence[int],
    cross_align: Align = "stretch",
    main_align: MainAlign = "start",
) -> Column:
    """A column whose parts sit ``above[i]`` px below the one before (the first below
    the top); the layout tables give those spaces. ``None`` parts are left out, and
    a missing space counts as 0."""
    shown = [
        (above[i] if i < len(above) else 0, child)
        for i, child in enumerate(children)
        if child is not None
    ]
    # The smallest space between parts is the column's gap; only larger ones need a box
    # of padding (fewer widgets to lay out: this runs on every render).
    gap = max(0, min((space for space, _ in shown[1:]), default=0))
    parts: list[Widget] = []
    for k, (space, child) in enumerate(shown):
        extra = space - (gap if k else 0)
        parts.append(Box(child, padding=(0, extra, 0, 0)) if extra > 0 else child)
    return Column(parts, gap=gap, main_align=main_align, cross_align=cross_align)
