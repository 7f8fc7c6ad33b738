"""Stand-in for hzeller's rgbmatrix bindings: the same API, no hardware (tests only)."""

from .core import FrameCanvas, RGBMatrix, RGBMatrixOptions

__all__ = ["FrameCanvas", "RGBMatrix", "RGBMatrixOptions"]
