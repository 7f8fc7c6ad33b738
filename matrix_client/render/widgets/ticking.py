"""Leaves that paint the seconds from the render's time: Seconds and SecondsBar.

A clock built with a plain Text of ``now.second`` is a new tree every second, so
every frame is a first draw. These leaves read ``env.now`` when they paint, like
ClockFace, and stand in the tree without the time: the clock's tree is the same
for a whole minute and the frame cache keeps its still part (frame_cache.py).

A ``Seconds`` takes the room of the widest two digits in its font whatever the
time (a trailing "1" is a pixel narrower in most bitmap fonts): what stands beside
or around it does not move as it ticks, and its size, like its key, does not depend
on the moment. The digits are drawn as a Text of them would be in that room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PIL import Image

from matrix_client.render.colors import DIM, GREEN, WHITE, Color
from matrix_client.render.fonts import Font
from matrix_client.render.layout import hbar
from matrix_client.render.text import Align
from matrix_client.render.widgets.base import Env, Rect, Size, Widget
from matrix_client.render.widgets.text import Text, VAlign


@dataclass(eq=False)
class Seconds(Widget):
    """The seconds of ``env.now`` as two digits, then ``suffix`` ("05 PM"); shown in
    full or not at all (a shortened "0.." tells nothing)."""

    suffix: str = ""
    font: str | Font = "small"
    color: Color = WHITE
    align: Align = "left"
    valign: VAlign = "top"

    def __post_init__(self) -> None:
        # The same checks as Text's, at build time rather than at the first paint.
        Text("", align=self.align, valign=self.valign)

    def text(self, env: Env) -> Text:
        """The Text these seconds paint as at ``env.now``."""
        shown = f"{env.now.second:02d}{self.suffix}"
        return Text(shown, self.font, self.color, align=self.align, valign=self.valign)

    def room(self, env: Env) -> int:
        """The width the seconds take: the widest of 00 to 59 with the suffix."""
        return widest_seconds(env.font(self.font), self.suffix)

    def measure(self, room: Size, env: Env) -> Size:
        font = env.font(self.font)
        width = self.room(env)
        if width > room[0] or room[1] < font.height - font.descent:
            return 0, 0
        return width, font.height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        if self.room(env) <= box[2]:
            self.text(env).paint(image, box, env)
        return seconds_to_next(env.now, 1.0)


@dataclass(eq=False)
class SecondsBar(Widget):
    """A gauge of the minute gone by (``now.second / 60``), as ProgressBar draws it."""

    color: Color = GREEN
    track: Color = DIM
    width: int | None = None
    height: int = 2

    def measure(self, room: Size, env: Env) -> Size:
        return (room[0] if self.width is None else self.width), self.height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        hbar(image, box, env.now.second / 60, self.color, self.track)
        return seconds_to_next(env.now, 1.0)


@lru_cache(maxsize=64)
def widest_seconds(font: Font, suffix: str) -> int:
    return max(font.width(f"{second:02d}{suffix}") for second in range(60))


def seconds_to_next(now: datetime, period: float) -> float:
    """Seconds from ``now`` to the next multiple of ``period`` on the wall clock: how
    long a picture of the seconds (period 1) or of the hour (3600) stays right."""
    return max(0.001, period - now.timestamp() % period)
