"""Render cost of every page at 128x64 (or another size), from the sample state.

    python bench/pages.py [--size 128x64] [--renders 300] [--budget 60]

Each page is rendered a few hundred times at successive times (so clocks and
marquees move); the figures are the median and 95th percentile per render,
and their ratio to a baseline measured in the same run: a blank image of the
panel size created and filled (the least any page can cost).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from matrix_client.pages import registry  # noqa: E402
from matrix_client.pages.base import PageContext  # noqa: E402
from matrix_client.pages.samples import NOW, context  # noqa: E402


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(render, renders: int, deadline: float) -> list[float]:
    """Seconds per call, one sample per call, stopping early at the deadline."""
    samples = []
    for i in range(renders):
        start = time.perf_counter()
        render(i)
        samples.append(time.perf_counter() - start)
        if time.monotonic() > deadline:
            break
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="128x64", help="panel size WxH (default 128x64)")
    parser.add_argument("--renders", type=int, default=300, help="renders per page (default 300)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds the whole bench may take (default 60)"
    )
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    logging.basicConfig(level=logging.CRITICAL)
    pages = [name for name in registry() if name != "generic"]
    deadline = time.monotonic() + args.budget
    per_page_deadline = args.budget / (len(pages) + 1)

    def baseline(_: int) -> None:
        image = Image.new("RGB", (width, height))
        ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), fill=(0, 0, 0))

    base = measure(baseline, args.renders, min(deadline, time.monotonic() + per_page_deadline))
    base_median = statistics.median(base)
    print(
        f"page render cost at {width}x{height}, {args.renders} renders each "
        f"(Python {sys.version.split()[0]})"
    )
    print(f"{'page':<10} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11} {'renders':>8}")
    print(
        f"{'baseline':<10} {base_median * 1e3:>10.3f} {_percentile(base, 0.95) * 1e3:>8.3f} "
        f"{1.0:>11.1f} {len(base):>8}"
    )
    worst = 0.0
    for name in pages:
        spec = registry()[name]
        ctx = context("", (width, height))
        spec.render(ctx)  # first render loads fonts and draws icons once: not the steady cost

        def render(i: int, spec=spec, ctx=ctx) -> None:
            moment = NOW + timedelta(milliseconds=250 * i)
            spec.render(PageContext(**{**ctx.__dict__, "now": moment}))

        samples = measure(render, args.renders, min(deadline, time.monotonic() + per_page_deadline))
        median = statistics.median(samples)
        worst = max(worst, median)
        print(
            f"{name:<10} {median * 1e3:>10.3f} {_percentile(samples, 0.95) * 1e3:>8.3f} "
            f"{median / base_median:>11.1f} {len(samples):>8}"
        )
    print(f"slowest page median: {worst * 1e3:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
