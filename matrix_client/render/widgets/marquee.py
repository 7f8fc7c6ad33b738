"""Marquee: a line of text that scrolls when it is wider than its box.

The offset is a function of the clock (render/text.py's marquee_offset: a
rest at the start, then 12 px/s), so the same time always draws the same
frame; paint returns the time to the next step as the picture's ttl. Text
that fits stands still, aligned like any Text.
"""

from __future__ import annotations

from dataclasses import dataclass

from matrix_client.render.widgets.text import Text


@dataclass(eq=False)
class Marquee(Text):
    """A :class:`Text` that scrolls instead of shortening (one line)."""

    scroll: bool = True
    lines: int = 1
