"""The demo producer: realistic, changing data for every type, with no network.

    python -m server.producers demo [--seed 1] [--speed 60] [--start-time ...]

It publishes Weather, AQI, Moon, Calendar, Events, GitHub, MLB and NFL every
period, computed by :class:`~server.producers.demo_data.DemoWorld` from a seed
and the clock (shapes: docs/payloads.md). ``--start-time`` and ``--speed``
run a simulated clock, e.g. to watch a whole game in a few minutes.

It follows the household settings (place, latitude, longitude, time zone,
units, clock, favourite teams): when they change its world is rebuilt, so the
next message shows the change; a flag (``--place``, ``--latitude``...) wins.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta
from typing import Any

from glanceboard.payloads import names
from glanceboard.timefmt import TimeFormatError, parse_time
from server.producers.base import (
    ConfigError,
    Producer,
    ShapeError,
    option,
    positive_number,
    require,
)
from server.producers.demo_data import DemoWorld, Place
from server.producers.place import add_place_arguments, place_of

DEMO_TYPES = tuple(t for t in names.DISPLAY_TYPES if t != names.TRACK)


class DemoProducer(Producer):
    name = "Demo"
    type = "Weather"
    default_period = 10.0
    description = ("offline demo data for " + ", ".join(DEMO_TYPES)
                   + " (seeded, changing with the clock)")
    household = {"place": "place", "latitude": "latitude", "longitude": "longitude",
                 "timezone": "timezone", "units": "units", "clock": "twelve_hour",
                 "mlb_teams": "mlb_teams", "nfl_teams": "nfl_teams"}

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--seed", type=int, env="DEMO_SEED", default=1,
               help="the same seed and time give the same data")
        option(parser, "--place", env="DEMO_PLACE", default="New York",
               help="name of the place")
        option(parser, "--units", choices=("imperial", "metric"), env="DEMO_UNITS",
               default="imperial", help="imperial (°F, mph) or metric (°C, km/h) weather")
        add_place_arguments(parser, env_prefix="DEMO_")  # for sun, moon and seasons
        option(parser, "--start-time",
               help="run a simulated clock from this ISO 8601 time (default: the real clock)")
        option(parser, "--speed", type=float, default=1.0,
               help="simulated seconds per real second: at 1 the wind changes each minute "
               "and a game in play every few; 60 plays a ball game in three minutes")
        option(parser, "--24h", dest="twelve_hour", action="store_false", default=True,
               help="24-hour times in the Moon texts")
        option(parser, "--skip", env="DEMO_SKIP",
               help="comma-separated types not to publish, e.g. the ones real producers "
               "cover (default none)")

    def __init__(self, options: argparse.Namespace, config: dict[str, Any] | None = None
                 ) -> None:
        super().__init__(options, config)
        raw_seed = self.setting("seed", 1, env="DEMO_SEED")
        try:
            seed = int(raw_seed)
        except (TypeError, ValueError):
            raise ConfigError(f"Demo: seed {raw_seed!r} is not a whole number (--seed, env "
                              "DEMO_SEED)") from None
        self.speed = positive_number(self.setting("speed", 1.0), "Demo: --speed (config "
                                     "'speed')", unit="simulated seconds per second")
        start = self.setting("start_time")
        try:
            self.start = parse_time(start) if start else None
        except TimeFormatError as exc:
            raise ConfigError(f"Demo: --start-time: {exc}") from None
        self._started = time.monotonic()
        self.seed = seed
        self.world = self.build_world()

    def build_world(self) -> DemoWorld:
        """The world of the current settings (flags, live settings, environment, file)."""
        where = place_of(self, env_prefix="DEMO_")
        place = Place(str(self.setting("place", "New York", env="DEMO_PLACE")),
                      where.latitude, where.longitude,
                      where.timezone)
        units = str(self.setting("units", "imperial", env="DEMO_UNITS"))
        if units not in ("imperial", "metric"):
            raise ConfigError(f"Demo: units {units!r} is not imperial or metric (--units, env "
                              "DEMO_UNITS)")
        return DemoWorld(self.seed, place, twelve_hour=bool(self.setting("twelve_hour", True)),
                         units=units, mlb_teams=teams(self.setting("mlb_teams")),
                         nfl_teams=teams(self.setting("nfl_teams")))

    def settings_changed(self) -> None:
        self.world = self.build_world()

    def now(self) -> datetime:
        if self.start is None and self.speed == 1.0:
            return datetime.now(self.world.place.tz)
        origin = self.start or datetime.now(self.world.place.tz)
        elapsed = (time.monotonic() - self._started) * self.speed
        return (origin + timedelta(seconds=elapsed)).astimezone(self.world.place.tz)

    def fetch_messages(self) -> dict[str, Any]:
        skip = {t.strip() for t in str(self.setting("skip", "", env="DEMO_SKIP")).split(",")}
        return {k: v for k, v in self.world.messages(self.now()).items() if k not in skip}

    def check_shape(self, kind: str, values: Any) -> None:
        if kind == "Weather":
            require(values, "current.temp", (int, float), where=kind)
            for field, length in (("forecast", 8), ("hourly", 48)):
                if (got := len(require(values, field, list, where=kind))) != length:
                    raise ShapeError(f"{kind}.{field} has {got} entries, expected {length}")
        elif kind == "Moon":
            phase = require(values, "phase", int, where=kind)
            if not 0 <= phase <= 99:
                raise ShapeError(f"{kind}.phase is {phase}, expected 0-99")
        elif kind == "NFL":
            require(values, "events", list, where=kind)
        elif kind == "AQI":
            require(values, "aqi_score", int, where=kind)


def teams(value: Any) -> tuple[str, ...]:
    """A favourite-team setting (a list, or comma-separated text in the config file)."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    return tuple(str(item).strip().upper() for item in items if str(item).strip())


PRODUCER = DemoProducer
