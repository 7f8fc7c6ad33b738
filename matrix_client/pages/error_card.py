"""The error card: what the panel shows for a page that raised or returned garbage.

The failing page's name over a red "error", centred in a dim red frame, so whoever
looks at the panel knows which page to fix; fonts and gaps per size class are in
``layouts/error.toml``. It is drawn in the built-in fonts, since a user's font may be
what failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from PIL import Image

from matrix_client.pages.trees import page_table
from matrix_client.render import colors
from matrix_client.render.widgets import Box, Column, Scene, Text, render
from matrix_client.render.widgets.tables import FontRole

# Nothing on the card moves, so any fixed time draws the same picture.
_DRAWN_AT = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ErrorLayout:
    name_font: FontRole
    word_font: FontRole
    padding: int = field(metadata={"min": 0, "max": 4})
    gap: int = field(metadata={"min": 0, "max": 8})


LAYOUT = page_table("error", ErrorLayout)


def error_tree(page: str, size: tuple[int, int]) -> Scene:
    lay = LAYOUT.for_size(size)
    lines = [Text("error", lay.word_font, colors.RED, align="center")]
    if page:
        lines.insert(0, Text(page, lay.name_font, colors.AMBER, align="center"))
    column = Column(lines, main_align="center", cross_align="stretch", gap=lay.gap)
    return Scene(Box(column, padding=lay.padding, border=colors.MAROON))


def error_card(page: str, size: tuple[int, int]) -> Image.Image:
    """The card for ``page`` (may be empty) on a ``size`` panel, in RGB."""
    return render(error_tree(page, size), size, _DRAWN_AT)
