"""What the panel and the emulator share: both speak hzeller's ``rgbmatrix`` API
(RGBMatrixEmulator mimics it), so pictures go the same way to both: onto an
offscreen canvas, swapped in on the vertical sync so a frame never shows half
drawn, and redrawn when the brightness changes.
"""

from __future__ import annotations

from typing import Any

from PIL import Image


class SwappedCanvasDisplay:
    """A display over an ``RGBMatrix``-like object; subclasses say how a canvas is prepared."""

    def __init__(self, matrix: Any) -> None:
        self._matrix = matrix
        self._canvas = matrix.CreateFrameCanvas()
        self._size = (matrix.width, matrix.height)
        self._last: Image.Image | None = None

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def _prepare(self, canvas: Any) -> None:
        """Set up the offscreen canvas before a picture is written onto it."""

    def show(self, image: Image.Image) -> None:
        self._last = image
        self._prepare(self._canvas)
        self._canvas.SetImage(image.convert("RGB") if image.mode != "RGB" else image)
        self._canvas = self._matrix.SwapOnVSync(self._canvas)

    def set_brightness(self, percent: int) -> None:
        self._matrix.brightness = max(0, min(100, int(percent)))
        # The driver applies brightness as pixels are written: redraw the picture.
        if self._last is not None:
            self.show(self._last)

    def clear(self) -> None:
        self._last = None
        self._canvas.Clear()
        self._canvas = self._matrix.SwapOnVSync(self._canvas)
