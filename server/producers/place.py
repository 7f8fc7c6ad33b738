"""Where the dashboard is: latitude, longitude and time zone, shared by Weather, AQI and Moon.

One ConfigMap sets ``LATITUDE``, ``LONGITUDE`` and ``TIMEZONE`` for all three.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo

from glanceboard.zones import zone_named
from server.producers.base import ConfigError, Producer, option

# New York City: a real place, so a producer started without settings shows something.
DEFAULT_LATITUDE = 40.7128
DEFAULT_LONGITUDE = -74.0060
DEFAULT_TIMEZONE = "America/New_York"


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def add_place_arguments(parser: argparse.ArgumentParser, env_prefix: str = "") -> None:
    """--latitude, --longitude, --timezone; ``env_prefix`` as for :func:`place_of`."""
    option(parser, "--latitude", type=float, env=f"{env_prefix}LATITUDE",
           default=DEFAULT_LATITUDE, help="degrees north")
    option(parser, "--longitude", type=float, env=f"{env_prefix}LONGITUDE",
           default=DEFAULT_LONGITUDE, help="degrees east")
    option(parser, "--timezone", env=f"{env_prefix}TIMEZONE", default=DEFAULT_TIMEZONE,
           help="IANA time zone for local times")


def place_of(producer: Producer, env_prefix: str = "") -> Place:
    """The configured place; a bad value is a ConfigError naming the setting.

    ``env_prefix`` names other variables (the demo's ``DEMO_LATITUDE``...), so a
    demo beside real producers can show another place.
    """
    values: dict[str, float] = {}
    for name, default, limit in (("latitude", DEFAULT_LATITUDE, 90),
                                 ("longitude", DEFAULT_LONGITUDE, 180)):
        env = env_prefix + name.upper()
        raw = producer.setting(name, default, env=env)
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{producer.name}: {name} {raw!r} is not a number "
                              f"(--{name}, env {env})") from None
        if not -limit <= value <= limit:
            raise ConfigError(f"{producer.name}: {name} {value:g} is outside -{limit}..{limit} "
                              f"(--{name}, env {env})")
        values[name] = value
    env = env_prefix + "TIMEZONE"
    tz = str(producer.setting("timezone", DEFAULT_TIMEZONE, env=env))
    _zone_setting(producer, tz, env)  # fail here, naming the setting, not later in the fetch
    return Place(values["latitude"], values["longitude"], tz)


def add_zone_argument(parser: argparse.ArgumentParser) -> None:
    option(parser, "--timezone", env="TIMEZONE",
           help="IANA time zone that decides what 'today' is and how times are written "
           "(default the machine's)")


def local_zone(producer: Producer) -> tzinfo:
    """TIMEZONE if set, else the machine's local zone (for producers without a place)."""
    name = producer.setting("timezone", None, env="TIMEZONE")
    if not name:
        zone = producer.now().tzinfo
        assert zone is not None  # Producer.now() is aware
        return zone
    return _zone_setting(producer, str(name), "TIMEZONE")


def _zone_setting(producer: Producer, name: str, env: str) -> ZoneInfo:
    zone = zone_named(name)
    if zone is None:
        raise ConfigError(f"{producer.name}: time zone {name!r} is unknown (--timezone, env "
                          f"{env}; an IANA name like America/New_York)")
    return zone
