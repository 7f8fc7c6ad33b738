"""Night dimming: the brightness for a time of day from the configured schedule.

The schedule is a list of (minute of the day, percent): each level holds from
its time until the next one, wrapping past midnight, so
``{"07:00" = 100, "22:00" = 20}`` means 20 % from 22:00 to 07:00.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


def scheduled_brightness(schedule: Sequence[tuple[int, int]], now: datetime,
                         default: int) -> int:
    if not schedule:
        return default
    minute = now.hour * 60 + now.minute
    level = schedule[-1][1]  # before the first entry of the day: last one of yesterday
    for at, percent in schedule:
        if at <= minute:
            level = percent
        else:
            break
    return level
