"""Chores the loop runs on every step: the debounced state cache write, the watchdog."""

from __future__ import annotations

import math

from matrix_client.cache import CacheWriter
from matrix_client.sdnotify import SystemdNotifier


class Upkeep:
    def __init__(self, cache: CacheWriter | None, notifier: SystemdNotifier) -> None:
        self.cache = cache
        self.notifier = notifier

    def tick(self, mono: float) -> None:
        if self.cache is not None:
            self.cache.tick()
        self.notifier.watchdog(mono)

    def wait(self) -> float:
        """Seconds until a chore may be due: a pending cache write, the next watchdog ping."""
        waits = [math.inf]
        cache = self.cache
        if cache is not None and cache.pending:
            waits.append(cache.delay)
        if self.notifier.watchdog_interval is not None:
            waits.append(self.notifier.watchdog_interval)
        return min(waits)
