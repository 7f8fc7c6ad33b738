"""The render loop's own cost per step, without a page's drawing.

    python bench/loop_step.py [--steps 5000] [--repeats 5] [--root DIR]

Steps a RenderLoop on a manual clock over a page that draws a stored picture
(so the page costs next to nothing) in three cases: idle (nothing changed:
the step only checks), a data change every step (render + compose + push
check), and a notification on screen. Prints microseconds per step and, as
a baseline from the same run, the cost of one ``Image.tobytes`` of the panel
(what every push check does anyway). Each figure is CPU time (not wall time), the best
of ``--repeats`` runs, so a busy machine disturbs it little. ``--root`` runs another checkout's
loop, to compare before and after a change.
"""

from __future__ import annotations

import argparse
import queue
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose matrix_client to measure")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))

    from PIL import Image

    from glanceboard.envelope import validate_object
    from matrix_client.clock import ManualClock
    from matrix_client.display.headless import HeadlessDisplay
    from matrix_client.loop import RenderLoop
    from matrix_client.pages.base import PageFrame, PageSpec
    from matrix_client.rotation import RotationEntry
    from matrix_client.store import StateStore

    size = (128, 64)
    pictures = [Image.new("RGB", size, (n, 0, 0)) for n in range(2)]
    spec = PageSpec("flat", lambda ctx: PageFrame(pictures[len(ctx.state) % 2]), ("A",))
    start = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def make() -> tuple[RenderLoop, ManualClock, StateStore, queue.Queue]:
        clock = ManualClock(start)
        store = StateStore()
        controls: queue.Queue = queue.Queue()
        loop = RenderLoop(HeadlessDisplay(*size, max_frames=1), store,
                          [RotationEntry("flat", 10**9)], clock=clock, controls=controls,
                          page_lookup=lambda name: spec)
        loop.step()
        return loop, clock, store, controls

    def per_step(setup, each) -> float:
        best = float("inf")
        for _ in range(args.repeats):
            loop, clock, store, controls = make()
            setup(loop, controls)
            loop.step()
            t0 = time.process_time()
            for n in range(args.steps):
                each(n, clock, store)
                loop.step()
            best = min(best, (time.process_time() - t0) / args.steps * 1e6)
        return best

    updates = [validate_object({"type": "A", "values": {"n": n}, "ts": n + 1,
                                "updated": start.isoformat(), "valid": "2099-01-01T00:00:00Z"})
               for n in range(args.steps)]  # built before the clock runs

    def change(n, clock, store) -> None:
        store.apply(updates[n])

    def tick(n, clock, store) -> None:
        clock.advance(0.001)

    def notify(loop, controls) -> None:
        controls.put({"type": "webcontrol", "command": "notify",
                      "args": {"text": "Dinner", "seconds": 600}})

    base = float("inf")
    for _ in range(args.repeats):
        t0 = time.process_time()
        for _ in range(args.steps):
            pictures[0].tobytes()
        base = min(base, (time.process_time() - t0) / args.steps * 1e6)
    print(f"loop from {args.root}, panel {size[0]}x{size[1]}, "
          f"best of {args.repeats} x {args.steps} steps")
    print(f"{'case':>14} {'us/step':>9} {'x tobytes':>10}")
    for name, setup, each in (("idle", lambda *a: None, tick),
                              ("data change", lambda *a: None, change),
                              ("notify idle", notify, tick)):
        cost = per_step(setup, each)
        print(f"{name:>14} {cost:>9.1f} {cost / base:>10.2f}")
    print(f"{'baseline':>14} {base:>9.1f}  (one tobytes of the panel)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
