"""Render cost of every page at 128x64 (or another size), from the sample state.

    python bench/pages.py [--size 128x64] [--renders 300] [--budget 60]
    python bench/pages.py --against main [--rounds 3]     # before (a revision) and after
    python bench/pages.py --cold [--against main]          # every render a new tree, drawn first
    python bench/pages.py --first [--against main]         # ... and nothing laid out before

Each page is rendered a few hundred times at successive times (so clocks and
marquees move); the figures are the median and 95th percentile per render,
and their ratio to a baseline measured in the same run: a blank image of the
panel size created and filled (the least any page can cost).

With ``--against REV`` (a branch, tag or commit) the revision's tree is
exported with ``git archive`` into a temporary directory and its pages are
measured the same way in a subprocess, in turns with the working tree's (in
``--rounds`` rounds, so load from elsewhere on the machine falls on both
alike); per page it prints the median before, after, and after/before.

With ``--cold`` the widget layer's frame cache and the pages' kept scenes are
emptied (untimed) before every render, so each one builds its tree and draws it
first, as when the data or the minute changed; a revision without them is measured
as it is. Other caches (fonts, glyph
strips, icons) stay warm in both modes, and so does the layout memo: the subtrees
that did not change since the previous render are not laid out again, as after a
real change of the minute. ``--first`` empties the layout memo too, so each render
is of a tree nothing of which was seen before (the most a render can cost).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(render, renders: int, deadline: float, before=None) -> list[float]:
    """Seconds per call, one sample per call, stopping early at the deadline;
    ``before()`` runs untimed ahead of each call."""
    samples = []
    for i in range(renders):
        if before is not None:
            before()
        start = time.perf_counter()
        render(i)
        samples.append(time.perf_counter() - start)
        if time.monotonic() > deadline:
            break
    return samples


def _cache_clearer(cold: bool, first: bool = False):
    """What empties the frame cache and the pages' kept scenes before a render with
    --cold, and with --first the layout memo and subtree ids too (None: nothing to do).
    A revision without one of them is measured as it is."""
    if not (cold or first):
        return None
    try:
        from matrix_client.render.widgets import frame_cache
    except ImportError:  # a revision before the frame cache
        return None
    steps = [frame_cache.FRAMES.clear]
    try:
        from matrix_client.pages.scene_memo import forget_scenes
    except ImportError:  # a revision before the scene memo
        pass
    else:
        steps.append(forget_scenes)
    forget = getattr(frame_cache, "forget_layouts", None) if first else None
    if forget is not None:
        steps.append(forget)

    def clear() -> None:
        for step in steps:
            step()

    return clear


def measure_pages(
    tree: Path, size: tuple[int, int], renders: int, budget: float, cold: bool = False,
    first: bool = False,
) -> dict[str, list[float]]:
    """Seconds per render of the baseline and of each page of the source ``tree``."""
    sys.path.insert(0, str(tree))
    from PIL import Image, ImageDraw

    import matrix_client
    from matrix_client.pages import registry

    if not Path(matrix_client.__file__).resolve().is_relative_to(tree):
        raise SystemExit(f"matrix_client came from {matrix_client.__file__}, not from {tree}")
    from matrix_client.pages.base import PageContext
    from matrix_client.pages.samples import NOW, context

    width, height = size
    clear = _cache_clearer(cold, first)
    pages = [name for name in registry() if name != "generic"]
    deadline = time.monotonic() + budget
    per_page = budget / (len(pages) + 1)

    def baseline(_: int) -> None:
        image = Image.new("RGB", (width, height))
        ImageDraw.Draw(image).rectangle((0, 0, width - 1, height - 1), fill=(0, 0, 0))

    out = {"baseline": measure(baseline, renders, min(deadline, time.monotonic() + per_page))}
    for name in pages:
        spec = registry()[name]
        ctx = context("", (width, height))
        spec.render(ctx)  # first render loads fonts and draws icons once: not the steady cost

        def render(i: int, spec=spec, ctx=ctx) -> None:
            moment = NOW + timedelta(milliseconds=250 * i)
            spec.render(PageContext(**{**ctx.__dict__, "now": moment}))

        out[name] = measure(
            render, renders, min(deadline, time.monotonic() + per_page), clear
        )
    return out


def print_table(size: tuple[int, int], renders: int, samples: dict[str, list[float]]) -> None:
    """Today's report: median, p95 and ratio to the baseline per page."""
    base_median = statistics.median(samples["baseline"])
    print(
        f"page render cost at {size[0]}x{size[1]}, {renders} renders each "
        f"(Python {sys.version.split()[0]})"
    )
    print(f"{'page':<10} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11} {'renders':>8}")
    for name, times in samples.items():
        median = statistics.median(times)
        print(
            f"{name:<10} {median * 1e3:>10.3f} {_percentile(times, 0.95) * 1e3:>8.3f} "
            f"{median / base_median:>11.1f} {len(times):>8}"
        )
    worst = max(statistics.median(t) for name, t in samples.items() if name != "baseline")
    print(f"slowest page median: {worst * 1e3:.3f} ms")


def export(revision: str, into: Path) -> str:
    """Write ``revision``'s tree into ``into`` with git archive; returns its short hash."""
    def git(*args: str) -> bytes:
        try:
            return subprocess.run(
                ["git", "-C", str(ROOT), *args], capture_output=True, check=True
            ).stdout
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode(errors="replace").strip()
            raise SystemExit(f"--against {revision}: git {args[0]} failed: {message}") from None

    commit = git("rev-parse", "--short", "--verify", f"{revision}^{{commit}}").decode().strip()
    with tarfile.open(fileobj=io.BytesIO(git("archive", "--format=tar", commit))) as tar:
        tar.extractall(into, filter="data")
    return commit


def run_side(
    tree: Path, size: str, renders: int, budget: float, cold: bool, first: bool = False
) -> dict[str, list[float]]:
    """This script's measurement, importing the pages of ``tree``, in a subprocess."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--tree", str(tree), "--json",
        "--size", size, "--renders", str(renders), "--budget", str(budget),
        *(["--cold"] if cold else []), *(["--first"] if first else []),
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tree)
    if result.returncode != 0:
        raise SystemExit(f"measuring the pages of {tree} failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout)


def compare(args: argparse.Namespace) -> int:
    """Before (``--against``) and after (this tree), in alternating rounds."""
    rounds = max(1, args.rounds)
    renders = max(1, args.renders // rounds)
    budget = args.budget / (2 * rounds)
    before: dict[str, list[float]] = {}
    after: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        commit = export(args.against, Path(tmp))
        for _ in range(rounds):
            for tree, into in ((Path(tmp), before), (ROOT, after)):
                for name, times in run_side(
                    tree, args.size, renders, budget, args.cold, args.first
                ).items():
                    into.setdefault(name, []).extend(times)
    mode = (
        " (first: every render a tree nothing of which was laid out)" if args.first
        else " (cold: every render a frame cache miss)" if args.cold else ""
    )
    print(
        f"page render cost at {args.size}{mode}, "
        f"before: {args.against} ({commit}), after: this "
        f"tree; {rounds} rounds of {renders} renders each (Python {sys.version.split()[0]})"
    )
    print(f"{'page':<10} {'before ms':>10} {'after ms':>9} {'after/before':>13}")
    for name in [*before, *(n for n in after if n not in before)]:
        old = statistics.median(before[name]) if name in before else None
        new = statistics.median(after[name]) if name in after else None
        cells = [f"{v * 1e3:.3f}" if v is not None else "-" for v in (old, new)]
        ratio = f"{new / old:.2f}" if old and new is not None else "-"
        print(f"{name:<10} {cells[0]:>10} {cells[1]:>9} {ratio:>13}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="128x64", help="panel size WxH (default 128x64)")
    parser.add_argument("--renders", type=int, default=300, help="renders per page (default 300)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds the whole bench may take (default 60)"
    )
    parser.add_argument(
        "--against", metavar="REV",
        help="also measure git revision REV (branch, tag, commit): before, after, ratio",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="with --against: alternating rounds (default 3)"
    )
    parser.add_argument(
        "--cold", action="store_true",
        help="empty the frame cache and the pages' kept scenes before every render: the "
             "cost of building and drawing a tree after a change",
    )
    parser.add_argument(
        "--first", action="store_true",
        help="as --cold, and empty the layout memo too: a tree nothing of which was seen",
    )
    # What --against runs in its subprocesses: another tree's pages, figures as JSON.
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    logging.basicConfig(level=logging.CRITICAL)
    if args.against:
        return compare(args)
    tree = (args.tree or ROOT).resolve()
    samples = measure_pages(
        tree, (width, height), args.renders, args.budget, args.cold, args.first
    )
    if args.json:
        json.dump(samples, sys.stdout)
    else:
        print_table((width, height), args.renders, samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
