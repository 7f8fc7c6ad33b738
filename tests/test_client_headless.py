"""The headless display: what the pages' golden tests and the loop tests rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from matrix_client.display.headless import HeadlessDisplay


def test_keeps_frames_as_pushed_and_bounded() -> None:
    display = HeadlessDisplay(4, 2, max_frames=3)
    assert display.size == (4, 2)
    assert display.last_frame is None
    for shade in range(5):
        display.show(Image.new("RGB", (4, 2), (shade, 0, 0)))
    assert len(display.frames) == 3
    assert display.shown == 5
    assert display.last_frame.getpixel((0, 0)) == (4, 0, 0)


def test_frame_is_a_copy() -> None:
    display = HeadlessDisplay(2, 2)
    image = Image.new("RGB", (2, 2), (10, 20, 30))
    display.show(image)
    image.putpixel((0, 0), (255, 255, 255))
    assert display.last_frame.getpixel((0, 0)) == (10, 20, 30)


def test_wrong_size_is_refused() -> None:
    display = HeadlessDisplay(64, 32)
    with pytest.raises(ValueError, match="63x32"):
        display.show(Image.new("RGB", (63, 32)))


def test_brightness_is_recorded_not_applied() -> None:
    display = HeadlessDisplay(1, 1)
    display.set_brightness(50)
    display.show(Image.new("RGB", (1, 1), (200, 100, 0)))
    assert display.brightness == 50
    assert display.last_frame.getpixel((0, 0)) == (200, 100, 0)
    assert display.apparent().getpixel((0, 0)) == (100, 50, 0)
    display.set_brightness(140)
    assert display.brightness == 100


def test_clear_and_save_png(tmp_path: Path) -> None:
    display = HeadlessDisplay(3, 3)
    with pytest.raises(RuntimeError):
        display.save_png(tmp_path / "none.png")
    display.show(Image.new("RGB", (3, 3), (1, 2, 3)))
    path = display.save_png(tmp_path / "sub" / "frame.png")
    with Image.open(path) as saved:
        assert saved.convert("RGB").getpixel((2, 2)) == (1, 2, 3)
    display.clear()
    assert display.last_frame.getpixel((1, 1)) == (0, 0, 0)
