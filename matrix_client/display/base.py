"""The one display interface every backend implements.

The loop talks only to this; the real panel, the emulator and the headless
backend are interchangeable behind it.
"""

from __future__ import annotations

from typing import Protocol

from PIL import Image


class Display(Protocol):
    """An RGB pixel surface of fixed size."""

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        ...

    def show(self, image: Image.Image) -> None:
        """Put an RGB image of exactly ``size`` on the surface."""
        ...

    def set_brightness(self, percent: int) -> None:
        """0-100."""
        ...

    def clear(self) -> None:
        """All pixels off."""
        ...

    def close(self) -> None:
        """Release the surface; the panel is left dark."""
        ...
