"""Matrix client cost per frame: render one page and push it, at 64x32 and 128x64.

    python bench/client_frame.py [--frames 300]

For each registered page, steps the real render loop on a manual clock with a
change every step (the clock moves one second and the data changes), on the
headless backend and on the emulator's raw adapter, and prints the median and
95th percentile of one step. The baseline, measured in the same run, is the
cost of allocating and comparing one blank frame of the same size, so the
ratio says how much of a frame is the page's own drawing. Goal: median <= 1 ms
at 128x64 (headless).
"""

from __future__ import annotations

import argparse
import queue
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from glanceboard.envelope import validate_object  # noqa: E402
from matrix_client.clock import ManualClock  # noqa: E402
from matrix_client.display.headless import HeadlessDisplay  # noqa: E402
from matrix_client.loop import RenderLoop  # noqa: E402
from matrix_client.pages import registry  # noqa: E402
from matrix_client.rotation import RotationEntry  # noqa: E402
from matrix_client.store import StateStore  # noqa: E402

START = datetime(2026, 11, 26, 18, 30, 0, tzinfo=UTC)


def sample_state() -> list[dict]:
    """One plausible message per type, so pages draw their real content."""
    valid = "2099-01-01T00:00:00+00:00"
    values = {
        "Weather": {"current": {"temp": 52, "fl": 50, "humid": 60, "windDir": "WSW",
                                "windSpeed": 8, "windGust": 14, "desc": "few clouds",
                                "dn": "d", "wid": 801, "nwid": 801},
                    "forecast": [{"hi": 55 + d, "lo": 40 + d, "wid": 800} for d in range(8)],
                    "hourly": [{"temp": 50 + h % 5, "wid": 800} for h in range(48)]},
        "AQI": {"date_time": "2026-11-26T13:00:00-05:00", "aqi_score": 38,
                "aqi_adjective": "Good", "color": "green", "main_pollutant": "PM2.5"},
        "Moon": {"phase": 42, "illumstr": "42%", "sunevent": "Sunset 4:31 PM",
                 "moonevent": "Moonrise 1:02 PM"},
        "Calendar": [["Dentist", "2026-11-27T09:00:00-05:00", "2026-11-27T10:00:00-05:00"]],
        "Events": [["Grandma visits", "2026-11-28", "2026-11-29"]],
        "GitHub": {"latest_commit": "abc1234", "last_successful_commit": "abc1234",
                   "commit_message": "Fix the thing", "date": "2026-11-26T12:00:00Z"},
        "MLB": [], "NFL": {"events": []},
    }
    return [{"type": kind, "values": v, "updated": START.isoformat(), "valid": valid, "ts": 1}
            for kind, v in values.items()]


def baseline(size: tuple[int, int], frames: int) -> float:
    times = []
    previous = b""
    for n in range(frames):
        t0 = time.perf_counter()
        image = Image.new("RGB", size, (n % 256, 0, 0))
        raw = image.tobytes()
        _ = raw != previous
        previous = raw
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(page: str, size: tuple[int, int], frames: int, display
            ) -> tuple[list[float], int]:
    """Step times, and how many of the steps rendered (a page that reads no data and
    shows no time, like the Wi-Fi QR, is drawn once and never again)."""
    clock = ManualClock(START)
    store = StateStore()
    store.apply_many(validate_object(m) for m in sample_state())
    loop = RenderLoop(display, store, [RotationEntry(page, 10**9)], clock=clock,
                      controls=queue.Queue())
    loop.step()
    weather, *others = sample_state()
    times = []
    for n in range(frames):
        clock.advance(1.0)
        # New data every step too: every type gets a new ts (so every page reading data
        # redraws), and the weather another temperature and forecast.
        values = weather["values"]
        changed = {**values, "current": {**values["current"], "temp": 40 + n % 30},
                   "forecast": [{**day, "hi": day["hi"] + n % 7} for day in values["forecast"]],
                   "hourly": [{**h, "temp": h["temp"] + n % 9} for h in values["hourly"]]}
        store.apply_many(validate_object({**m, "ts": n + 2}) for m in others)
        store.apply(validate_object({**weather, "ts": n + 2, "values": changed}))
        t0 = time.perf_counter()
        loop.step()
        times.append(time.perf_counter() - t0)
    return times, loop.stats.renders - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=300, help="steps per page and size")
    parser.add_argument("--no-emulator", action="store_true",
                        help="skip the emulator raw-adapter rows")
    args = parser.parse_args()
    pages = sorted(registry())
    emulator_factory = None
    if not args.no_emulator:
        import tempfile

        from matrix_client.display.emulator import EmulatorDisplay

        config_dir = Path(tempfile.mkdtemp(prefix="bench-emu-"))

        def emulator_factory(size):
            return EmulatorDisplay({"cols": size[0], "rows": size[1]}, adapter="raw",
                                   config_dir=config_dir)

    print(f"{'size':>7} {'backend':>8} {'page':>10} {'median ms':>10} {'p95 ms':>8} "
          f"{'x baseline':>10} {'renders':>8}")
    worst_128 = 0.0
    for size in ((64, 32), (128, 64)):
        base = baseline(size, args.frames)
        backends = [("headless", lambda s: HeadlessDisplay(*s))]
        if emulator_factory is not None:
            backends.append(("emu-raw", emulator_factory))
        for backend, factory in backends:
            for page in pages:
                times, renders = measure(page, size, args.frames, factory(size))
                median = statistics.median(times) * 1000
                p95 = statistics.quantiles(times, n=20)[-1] * 1000
                if size == (128, 64) and backend == "headless" and renders:
                    worst_128 = max(worst_128, median)
                print(f"{size[0]:>3}x{size[1]:<3} {backend:>8} {page:>10} {median:>10.3f} "
                      f"{p95:>8.3f} {median / (base * 1000):>10.1f} {renders:>8}")
        print(f"{size[0]:>3}x{size[1]:<3} baseline (blank frame alloc+compare): "
              f"{base * 1000:.4f} ms")
    print(f"worst page median at 128x64 (headless): {worst_128:.3f} ms (goal <= 1 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
