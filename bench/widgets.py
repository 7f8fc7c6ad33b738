"""Cost of the widget layer: the sample card drawn as a widget tree against the same
picture drawn by hand with render/layout.py's helpers and literal coordinates.

    python bench/widgets.py [--renders 400] [--sizes 64x32,128x64]

Both are rendered at successive times (the marquee moves), each frame is checked
pixel for pixel against the other, and the figures are the median and 95th
percentile per render and their ratio. The widget side includes building the
tree, as a page would on every render. "first draw" is the widget side with a
frame cache that has never seen the tree: laid out and painted in full, the cost
of a render whose data (or minute) has just changed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from matrix_client.pages.samples import NOW  # noqa: E402
from matrix_client.render import colors  # noqa: E402
from matrix_client.render.fonts import font_for  # noqa: E402
from matrix_client.render.icons import paste, weather_icon  # noqa: E402
from matrix_client.render.layout import fill, hbar, line_text  # noqa: E402
from matrix_client.render.widgets import Env, draw  # noqa: E402
from matrix_client.render.widgets.frame_cache import FrameCache  # noqa: E402
from matrix_client.render.widgets.sample import STATE, card  # noqa: E402


def by_hand(state, now: datetime, size: tuple[int, int]) -> tuple[Image.Image, float]:
    """The sample card at 64x32 or 128x64 the way pages draw today: boxes by number."""
    W, H = size
    image = Image.new("RGB", size)
    tiny, small, medium = font_for("tiny"), font_for("small"), font_for("medium")
    temp = f"{state['temp']}\u00b0"
    feels = f"Feels {state['feels']}\u00b0"
    if W < 128:  # 64x32: icon 16, temperature over a tiny feels-like
        paste(image, weather_icon(state["condition"], False, 16), (0, 0))
        color = colors.temp_color(float(state["temp"]))
        line_text(image, (18, 0, medium.width(temp), 10), temp, medium, color)
        line_text(image, (18, 11, tiny.width(feels), 6), feels, tiny, colors.SOFT)
        ttl = line_text(image, (0, 18, W, 8), state["message"], small, colors.CYAN, now=now)
        hbar(image, (0, 27, W, 2), state["progress"], colors.GREEN, colors.DIM)
        return image, min(ttl, 60 - now.second - now.microsecond / 1e6)
    # 128x64: a header, icon 24, the message, a temperature line and rain bars, the bar
    title_w = small.width(state["title"])
    line_text(image, (0, 0, title_w, 8), state["title"], small, colors.AMBER)
    clock = f"{now:%H:%M}"
    line_text(image, (title_w + 2, 0, W - title_w - 2, 8), clock, small, colors.GREY,
              align="right")
    paste(image, weather_icon(state["condition"], False, 24), (0, 10))
    color = colors.temp_color(float(state["temp"]))
    line_text(image, (26, 12, medium.width(temp), 10), temp, medium, color)
    line_text(image, (26, 23, small.width(feels), 8), feels, small, colors.SOFT)
    ttl = line_text(image, (0, 36, W, 8), state["message"], small, colors.CYAN, now=now)
    hours = state["hours"]
    lo, hi = min(hours), max(hours)
    points = [(i * 101 // (len(hours) - 1), 46 + 9 - round((v - lo) / (hi - lo) * 9))
              for i, v in enumerate(hours)]
    draw_ = ImageDraw.Draw(image)
    for a, b in zip(points, points[1:], strict=False):
        draw_.line((a, b), fill=colors.YELLOW)
    draw_.point(points[-1], fill=colors.YELLOW)
    for i, chance in enumerate(state["rain"]):
        tall = round(min(1.0, chance / 100) * 10)
        tall = 1 if chance > 0 and tall == 0 else tall
        fill(image, (105 + i * 3, 56 - tall, 2, tall), colors.SKY)
    hbar(image, (0, 58, W, 2), state["progress"], colors.GREEN, colors.DIM)
    return image, min(ttl, 60 - now.second - now.microsecond / 1e6)


def with_widgets(state, now: datetime, size: tuple[int, int]) -> tuple[Image.Image, float]:
    return draw(card(state, now, size), size, now)


def first_draw(state, now: datetime, size: tuple[int, int]) -> tuple[Image.Image, float]:
    """``draw`` with a frame cache that has never seen the tree."""
    scene = card(state, now, size)
    image, ttl = FrameCache().draw(scene.root, Env(now=now, panel=size), colors.BLACK)
    return image, min(ttl, scene.ttl)


WAYS = (("by hand", by_hand), ("widgets", with_widgets), ("first draw", first_draw))


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(size: tuple[int, int], renders: int) -> dict[str, list[float]]:
    """Seconds per render of each way, taken in turns so that load from elsewhere on the
    machine falls on all alike."""
    samples: dict[str, list[float]] = {way: [] for way, _ in WAYS}
    for i in range(renders):
        moment = NOW + timedelta(milliseconds=250 * i)
        for way, render in WAYS:
            start = time.perf_counter()
            render(STATE, moment, size)
            samples[way].append(time.perf_counter() - start)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=400, help="renders per side (400)")
    parser.add_argument("--sizes", default="64x32,128x64", help="panel sizes (64x32,128x64)")
    args = parser.parse_args(argv)
    sizes = [tuple(int(v) for v in s.lower().split("x")) for s in args.sizes.split(",")]
    print(f"widget layer against hand-placed drawing, {args.renders} renders each "
          f"(Python {sys.version.split()[0]})")
    print(f"{'size':<8} {'way':<10} {'median ms':>10} {'p95 ms':>8} {'x by hand':>10}")
    for size in sizes:
        for i in range(0, args.renders, 7):  # the same picture, frame by frame, first
            moment = NOW + timedelta(milliseconds=250 * i)
            b, ttl_b = by_hand(STATE, moment, size)
            for way, render in WAYS[1:]:
                a, ttl_a = render(STATE, moment, size)
                if a.tobytes() != b.tobytes() or ttl_a != ttl_b:
                    print(f"{size}: {way} and by hand differ at {moment} "
                          f"(ttl {ttl_a} / {ttl_b})")
                    return 1
        samples = measure(size, args.renders)
        label = f"{size[0]}x{size[1]}"
        base = statistics.median(samples["by hand"])
        for way, times in samples.items():
            median = statistics.median(times)
            print(f"{label:<8} {way:<10} {median * 1e3:>10.3f} "
                  f"{_percentile(times, 0.95) * 1e3:>8.3f} {median / base:>10.2f}")
    print("pictures identical frame for frame: yes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
