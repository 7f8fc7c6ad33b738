"""Line: a text that keeps its line in a column even when it is empty.

A column leaves out what shows nothing, which closes up the lines below an
empty text. Where the lines should stay put whatever the data (a missing
pollutant must not lift the AQI scale), the text is wrapped in a Line: as wide
as its room and as high as its font's line, shown or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from matrix_client.render.widgets.base import Env, Rect, Size, Widget
from matrix_client.render.widgets.text import Text


@dataclass(eq=False)
class Line(Widget):
    """``text`` in a box of the room's width and its font's height."""

    text: Text

    def measure(self, room: Size, env: Env) -> Size:
        return room[0], env.font(self.text.font).height

    def paint(self, image: Image.Image, box: Rect, env: Env) -> float:
        return self.text.paint(image, box, env)
