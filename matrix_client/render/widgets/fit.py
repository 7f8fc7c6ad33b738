"""FirstFit: the first of a few wordings that fits its room ("2-1, 1 out", then
"1 out"), the last one shortened when none does.

Measuring stays monotonic: a wording that fits a room fits every larger one, and
the earlier ones did not fit the room it was chosen in.
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


@dataclass(eq=False)
class FirstFit(Widget):
    """One line: the first of ``options`` (any values, cleaned; empty ones skipped)
    that fits its width in ``font``."""

    options: Sequence[object]
    font: str | Font = "small"
    color: Color = WHITE
    align: Align = "left"

    def __post_init__(self) -> None:
        # An empty wording would always "fit": only the ones with something to show count.
        cleaned = [c for c in (clean(option) for option in self.options) if c] or [""]
        self.choices = [Text(option, self.font, self.color, self.align) for option in cleaned]

    def chosen(self, width: int, env: Env) -> Text:
        font = env.font(self.font)
        for choice in self.choices:
            if font.width(choice.shown) <= width:
                return choice
        return self.choices[-1]

    def measure(self, room: Size, env: Env) -> Size:
        return self.chosen(room[0], env).size(room, env)

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        return self.chosen(box[2], env).paint(image, box, env)
