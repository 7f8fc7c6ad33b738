"""The apps page and the app image decoder: goldens, turns, expiry, GIF frames, bounds."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from datetime import timedelta

import pytest
from PIL import Image

from glanceboard.payloads.apps import Apps
from matrix_client.pages import get_page
from matrix_client.pages.apps import turn
from matrix_client.render.app_image import (
    MAX_BYTES,
    MAX_FRAMES,
    MIN_FRAME_MS,
    ImageError,
    decode_image,
)
from tests.app_goldens import (
    APP_STATES,
    CASES,
    GOLDEN_DIR,
    HOUR_MS,
    NOW_MS,
    blink_gif,
    context,
    encoded,
    shown,
    state_of,
)
from tests.golden_support import assert_matches_golden


@pytest.mark.parametrize("name", sorted(CASES))
def test_app_card_matches_its_golden(name: str) -> None:
    assert_matches_golden(CASES[name](), GOLDEN_DIR / f"{name}.png", "apps",
                          "python -m tests.app_goldens --regenerate")


def test_no_stray_app_goldens() -> None:
    stray = [p.name for p in GOLDEN_DIR.glob("*.png") if p.stem not in CASES]
    assert not stray, f"app goldens without a case: {stray}"


def render(state: dict, offset: timedelta = timedelta(0), size: tuple[int, int] = (64, 32)):
    return get_page("apps").render(context(state, size, offset))


def test_apps_take_turns_by_their_durations() -> None:
    apps = Apps.parse({"apps": [
        {"name": "a", "text": "A", "duration": 2, "expires": NOW_MS + HOUR_MS},
        {"name": "b", "text": "B", "duration": 5, "expires": NOW_MS + HOUR_MS},
    ]}).apps
    start = NOW_MS - NOW_MS % 7000  # a cycle of 7 s starts here: a for 2 s, then b for 5 s
    assert turn(apps, start) == (apps[0], 2.0)
    assert turn(apps, start + 1500) == (apps[0], 0.5)
    assert turn(apps, start + 2000) == (apps[1], 5.0)
    assert turn(apps, start + 6999)[0] is apps[1]
    assert turn(apps, start + 7000) == (apps[0], 2.0)


def test_the_page_switches_and_its_ttl_is_the_time_to_the_switch() -> None:
    state = state_of({"name": "a", "text": "A", "duration": 2, "background": "#ff0000"},
                     {"name": "b", "text": "B", "duration": 5, "background": "#0000ff"})
    into = timedelta(milliseconds=-(NOW_MS % 7000))  # the start of a cycle
    first = render(state, into)
    assert first.image.getpixel((0, 0)) == (255, 0, 0)
    assert first.ttl == pytest.approx(2.0)
    second = render(state, into + timedelta(seconds=2))
    assert second.image.getpixel((0, 0)) == (0, 0, 255)
    assert second.ttl == pytest.approx(5.0)


def test_an_app_disappears_at_its_expiry_and_the_ttl_says_when() -> None:
    state = state_of({"name": "a", "text": "A", "background": "#ff0000", "duration": 60,
                      "expires": NOW_MS + 3000})
    before = render(state)
    assert before.image.getpixel((0, 0)) == (255, 0, 0)
    assert before.ttl <= 3.0
    after = render(state, timedelta(seconds=3))
    assert after.image.getpixel((0, 0)) == (0, 0, 0)
    assert after.image.tobytes() == shown(APP_STATES["expired"], (64, 32)).tobytes()


def test_an_animated_gif_shows_the_frame_of_now() -> None:
    state = state_of({"name": "s", "image": blink_gif(), "duration": 60})
    loop_start = timedelta(milliseconds=-(NOW_MS % 1000))  # the GIF loops every second
    frames = [render(state, loop_start + timedelta(milliseconds=ms)) for ms in (0, 250, 600)]
    colours = [set(c for _, c in f.image.getcolors(64 * 32)) for f in frames]
    assert (240, 50, 40) in colours[0] and (255, 176, 48) in colours[1]
    assert (60, 210, 90) in colours[2]
    assert [f.ttl for f in frames] == pytest.approx([0.2, 0.25, 0.4])
    # A frame about to end still waits the loop's frame budget.
    late = render(state, loop_start + timedelta(milliseconds=199))
    assert late.ttl == pytest.approx(MIN_FRAME_MS / 1000)


def test_garbage_apps_never_break_the_page() -> None:
    bomb = png_bomb(20000, 20000)
    for values in (None, "x", {"apps": "x"}, {"apps": [None, 3, {"name": 5}]},
                   {"apps": [{"name": "x", "expires": "soon"}]},
                   {"apps": [{"name": "x", "expires": NOW_MS + 1000, "image": bomb,
                              "duration": "long", "chart": {"values": ["a", None]},
                              "progress": "half", "color": "red", "lines": [1, None]}]}):
        state = {"Apps": {"type": "Apps", "values": values, "updated": "x", "valid": "y"}}
        for size in ((64, 32), (128, 64), (96, 40)):
            frame = render(state, size=size)
            assert frame.image.size == size


# --- the decoder -------------------------------------------------------------------------

def png_bomb(width: int, height: int) -> str:
    """A PNG whose header claims ``width`` x ``height`` with a tiny, compressed-away body:
    the shape of a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\0" * 65536, 9)
    raw = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    return base64.b64encode(raw).decode()


def _gif(frames: int, size: tuple[int, int] = (4, 4)) -> str:
    images = [Image.new("RGB", size, (i * 7 % 256, i * 3 % 256, 255 - i)) for i in range(frames)]
    return encoded(images[0], "GIF", save_all=True, append_images=images[1:], duration=20)


def test_decoder_reads_png_and_gif() -> None:
    still = decode_image(encoded(Image.new("RGB", (10, 5), (1, 2, 3)), "PNG"))
    assert still.size == (10, 5) and len(still.frames) == 1
    assert still.frames[0].getpixel((0, 0)) == (1, 2, 3, 255)
    moving = decode_image(_gif(3))
    assert len(moving.frames) == 3
    assert moving.durations == (MIN_FRAME_MS,) * 3  # 20 ms is faster than the loop draws


@pytest.mark.parametrize(("data", "words"), [
    ("", "non-empty"),
    ("not base64!", "not valid base64"),
    ("A" * 20000, "base64 characters"),
    (base64.b64encode(b"GIF89a" + b"\0" * (MAX_BYTES - 5)).decode(), "bytes; the limit"),
    (base64.b64encode(b"\xff\xd8\xff\xe0 a jpeg").decode(), "neither a PNG nor a GIF"),
    (png_bomb(20000, 20000), "decompression bomb"),
    (png_bomb(129, 10), "at most 128x64"),
    (png_bomb(9000, 9000), "is 9000x9000 px; at most 128x64"),
    (base64.b64encode(b"\x89PNG\r\n\x1a\n truncated").decode(), "not a readable PNG"),
    (_gif(MAX_FRAMES + 1), f"at most {MAX_FRAMES}"),
])
def test_decoder_refuses_with_a_reason(data: str, words: str) -> None:
    with pytest.raises(ImageError, match=words):
        decode_image(data)


def test_decoder_checks_the_header_before_any_pixel() -> None:
    # The bomb claims 20000x20000 (400 M pixels): refused in well under the time and
    # memory a decode would take, because the size is read from the header first.
    data = png_bomb(20000, 20000)
    with pytest.raises(ImageError, match="far larger than 128x64"):
        decode_image(data)
    assert len(base64.b64decode(data)) < MAX_BYTES


def test_a_gif_at_the_size_and_frame_bounds_decodes() -> None:
    frames = [Image.new("RGB", (128, 64), (i * 8, 0, 255 - i * 8)) for i in range(MAX_FRAMES)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert len(out.getvalue()) <= MAX_BYTES  # small on the wire, 262144 pixels decoded
    decoded = decode_image(base64.b64encode(out.getvalue()).decode())
    assert len(decoded.frames) == MAX_FRAMES  # exactly at the bound is fine
