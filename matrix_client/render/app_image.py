"""An app's picture: a small PNG or GIF sent as base64, decoded within fixed bounds.

The API server runs every pushed image through :func:`decode_image` before it
accepts the app, and displays run it again before they draw (anything on the
data channel may have come from elsewhere). The bounds are checked in the order
that keeps the cost bounded: the base64 text's length, the bytes, the format's
signature, the size in the header (before a single pixel is decompressed), the
frame count (so at most 128x64x32 pixels), and only then the pixels, frame by frame.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from PIL import Image

MAX_BYTES = 8 * 1024  # the file; a 64x32 icon-sized GIF of a few frames is 1-3 KiB
MAX_BASE64_CHARS = 4 * ((MAX_BYTES + 2) // 3)
MAX_WIDTH, MAX_HEIGHT = 128, 64  # the largest panel
MAX_FRAMES = 32
# GIF frames of 0 or 10 ms are shown at 100 ms by browsers; we do the same.
SHORT_FRAME_MS, SHORT_FRAME_SHOWN_MS = 10, 100
MIN_FRAME_MS = 50  # the render loop's budget: at most 20 frames a second
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"GIF87a": "GIF", b"GIF89a": "GIF"}


class ImageError(ValueError):
    """An image refused; the message says which bound it broke."""


@dataclass(frozen=True)
class AppImage:
    """The frames (RGBA) and how long each shows, in ms; one frame for a still."""

    frames: tuple[Image.Image, ...]
    durations: tuple[int, ...]

    @property
    def size(self) -> tuple[int, int]:
        return self.frames[0].size

    @property
    def loop_ms(self) -> int:
        return sum(self.durations)

    def frame_at(self, ms: int) -> tuple[Image.Image, float]:
        """The frame shown ``ms`` after the epoch (the animation loops from there) and the
        seconds until the next one (inf for a still)."""
        if len(self.frames) == 1:
            return self.frames[0], float("inf")
        into = ms % self.loop_ms
        for frame, duration in zip(self.frames, self.durations, strict=True):
            if into < duration:
                return frame, (duration - into) / 1000
            into -= duration
        return self.frames[-1], self.durations[-1] / 1000  # not reached: into < loop_ms


def decode_base64(text: str) -> bytes:
    if not isinstance(text, str) or not text:
        raise ImageError("must be a non-empty base64 string")
    if len(text) > MAX_BASE64_CHARS:
        raise ImageError(f"{len(text)} base64 characters; the limit is {MAX_BASE64_CHARS} "
                         f"({MAX_BYTES} bytes of PNG or GIF)")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ImageError("is not valid base64 (standard alphabet, with padding)") from None


def _frame_ms(image: Image.Image) -> int:
    duration = image.info.get("duration")
    ms = int(duration) if isinstance(duration, int | float) and duration == duration else 0
    if ms <= SHORT_FRAME_MS:
        ms = SHORT_FRAME_SHOWN_MS
    return max(MIN_FRAME_MS, min(ms, 60_000))


def decode_image(text: str) -> AppImage:
    """``text`` (base64 of a PNG or GIF) as frames, or :class:`ImageError` saying why not."""
    data = decode_base64(text)
    if len(data) > MAX_BYTES:
        raise ImageError(f"{len(data)} bytes; the limit is {MAX_BYTES}")
    kind = next((name for sig, name in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise ImageError("is neither a PNG nor a GIF (by its first bytes)")
    try:
        with Image.open(io.BytesIO(data), formats=(kind,)) as image:
            width, height = image.size
            if not (0 < width <= MAX_WIDTH and 0 < height <= MAX_HEIGHT):
                raise ImageError(f"is {width}x{height} px; at most {MAX_WIDTH}x{MAX_HEIGHT}")
            count = getattr(image, "n_frames", 1)
            if not isinstance(count, int) or not 1 <= count <= MAX_FRAMES:
                raise ImageError(f"has {count} frames; at most {MAX_FRAMES}")
            frames, durations = [], []
            for index in range(count):
                image.seek(index)
                frames.append(image.convert("RGBA"))
                if frames[-1].size != (width, height):
                    raise ImageError(f"frame {index} is {frames[-1].size}, not {width}x{height}")
                durations.append(_frame_ms(image))
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own check, when opening
        raise ImageError(f"is far larger than {MAX_WIDTH}x{MAX_HEIGHT} px "
                         f"(a decompression bomb): {exc}"[:300]) from None
    except Exception as exc:  # noqa: BLE001 - a hostile file may trip any decoder error
        raise ImageError(f"is not a readable {kind}: {type(exc).__name__}: {exc}"[:300]) from None
    return AppImage(tuple(frames), tuple(durations))
