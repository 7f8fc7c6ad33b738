"""The countdown producer: publishes the configured events as a ``Countdown`` message.

    python -m server.producers countdown --event "Launch=2026-12-24T18:00:00-05:00"

Events come from ``--event NAME=TIME[/SINCE]`` (repeatable), else the environment
variable ``COUNTDOWN_EVENTS`` (``NAME=TIME[/SINCE]`` separated by ``;``), else
``events:`` in the producer's YAML config (a list of ``{name, at, from}``). No
network: it republishes the list every period, so displays keep it fresh.
"""

from __future__ import annotations

import argparse
from typing import Any

from glanceboard.timefmt import TimeFormatError, parse_time
from server.producers.base import ConfigError, Producer, require


def parse_event(text: str) -> dict[str, str]:
    """``NAME=TIME[/SINCE]`` -> ``{"name", "at"[, "from"]}``; ConfigError naming it."""
    name, sep, times = text.partition("=")
    at, _, since = times.partition("/")
    event = {"name": name.strip(), "at": at.strip()}
    if since.strip():
        event["from"] = since.strip()
    if not sep or not event["name"]:
        raise ConfigError(f"countdown event {text!r}: expected NAME=TIME[/SINCE]")
    for key in ("at", "from"):
        if key in event:
            try:
                parse_time(event[key])
            except TimeFormatError as exc:
                raise ConfigError(f"countdown event {text!r}: {key}: {exc}") from None
    return event


class Countdown(Producer):
    name = "Countdown"
    type = "Countdown"
    default_period = 3600
    description = "events to count down to, from the command line or config (no network)"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--event", action="append", metavar="NAME=TIME[/SINCE]",
                            help="an event (repeatable; env COUNTDOWN_EVENTS, "
                            "config 'events')")

    def fetch(self) -> dict[str, Any]:
        raw = self.setting("event", env="COUNTDOWN_EVENTS", required=True)
        if isinstance(raw, str):
            raw = [part for part in raw.split(";") if part.strip()]
        events = []
        for item in raw:
            if isinstance(item, dict):
                item = f"{item.get('name', '')}={item.get('at', '')}/{item.get('from', '')}"
            events.append(parse_event(str(item)))
        return {"events": events}

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "events", list, where=kind)


PRODUCER = Countdown
