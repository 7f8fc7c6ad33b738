"""Every producer, registered in one place: command name -> "module:Class".

Add a line here for a new producer; ``python -m server.producers --list``
and ``python -m server.producers NAME`` read this table, and the producers of
installed plugins: a package adds one with an entry point in the
``glanceboard.producers`` group, named by its command, pointing at its class
(``countdown = "glanceboard_countdown.producer:Countdown"``).
"""

from __future__ import annotations

import functools
import re

PRODUCERS: dict[str, str] = {
    "demo": "server.producers.demo:DemoProducer",
    "weather": "server.producers.weather:Weather",
    "aqi": "server.producers.aqi:AirQuality",
    "moon": "server.producers.moon:Moon",
    "host": "server.producers.host:HostStatus",
    "calendar": "server.producers.calendar:Calendar",
    "events": "server.producers.events:Events",
    "github": "server.producers.github:GitHub",
    "mlb": "server.producers.mlb:MLB",
    "nfl": "server.producers.nfl:NFL",
    "track": "server.producers.track:Track",
}

GROUP = "glanceboard.producers"
COMMAND = re.compile(r"[a-z][a-z0-9_-]{0,39}")
TARGET = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*")


@functools.cache
def plugin_producers() -> dict[str, tuple[str, str]]:
    """Command -> ("module:Class", distribution) of the installed plugins' producers.
    Read from the metadata once; nothing is imported until one of them runs."""
    from glanceboard.plugins import distribution_of, entry_points, first_claims, log, where

    found: dict[str, tuple[str, str]] = {}
    for name, entry in first_claims(entry_points(GROUP), PRODUCERS, "producer").items():
        if not COMMAND.fullmatch(name) or not TARGET.fullmatch(entry.value):
            log.error("plugin producer left out: %s: name it by a lowercase command and "
                      "point it at 'module:Class'", where(entry))
            continue
        found[name] = (entry.value, distribution_of(entry))
    return found


def all_producers() -> dict[str, str]:
    """Command -> "module:Class": the built-in producers, then the plugins'."""
    return {**PRODUCERS, **{name: target for name, (target, _) in plugin_producers().items()}}
