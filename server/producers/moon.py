"""Moon phase, illumination and the next sun and moon events, computed locally with astral.

No network: the sky is computed for the configured place. The period is cut
short so that a new message goes out just after the next sun or moon event,
and ``sunevent``/``moonevent`` always name an event still to come.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import astral
import astral.moon
import astral.sun

from glanceboard.payloads.moon import Moon as MoonView
from glanceboard.payloads.moon import SkyEvent
from server.producers.base import Producer, option
from server.producers.place import Place, add_place_arguments, place_of
from server.producers.shape import require_original_shape

# astral's lunar age runs 0 .. 27.99 "days" over one synodic month.
ASTRAL_MONTH = 28.0


def phase_index(age: float) -> int:
    """astral's lunar age -> 0-99: 0 new, 25 first quarter, 50 full, 75 last quarter."""
    return int(age / ASTRAL_MONTH * 100) % 100


def illumination(age: float) -> float:
    """Illuminated fraction of the disc (0-1) at that lunar age."""
    return (1 - math.cos(2 * math.pi * age / ASTRAL_MONTH)) / 2


def _next_event(events: dict[str, Callable[[date], datetime | None]], now: datetime,
                days: int = 3) -> tuple[str, datetime | None]:
    """The first of ``events`` (name -> time on a date) after ``now``."""
    found: list[tuple[datetime, str]] = []
    for offset in range(-1, days):
        day = now.date() + timedelta(days=offset)
        for name, when in events.items():
            try:
                moment = when(day)
            except ValueError:  # no rise/set that day (polar day or night, moon skips)
                continue
            if moment is not None and moment > now:
                found.append((moment, name))
    if not found:
        return next(iter(events)), None
    moment, name = min(found)
    return name, moment


def sky(place: Place, now: datetime, clock24: bool = False) -> tuple[dict[str, Any], datetime]:
    """The ``Moon`` values at ``now`` and the time of the next event they mention."""
    now = now.astimezone(place.zone)
    observer = astral.Observer(latitude=place.latitude, longitude=place.longitude)
    zone = place.zone
    sun_name, sun_at = _next_event({
        "Sunrise": lambda d: astral.sun.sunrise(observer, d, tzinfo=zone),
        "Sunset": lambda d: astral.sun.sunset(observer, d, tzinfo=zone),
    }, now)
    moon_name, moon_at = _next_event({
        "Moonrise": lambda d: astral.moon.moonrise(observer, d, tzinfo=zone),
        "Moonset": lambda d: astral.moon.moonset(observer, d, tzinfo=zone),
    }, now)
    age = astral.moon.phase(now.date())
    values = MoonView(
        phase=phase_index(age),
        illumination=illumination(age) * 100,
        sunevent=SkyEvent.write(sun_name, sun_at, not clock24),
        moonevent=SkyEvent.write(moon_name, moon_at, not clock24),
        sun_at=sun_at,  # beside the texts: displays show them in their own zone
        moon_at=moon_at,
    ).to_values()
    upcoming = [t for t in (sun_at, moon_at) if t is not None]
    next_change = min(upcoming) if upcoming else now + timedelta(days=1)
    return values, next_change


class Moon(Producer):
    name = "Moon"
    type = "Moon"
    default_period = 600
    description = "moon phase, illumination, next sun and moon events (computed, no network)"
    household = {"latitude": "latitude", "longitude": "longitude", "timezone": "timezone",
                 "clock": "clock24"}

    min_period = 30.0  # never spin faster than this, even right before an event

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.next_change: datetime | None = None
        self.fetched_at: datetime | None = None

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        add_place_arguments(parser)
        option(parser, "--clock24", action="store_true", env="CLOCK24", default=False,
               help="write 16:31 instead of 04:31 PM")

    def fetch(self) -> dict[str, Any]:
        clock24 = self.setting("clock24", False, env="CLOCK24")
        if isinstance(clock24, str):
            clock24 = clock24.strip().lower() in ("1", "true", "yes", "on")
        now = self.now()
        values, self.next_change = sky(place_of(self), now, bool(clock24))
        self.fetched_at = now
        return values

    def next_period(self, messages: dict[str, Any]) -> float | None:
        """Wake just after the next sun/moon event, so the texts never name a past one."""
        if self.next_change is None or self.fetched_at is None:
            return None
        until = (self.next_change - self.fetched_at).total_seconds() + 5
        return max(self.min_period, min(self.configured_period(), until))

    def check_shape(self, kind: str, values: Any) -> None:
        require_original_shape(kind, values)


PRODUCER = Moon
