"""Every producer, registered in one place: command name -> "module:Class".

Add a line here for a new producer; ``python -m server.producers --list``
and ``python -m server.producers NAME`` read this table only.
"""

from __future__ import annotations

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
