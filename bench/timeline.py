"""What each page costs the panel while it is shown: renders and CPU per minute on screen.

    python bench/timeline.py [--size 128x64] [--minutes 10] [--pages clock,mlb]
    python bench/timeline.py --against a370402 [--rounds 3]   # before, after, after/before

bench/pages.py times one render at a time; this bench replays ``--minutes`` of a
page being on screen and renders it exactly when the render loop would:

- it starts at ``samples.NOW`` with the sample state (``samples.context("", size)``)
  and renders through ``spec.render(PageContext(...))``, the API every revision has;
- after a render at time t the next one by time alone is due at
  ``t + max(ttl, 1/20 s)``: the loop's ``RenderCache`` keeps a frame until its ttl ran
  out and never renders again sooner than the frame gap of the default 20 frames per
  second (``DEFAULT_FRAMES`` and ``max_fps``); a ttl of ``inf`` never expires;
- messages arrive at their producers' default periods (:data:`CADENCES`), and an
  arrival of a type the page reads (any type for a page reading ``*``) renders it at
  once, as a new store version does in the loop. Each arrival carries changed data: a
  new ``ts``/``updated`` and a value nudged by a small per-type function
  (:data:`NUDGES`), so no frame cache could serve it from an earlier render. An arrival
  at the same moment as an expiry is one render.

The schedule is a pure function of the ttls the page returns, so both sides of
``--against`` render the same frames in the same order unless a page's ttl changed
(which then shows in the renders column). Every render is timed with perf_counter;
per page it prints the renders in the minutes shown, the total milliseconds spent
rendering per minute shown, and the median and p95 per render. A render that raises
(what the loop would show as the page's error card) stops the bench, naming the page.

With ``--against REV`` the revision's tree is exported with ``git archive`` and each
side runs in its own subprocess, in turns for ``--rounds`` rounds; per page it prints
ms per minute before, after, and after/before, with both sides' renders.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from pages import ROOT, _percentile, export  # noqa: E402

FRAME_GAP = 1.0 / 20  # the loop's frame gap at the default 20 frames per second

# Seconds between messages of a type: the producers' default periods (server/producers/),
# the live period for games, since the sample has a game on for MLB and NFL.
CADENCES: dict[str, float] = {
    "Weather": 900.0,
    "AQI": 1800.0,
    "Moon": 600.0,
    "Calendar": 900.0,
    "Events": 3600.0,
    "GitHub": 300.0,
    "MLB": 30.0,
    "NFL": 30.0,
    "Track": 600.0,
    "Host": 60.0,
}


def _nudge_weather(values: dict, n: int) -> dict:
    current = values["current"]
    current["temp"] = round(current["temp"] + (1 if n % 2 else -1), 1)  # 47.3 <-> 48.3
    current["humid"] = current.get("humid", 60) + n % 3
    return values


def _nudge_aqi(values: dict, n: int) -> dict:
    values["aqi_score"] = values["aqi_score"] + n % 4
    return values


def _nudge_moon(values: dict, n: int) -> dict:
    values["illumstr"] = f"{62.3 + 0.1 * n:.1f}%"
    return values


def _nudge_agenda(values: list, n: int) -> list:
    first = values[0]
    values[0] = [f"{first[0].split(' #')[0]} #{n}", *first[1:]]
    return values


def _nudge_github(values: dict, n: int) -> dict:
    values["latest_commit"] = f"{(0x9b13a4e + n) & 0xFFFFFFF:07x}"
    values["status"] = ("pending", "success")[n % 2]
    return values


def _nudge_mlb(values: list, n: int) -> list:
    live = values[0]  # the game in progress: a pitch, now and then a run
    live["balls"] = n % 4
    live["strikes"] = (n // 4) % 3
    if n % 5 == 0:
        live["home"]["score"] += 1
    return values


def _nudge_nfl(values: dict, n: int) -> dict:
    live = values["events"][0]  # the game in progress: the clock runs, a score now and then
    seconds = max(0, 4 * 60 + 12 - 30 * n) % (15 * 60)
    live["clock"] = f"{seconds // 60}:{seconds % 60:02d}"
    live["detail"] = f"3rd {live['clock']}"
    if n % 6 == 0:
        live["home"]["score"] += 3
    return values


def _nudge_track(values: dict, n: int) -> dict:
    values["Velocity"] = round(1.61 + 0.05 * (1 + n % 7), 2)  # never back to the sample
    return values


def _nudge_host(values: dict, n: int) -> dict:
    values["uptime_s"] = values.get("uptime_s", 0) + 60
    return values


NUDGES: dict[str, Callable[[Any, int], Any]] = {
    "Weather": _nudge_weather,
    "AQI": _nudge_aqi,
    "Moon": _nudge_moon,
    "Calendar": _nudge_agenda,
    "Events": _nudge_agenda,
    "GitHub": _nudge_github,
    "MLB": _nudge_mlb,
    "NFL": _nudge_nfl,
    "Track": _nudge_track,
    "Host": _nudge_host,
}


def arrival(envelope: Mapping[str, Any], n: int, at: datetime) -> dict[str, Any]:
    """The ``n``-th (from 1) message of ``envelope``'s type, arriving at ``at``: nudged
    values, a new ``ts`` and ``updated``, and valid well past the next one."""
    kind = envelope["type"]
    values = NUDGES[kind](copy.deepcopy(envelope["values"]), n)
    valid = at + timedelta(seconds=2 * CADENCES[kind] + 3600)
    return {**envelope, "values": values, "updated": at.isoformat(),
            "valid": valid.isoformat(), "ts": int(at.timestamp() * 1000)}


def arrivals(state: Mapping[str, Mapping[str, Any]], types: Iterable[str],
             minutes: float) -> list[tuple[float, str]]:
    """(seconds from the start, type) of every message the page reads in ``minutes``,
    in time order (ties by type name, so the order is the same on every run)."""
    wanted = set(state) if "*" in types else set(types)
    kinds = sorted(kind for kind in wanted if kind in state and kind in CADENCES)
    end = minutes * 60
    out = []
    for kind in kinds:
        step = CADENCES[kind]
        out.extend((k * step, kind) for k in range(1, int(end // step) + 1) if k * step < end)
    return sorted(out)


@dataclass
class Timeline:
    """What one page cost over the minutes shown."""

    seconds: list[float] = field(default_factory=list)  # per render, in order
    by_time: int = 0  # renders because the ttl ran out
    by_data: int = 0  # renders because a message arrived


def simulate(render: Callable[[datetime, Mapping[str, Any]], float],
             state: Mapping[str, Mapping[str, Any]], types: Iterable[str], start: datetime,
             minutes: float, timer: Callable[[], float] = time.perf_counter) -> Timeline:
    """Show a page for ``minutes`` from ``start`` as the loop would. ``render(now, state)``
    draws it and returns the frame's ttl; each call is timed with ``timer``."""
    state = dict(state)
    pending = arrivals(state, types, minutes)
    counts: dict[str, int] = {}
    end = minutes * 60
    out = Timeline()
    t, by_data = 0.0, False
    while t < end:
        while pending and pending[0][0] <= t:  # what has arrived by now is in the store
            _, kind = pending.pop(0)
            counts[kind] = counts.get(kind, 0) + 1
            state[kind] = arrival(state[kind], counts[kind], start + timedelta(seconds=t))
        began = timer()
        ttl = render(start + timedelta(seconds=t), state)
        out.seconds.append(timer() - began)
        if by_data:
            out.by_data += 1
        elif t > 0:
            out.by_time += 1
        # Rounded to the microsecond: 1200 steps of 0.05 s must end at 60 s, not just short.
        expires = round(t + max(FRAME_GAP, ttl if not math.isnan(ttl) else 0.0), 6)
        news = pending[0][0] if pending else math.inf
        t, by_data = (news, True) if news < expires else (expires, False)
    return out


def page_runner(spec: Any, ctx: Any) -> Callable[[datetime, Mapping[str, Any]], float]:
    """A ``render(now, state) -> ttl`` for ``spec`` from the sample context ``ctx``,
    through ``spec.render(PageContext(...))`` as bench/pages.py calls it."""
    context_type = type(ctx)

    def render(now: datetime, state: Mapping[str, Any]) -> float:
        frame = spec.render(context_type(**{**ctx.__dict__, "now": now, "state": state}))
        return float(frame.ttl)

    return render


def measure_timelines(tree: Path, size: tuple[int, int], minutes: float,
                      only: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per page of the source ``tree``: render seconds in order and the renders by cause."""
    sys.path.insert(0, str(tree))
    import matrix_client
    from matrix_client.pages import registry

    if not Path(matrix_client.__file__).resolve().is_relative_to(tree):
        raise SystemExit(f"matrix_client came from {matrix_client.__file__}, not from {tree}")
    from matrix_client.pages.samples import NOW, context

    out = {}
    for name, spec in registry().items():
        if name == "generic" or (only and name not in only):
            continue
        ctx = context("", size)
        spec.render(ctx)  # the first render loads fonts and icons: not the steady cost
        try:
            shown = simulate(page_runner(spec, ctx), ctx.state, spec.types, NOW, minutes)
        except Exception as exc:  # the loop would show the error card: the bench is wrong
            raise SystemExit(f"page {name} failed on a nudged state: {exc!r}") from exc
        out[name] = {"seconds": shown.seconds, "by_time": shown.by_time,
                     "by_data": shown.by_data}
    return out


def summary(seconds: list[float], minutes: float, rounds: int = 1) -> tuple[float, float, float]:
    """ms per minute shown (one round's), median ms and p95 ms per render."""
    return (sum(seconds) * 1e3 / rounds / minutes, statistics.median(seconds) * 1e3,
            _percentile(seconds, 0.95) * 1e3)


def print_table(size: str, minutes: float, pages: dict[str, dict[str, Any]]) -> None:
    print(f"page cost over {minutes:g} min shown at {size} (Python {sys.version.split()[0]})")
    print(f"{'page':<10} {'renders':>8} {'by data':>8} {'ms/min':>9} {'median ms':>10} "
          f"{'p95 ms':>8}")
    for name, page in pages.items():
        per_min, median, p95 = summary(page["seconds"], minutes)
        print(f"{name:<10} {len(page['seconds']):>8} {page['by_data']:>8} {per_min:>9.2f} "
              f"{median:>10.3f} {p95:>8.3f}")


def run_side(tree: Path, size: str, minutes: float,
             only: list[str] | None) -> dict[str, dict[str, Any]]:
    """This bench over the pages of ``tree``, in a subprocess, as JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--tree", str(tree), "--json",
               "--size", size, "--minutes", str(minutes),
               *(["--pages", ",".join(only)] if only else [])]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tree)
    if result.returncode != 0:
        raise SystemExit(f"the timeline of {tree} failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout)


def compare(args: argparse.Namespace, only: list[str] | None) -> int:
    """Before (``--against``) and after (this tree), in alternating rounds."""
    rounds = max(1, args.rounds)
    before: dict[str, dict[str, Any]] = {}
    after: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-timeline-") as tmp:
        commit = export(args.against, Path(tmp))
        for _ in range(rounds):
            for tree, into in ((Path(tmp), before), (ROOT, after)):
                for name, page in run_side(tree, args.size, args.minutes, only).items():
                    held = into.setdefault(name, {"seconds": [], "renders": len(page["seconds"])})
                    held["seconds"].extend(page["seconds"])
    print(f"page cost over {args.minutes:g} min shown at {args.size}, before: {args.against} "
          f"({commit}), after: this tree; {rounds} rounds (Python {sys.version.split()[0]})")
    print(f"{'page':<10} {'renders':>15} {'ms/min before':>14} {'after':>8} {'after/before':>13} "
          f"{'median ms':>17}")
    for name in [*before, *(n for n in after if n not in before)]:
        sides = [summary(s[name]["seconds"], args.minutes, rounds) if name in s else None
                 for s in (before, after)]
        renders = "/".join(str(s[name]["renders"]) if name in s else "-" for s in (before, after))
        cost = [f"{s[0]:.2f}" if s else "-" for s in sides]
        medians = "/".join(f"{s[1]:.3f}" if s else "-" for s in sides)
        old, new = sides
        ratio = f"{new[0] / old[0]:.2f}" if old and new and old[0] else "-"
        print(f"{name:<10} {renders:>15} {cost[0]:>14} {cost[1]:>8} {ratio:>13} {medians:>17}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="128x64", help="panel size WxH (default 128x64)")
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="minutes each page is shown (default 10)")
    parser.add_argument("--pages", help="only these pages, comma-separated (default all)")
    parser.add_argument("--against", metavar="REV",
                        help="also run git revision REV (branch, tag, commit): before, after")
    parser.add_argument("--rounds", type=int, default=3,
                        help="with --against: alternating rounds (default 3)")
    # What --against runs in its subprocesses: another tree's pages, figures as JSON.
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    only = [p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else None
    logging.basicConfig(level=logging.CRITICAL)
    if args.against:
        return compare(args, only)
    pages = measure_timelines((args.tree or ROOT).resolve(), (width, height), args.minutes,
                              only)
    if args.json:
        json.dump(pages, sys.stdout)
    else:
        print_table(args.size, args.minutes, pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
