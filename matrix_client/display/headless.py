"""A display that keeps its frames in memory: for tests, snapshots and benches.

Frames are stored exactly as the loop pushed them, at full brightness. The
brightness is *recorded* (``.brightness``), not multiplied into the pixels:
on the real panel brightness is a property of the PWM drive, not of the
picture, and golden images of pages must not depend on the time of day.
:meth:`apparent` gives the dimmed picture when a test wants to see it.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from PIL import Image

DEFAULT_MAX_FRAMES = 64


class HeadlessDisplay:
    """An in-memory RGB surface of ``width`` x ``height`` pixels."""

    def __init__(self, width: int, height: int, max_frames: int = DEFAULT_MAX_FRAMES) -> None:
        if width <= 0 or height <= 0:
            raise ValueError(f"display size must be positive, got {width}x{height}")
        self._size = (width, height)
        # Bounded so that a client running for days on this backend stays small.
        self.frames: deque[Image.Image] = deque(maxlen=max(1, max_frames))
        self.brightness = 100
        self.shown = 0  # frames pushed since start, including those dropped from .frames
        self.closed = False

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    @property
    def last_frame(self) -> Image.Image | None:
        return self.frames[-1] if self.frames else None

    def show(self, image: Image.Image) -> None:
        if image.size != self._size:
            raise ValueError(f"image is {image.size[0]}x{image.size[1]}, display is "
                             f"{self._size[0]}x{self._size[1]}")
        # A copy: the caller may keep drawing on its image.
        self.frames.append(image.convert("RGB") if image.mode != "RGB" else image.copy())
        self.shown += 1

    def set_brightness(self, percent: int) -> None:
        self.brightness = max(0, min(100, int(percent)))

    def clear(self) -> None:
        self.show(Image.new("RGB", self._size))

    def close(self) -> None:
        self.closed = True

    def apparent(self, image: Image.Image | None = None) -> Image.Image | None:
        """``image`` (default: the last frame) scaled by the recorded brightness."""
        frame = image if image is not None else self.last_frame
        if frame is None:
            return None
        factor = self.brightness / 100
        # Truncating, as the emulator and the driver scale: pixel-comparable with them.
        return frame.point(lambda v: int(v * factor))

    def save_png(self, path: str | Path) -> Path:
        """Write the last frame as a PNG; raise if nothing was shown yet."""
        frame = self.last_frame
        if frame is None:
            raise RuntimeError("nothing shown yet, no frame to save")
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        frame.save(target, format="PNG")
        return target
