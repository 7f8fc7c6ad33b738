"""Memory of the SSE resume buffer against ``--replay-mb``.

Fills the API server's state (``StateHolder``) with realistic demo envelopes
(all eight types, about 1.9 KB on average) until its replay buffer is full several
times over, and measures what the buffer really holds with tracemalloc. As
the baseline, in the same run, the same events are kept the way the buffer
used to keep them: the frame, a second copy of the envelope's JSON, and the
parsed envelope, within the same frame-byte bound.

    python bench/replay_memory.py [--replay-mb 8] [--fill 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tracemalloc
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.support.demo_envelopes import envelopes  # noqa: E402
from glanceboard.envelope import parse_envelope  # noqa: E402
from server.api.state import StateHolder  # noqa: E402


def demo_messages(total_bytes: int) -> list[bytes]:
    """Demo envelopes worth ``total_bytes``: 400 made by the demo world (slow to make),
    repeated with growing ``ts`` so that every one is a new event."""
    made = [json.loads(raw) for raw in envelopes(400)]
    out: list[bytes] = []
    size = 0
    while size < total_bytes:
        message = dict(made[len(out) % len(made)], ts=len(out) + 1)
        out.append(json.dumps(message, separators=(",", ":")).encode("utf-8"))
        size += len(out[-1])
    return out


class OldReplay:
    """The buffer as it was: each event kept with its frame, a copy of its JSON and the
    parsed envelope, bounded by the frames' bytes alone."""

    def __init__(self, replay_bytes: int) -> None:
        self.replay_bytes = replay_bytes
        self.replay: deque[tuple[bytes, str, int, Any, bytes]] = deque()
        self.held = 0
        self.seq = 0

    def ingest(self, raw: bytes) -> None:
        envelope = parse_envelope(raw)
        payload = envelope.to_json().encode("utf-8")
        self.seq += 1
        frame = f"id: 0-{self.seq}\nevent: update\ndata: ".encode() + payload + b"\n\n"
        self.replay.append((frame, envelope.type, self.seq, envelope, payload))
        self.held += len(frame)
        while len(self.replay) > 1 and self.held > self.replay_bytes:
            self.held -= len(self.replay.popleft()[0])


def traced(build: Callable[[], Any], messages: list[bytes]) -> tuple[int, int]:
    """(bytes still allocated after feeding ``messages`` to ``build()``, events kept)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        holder = build()
        for raw in messages:
            holder.ingest(raw)
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return used, len(holder.replay)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replay-mb", type=int, default=8, help="the bound (default 8)")
    parser.add_argument("--fill", type=float, default=3.0,
                        help="messages worth this many times the bound (default 3)")
    args = parser.parse_args()
    bound = args.replay_mb * 1024 * 1024
    messages = demo_messages(int(bound * args.fill))
    mean = sum(map(len, messages)) / len(messages)
    print(f"{len(messages)} demo envelopes, {mean:,.0f} bytes on average, "
          f"--replay-mb {args.replay_mb}")
    new, kept_new = traced(lambda: StateHolder(replay_size=10**7, replay_bytes=bound), messages)
    old, kept_old = traced(lambda: OldReplay(bound), messages)
    for name, used, kept in (("frame only (now)", new, kept_new),
                             ("frame + JSON + envelope (before)", old, kept_old)):
        print(f"  {name:34s} {used / 2**20:7.1f} MiB = {used / bound:4.2f}x --replay-mb, "
              f"{kept:,} events kept")
    print(f"  ratio before/now per MiB of bound: {old / new:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
