"""The apps page's own goldens: one card of each kind at every size class, in
tests/golden/apps/, compared pixel by pixel by tests/test_pages_apps.py. (The page's
sample-case goldens are with the other pages', in tests/golden/<W>x<H>/.)

    python -m tests.app_goldens --regenerate   # after a deliberate change: then LOOK
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from matrix_client.display.headless import HeadlessDisplay
from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext
from matrix_client.pages.samples import NOW, SIZES

GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "apps"
NOW_MS = int(NOW.timestamp() * 1000)
HOUR_MS = 3_600_000


def encoded(image: Image.Image, fmt: str, **options: Any) -> str:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return base64.b64encode(out.getvalue()).decode("ascii")


def blink_gif() -> str:
    """16x16, three frames (red, amber, green dot on a ring) of 200, 300 and 500 ms."""
    frames = []
    for color in ((240, 50, 40), (255, 176, 48), (60, 210, 90)):
        frame = Image.new("RGB", (16, 16))
        for x in range(16):
            for y in range(16):
                d = (x - 7.5) ** 2 + (y - 7.5) ** 2
                if 36 <= d <= 56:
                    frame.putpixel((x, y), (120, 120, 120))
                elif d <= 12:
                    frame.putpixel((x, y), color)
        frames.append(frame)
    return encoded(frames[0], "GIF", save_all=True, append_images=frames[1:],
                   duration=[200, 300, 500], loop=0)


def state_of(*apps: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The state holding ``apps`` (each live for an hour from NOW unless it says)."""
    values = {"apps": [{"duration": 8, "expires": NOW_MS + HOUR_MS, **app} for app in apps]}
    return {"Apps": {"type": "Apps", "values": values, "updated": NOW.isoformat(),
                     "valid": (NOW + timedelta(hours=1)).isoformat(), "ts": NOW_MS}}


APP_STATES: dict[str, dict[str, dict[str, Any]]] = {
    "icon-text": state_of({"name": "rain", "icon": "rain", "text": "Rain 5pm",
                           "color": "#6eaaff"}),
    "lines": state_of({"name": "build", "lines": ["Build 812", "main passed", "3m 12s"],
                       "color": "#3cd25a", "background": "#102010"}),
    "chart": state_of({"name": "power", "text": "1.2 kW",
                       "chart": {"values": [3, 4, 6, 5, 7, 9, 8, 6, 4, 5, 7, 10, 12, 9, 7, 6],
                                 "kind": "line", "color": "#fadc3c"}}),
    "bars-progress": state_of({"name": "rainfall", "lines": ["Rain next 8h"], "icon": "drizzle",
                               "chart": {"values": [10, 40, 80, 60, 20, 0, 0, 30],
                                         "kind": "bars"},
                               "progress": 35, "progress_color": "#ff6e14"}),
    "gif": state_of({"name": "status", "image": blink_gif(), "text": "OK"}),
    "expired": state_of({"name": "gone", "text": "Gone", "expires": NOW_MS - 1}),
}
# The GIF at a moment in its second frame: 200-500 ms into its 1 s loop.
MOMENTS: dict[str, timedelta] = {"gif-second-frame": timedelta(milliseconds=300)}


def context(state: dict[str, Any], size: tuple[int, int], offset: timedelta) -> PageContext:
    return PageContext(state=state, now=NOW + offset, width=size[0], height=size[1])


def shown(state: dict[str, Any], size: tuple[int, int],
          offset: timedelta = timedelta(0)) -> Image.Image:
    """The apps page's frame as the headless display received it."""
    frame = get_page("apps").render(context(state, size, offset))
    display = HeadlessDisplay(*size)
    display.show(frame.image)
    assert display.last_frame is not None
    return display.last_frame


def _cases() -> dict[str, Callable[[], Image.Image]]:
    cases: dict[str, Callable[[], Image.Image]] = {}
    for size in SIZES:
        label = f"{size[0]}x{size[1]}"
        for name, state in APP_STATES.items():
            cases[f"{name}-{label}"] = lambda st=state, sz=size: shown(st, sz)
        for name, offset in MOMENTS.items():
            cases[f"{name}-{label}"] = (
                lambda sz=size, off=offset: shown(APP_STATES["gif"], sz, off))
    return cases


CASES = _cases()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="write every golden")
    args = parser.parse_args(argv)
    if not args.regenerate:
        parser.print_help()
        return 2
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for stale in GOLDEN_DIR.glob("*.png"):
        if stale.stem not in CASES:
            stale.unlink()
    for name, make in CASES.items():
        make().save(GOLDEN_DIR / f"{name}.png")
    print(f"wrote {len(CASES)} app goldens to {GOLDEN_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
