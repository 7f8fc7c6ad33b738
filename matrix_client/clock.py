"""Time for the loop, injectable: the real clock, or a manual one for tests."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...


class SystemClock:
    def __init__(self, zone: tzinfo | None = None) -> None:
        self.zone = zone

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(self.zone) if self.zone else datetime.now().astimezone()


class ManualClock:
    """A clock that moves only when told to; wall time and monotonic time move together."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start
        self._mono = 1000.0

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._now += timedelta(seconds=seconds)


def zone_from_name(name: str) -> tzinfo | None:
    """An IANA zone, or None (the system zone) for an empty name."""
    if not name:
        return None
    from zoneinfo import ZoneInfo

    from glanceboard.zones import zone_named

    # Names are checked where they are read (config, profile): a bad one here is a bug.
    return zone_named(name) or ZoneInfo(name)
