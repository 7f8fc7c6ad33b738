"""Panel brightness: the night schedule, a ``brightness`` override, what the panel shows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from matrix_client.brightness import scheduled_brightness
from matrix_client.display.base import Display


class BrightnessState:
    """The level to show now; the panel is told only when it changes.

    An override holds until the schedule moves to another level, then the
    schedule wins again.
    """

    def __init__(self, base: int, schedule: Sequence[tuple[int, int]]) -> None:
        self.base = base
        self.schedule = tuple(schedule)
        self.override: tuple[int, int] | None = None  # (value, schedule level then)
        self.shown: int | None = None

    def set_override(self, value: int, now: datetime) -> None:
        self.override = (value, scheduled_brightness(self.schedule, now, self.base))

    def wanted(self, now: datetime) -> int:
        level = scheduled_brightness(self.schedule, now, self.base)
        if self.override is not None and self.override[1] != level:
            self.override = None  # the schedule moved on
        return self.override[0] if self.override is not None else level

    def apply(self, now: datetime, display: Display) -> bool:
        """Tell ``display`` the wanted level if it differs from the last one; True if told."""
        wanted = self.wanted(now)
        if wanted == self.shown:
            return False
        display.set_brightness(wanted)
        self.shown = wanted
        return True

    def wait(self, now: datetime) -> float:
        """Seconds to the next minute while a schedule is set (its levels change by minute)."""
        if not self.schedule:
            return math.inf
        return 60 - now.second - now.microsecond / 1e6
