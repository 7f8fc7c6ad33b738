"""Realistic envelopes for the benchmarks: the demo producer's eight types, minute by minute."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from server.producers.demo_data import DemoWorld


def envelopes(count: int) -> list[str]:
    """``count`` envelopes (Weather is about 10 KB), from seed 1 and a fixed clock."""
    world = DemoWorld(1)
    start = datetime(2026, 11, 26, 12, tzinfo=ZoneInfo("America/New_York"))
    out: list[str] = []
    minute = 0
    while len(out) < count:
        moment = start + timedelta(minutes=minute)
        for kind, values in world.messages(moment).items():
            out.append(json.dumps({"type": kind, "values": values,
                                   "updated": moment.isoformat(), "valid": moment.isoformat(),
                                   "ts": int(moment.timestamp() * 1000)},
                                  separators=(",", ":")))
        minute += 1
    return out[:count]
