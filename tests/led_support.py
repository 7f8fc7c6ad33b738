"""Reading an emulated panel back from a picture of it, and comparing it with a golden.

RGBMatrixEmulator draws every LED as a ``pixel_size`` square cell (the LED's
shape and outline inside it); the colour at the centre of a cell is that LED's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from matrix_client.pages.golden import GOLDEN_DIR


def golden(page: str, size: tuple[int, int], case: str = "") -> Image.Image:
    path = GOLDEN_DIR / f"{size[0]}x{size[1]}" / (f"{page}-{case}.png" if case else f"{page}.png")
    with Image.open(path) as stored:
        return stored.convert("RGB")


def led_centres(picture: Image.Image, size: tuple[int, int], pixel_size: int) -> Image.Image:
    """The panel (``size`` LEDs) as seen in ``picture``: each cell's centre pixel."""
    expected = (size[0] * pixel_size, size[1] * pixel_size)
    if picture.size != expected:
        raise AssertionError(f"the picture is {picture.size[0]}x{picture.size[1]}, a "
                             f"{size[0]}x{size[1]} panel at {pixel_size} px per LED is "
                             f"{expected[0]}x{expected[1]}")
    half = pixel_size // 2
    leds = Image.new("RGB", size)
    source, target = picture.load(), leds.load()
    for y in range(size[1]):
        for x in range(size[0]):
            target[x, y] = source[x * pixel_size + half, y * pixel_size + half]
    return leds


def differing_leds(leds: Image.Image, expected: Image.Image) -> int:
    """How many LEDs differ from the golden at all."""
    mask = ImageChops.difference(leds, expected).convert("L").point(lambda v: 255 if v else 0)
    return mask.histogram()[255]


@dataclass
class Match:
    seconds: float  # from the start of the wait until the picture matched
    picture: Image.Image


def wait_for_golden(take: Callable[[], Image.Image], expected: Image.Image, pixel_size: int,
                    timeout: float, failure: Path | None = None) -> Match:
    """Take pictures until their LEDs equal ``expected``; fail with the closest miss."""
    started = time.monotonic()
    last: Image.Image | None = None
    last_error = ""
    while True:
        try:
            last = take()
            leds = led_centres(last, expected.size, pixel_size)
        except (AssertionError, RuntimeError) as exc:  # not drawn yet, or not yet this size
            last_error = str(exc)
        else:
            wrong = differing_leds(leds, expected)
            if wrong == 0:
                return Match(time.monotonic() - started, last)
            last_error = f"{wrong} of {expected.width * expected.height} LEDs differ"
        if time.monotonic() - started > timeout:
            if failure is not None and last is not None:
                failure.parent.mkdir(parents=True, exist_ok=True)
                last.save(failure)
            raise AssertionError(f"the panel did not show the golden within {timeout}s: "
                                 f"{last_error}" + (f" (last picture: {failure})"
                                                    if failure is not None and last else ""))
        time.sleep(0.05)
