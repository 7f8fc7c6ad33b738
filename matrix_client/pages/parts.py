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
    parts: list[Widget] = []
    for i, child in enumerate(children):
        if child is None:
            continue
        space = above[i] if i < len(above) else 0
        parts.append(Box(child, padding=(0, space, 0, 0)) if space else child)
    return Column(parts, main_align=main_align, cross_align=cross_align)
