"""The widget goldens: small pictures of each widget (and the sample card at every
size class) in tests/golden/widgets/, compared pixel by pixel by
tests/test_widgets_golden.py.

    python -m tests.widget_goldens --regenerate   # after a deliberate change: then LOOK
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PIL import Image

from matrix_client.pages.samples import NOW
from matrix_client.render import colors
from matrix_client.render.widgets import (
    QR,
    BarChart,
    Box,
    Column,
    Expand,
    Icon,
    Marquee,
    Picture,
    ProgressBar,
    Row,
    Sparkline,
    Stack,
    Text,
    render,
)
from matrix_client.render.widgets.sample import STATE, card

GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "widgets"
LONG = "Thanksgiving dinner at Grandma's house"
MAIN = ("start", "center", "end", "space_between", "space_around", "space_evenly")


def _blocks(*palette: colors.Color, w: int = 4, h: int = 3) -> list[Box]:
    return [Box(width=w, height=h, background=c) for c in palette]


def _sprite() -> Image.Image:
    sprite = Image.new("RGBA", (12, 6), (0, 0, 0, 0))
    for x in range(12):
        sprite.putpixel((x, x // 2), (*colors.PINK, 255))
        sprite.putpixel((x, 5), (*colors.GREEN, 255))
    return sprite


def _cases() -> dict[str, Callable[[], Image.Image]]:
    three = (colors.RED, colors.GREEN, colors.BLUE)
    cases: dict[str, Callable[[], Image.Image]] = {
        "box": lambda: render(
            Box(Text("Box", "small", colors.WHITE), padding=2, border=colors.AMBER,
                background=(20, 20, 60)), (24, 14), NOW),
        "row-main-align": lambda: render(
            Column([Row(_blocks(*three), main_align=a) for a in MAIN], gap=1,
                   cross_align="stretch"), (24, 23), NOW),
        "column-cross-align": lambda: render(
            Row([Box(Column([Box(width=w, height=2, background=c) for w, c in
                             zip((2, 3, 5), three, strict=True)], gap=1, cross_align=a),
                     width=7, background=(40, 40, 40))
                 for a in ("start", "center", "end", "stretch")], gap=1), (31, 8), NOW),
        "expand": lambda: render(
            Row([Text("AB", "tiny"), Expand(ProgressBar(0.5, height=6)),
                 Expand(Box(height=6, background=colors.PURPLE), 2)], gap=1,
                cross_align="center"), (40, 8), NOW),
        "stack": lambda: render(
            Stack([Box(width=20, height=20, background=(30, 30, 30)), Icon("partly", 16),
                   Text("ok", "tiny", colors.GREEN)], halign="center", valign="center"),
            (20, 20), NOW),
        "text": lambda: render(
            Column([
                Text(LONG, "small", colors.WHITE),
                Text("mid", "tiny", colors.AMBER, align="center"),
                Text("right", "tiny", colors.CYAN, align="right"),
                Text(LONG, "tiny", colors.SOFT, lines=3),
            ], gap=1, cross_align="stretch"), (40, 40), NOW),
        "text-too-low": lambda: render(Text(LONG, "medium"), (40, 7), NOW),
        "icon": lambda: render(
            Row([Icon("clear", 16), Icon("rain", 12), Icon("snow", 8), Icon("moon", 12,
                 phase=0.3), Icon("trash", 12), Icon("clear", 12, night=True)], gap=1,
                cross_align="end"), (72, 16), NOW),
        "picture": lambda: render(
            Row([Picture(_sprite()), Box(Picture(_sprite()), width=6, height=6)], gap=2),
            (20, 6), NOW),
        "progress": lambda: render(
            Column([ProgressBar(f, height=2) for f in (0.0, 0.25, 0.5, 1.0, "x")], gap=1),
            (20, 14), NOW),
        "charts": lambda: render(
            Column([
                Sparkline(STATE["hours"], colors.YELLOW, height=8),
                Sparkline([1, 3, None, 2, 5, 4], colors.CYAN, fill=(20, 60, 80), width=30,
                          height=6),
                BarChart(STATE["rain"], colors.SKY, bar=2, height=8, high=100),
            ], gap=1), (30, 24), NOW),
        "qr": lambda: render(Row([QR("WIFI:T:WPA;S:home;P:secret;;"), Text("Scan", "tiny")],
                                 gap=2), (64, 32), NOW),
        "card-96x40": lambda: render(card(STATE, NOW, (96, 40)), (96, 40), NOW),
    }
    for seconds in (0, 5):
        moment = NOW + timedelta(seconds=seconds)
        cases[f"marquee-{seconds}s"] = lambda m=moment: render(
            Marquee(LONG, "small", colors.CYAN), (40, 8), m)
    for size in ((64, 32), (128, 32), (64, 64), (128, 64)):
        cases[f"card-{size[0]}x{size[1]}"] = lambda s=size: render(card(STATE, NOW, s), s, NOW)
    return cases


CASES = _cases()


def regenerate(directory: Path = GOLDEN_DIR) -> tuple[int, int]:
    """Write every widget golden; remove PNGs without a case. (written, removed)"""
    directory.mkdir(parents=True, exist_ok=True)
    for name, make in CASES.items():
        make().save(directory / f"{name}.png", optimize=True)
    stale = [p for p in directory.glob("*.png") if p.stem not in CASES]
    for path in stale:
        path.unlink()
    return len(CASES), len(stale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.widget_goldens",
                                     description="Write the widget goldens (look at them!)")
    parser.add_argument("--regenerate", action="store_true", required=True)
    parser.parse_args(argv)
    written, removed = regenerate()
    print(f"wrote {written} widget goldens to {GOLDEN_DIR}, removed {removed} stale ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
