"""Which real producers a machine can run, for the demo command's ``--sources`` flag.

``--sources real`` runs every real producer whose settings are there (and the
demo producer for the other types); ``auto`` does that only when the
internet answers, else it stays on the offline demo data.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping

# name -> (type it publishes, env vars of which one must be set; none = runs as is)
REAL_PRODUCERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "weather": ("Weather", ()),
    "aqi": ("AQI", ()),
    "moon": ("Moon", ()),
    "mlb": ("MLB", ()),
    "nfl": ("NFL", ()),
    "host": ("Host", ()),
    "calendar": ("Calendar", ("CALENDAR_SOURCE", "CALENDAR_SOURCE_FILE")),
    "events": ("Events", ("EVENTS_SOURCE", "EVENTS_SOURCE_FILE")),
    "github": ("GitHub", ("GITHUB_REPO",)),
}

# A host every networked producer depends on; reachable means "the network is there".
PROBE = ("api.open-meteo.com", 443)


def network_available(probe: tuple[str, int] = PROBE, timeout: float = 3.0) -> bool:
    """Whether a TCP connection to ``probe`` opens within ``timeout`` seconds."""
    try:
        with socket.create_connection(probe, timeout=timeout):
            return True
    except OSError:
        return False


def runnable(env: Mapping[str, str]) -> dict[str, str]:
    """The real producers that have what they need in ``env``: name -> type."""
    return {name: kind for name, (kind, needs) in REAL_PRODUCERS.items()
            if not needs or any(env.get(var) for var in needs)}
