"""The page settings in force: the client config's, with the household's ``Settings``
envelope over them.

The API server publishes the household settings as one ``Settings`` envelope
(``glanceboard.payloads.settings``), in the state and over the stream. For every
field the envelope sets, it wins over the client's file and environment; a field it
does not set, or sets to something unreadable, keeps the client's value; a field a
flag fixed (``PageSettings.locked``) keeps the flag's (docs/settings.md: defaults <
file < environment < live < flags).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from glanceboard.payloads import names
from glanceboard.payloads.settings import Settings
from glanceboard.zones import zone_named
from matrix_client.pages.base import PageSettings


def live_fields(live: Settings) -> dict[str, Any]:
    """The PageSettings fields ``live`` sets (its unset and unreadable ones left out)."""
    fields: dict[str, Any] = {
        "favorite_mlb": live.mlb_teams,
        "favorite_nfl": live.nfl_teams,
        "clock_24h": None if live.clock is None else live.clock == "24h",
        "units": live.units,
        "wifi_qr": live.wifi_qr,
        "timezone": live.timezone,
    }
    return {name: value for name, value in fields.items() if value is not None}


def merge_settings(base: PageSettings, envelope: Mapping[str, Any] | None) -> PageSettings:
    """``base`` (the client config's) with what the ``Settings`` ``envelope`` sets over
    it, except the fields a flag locked. A missing or unreadable envelope changes
    nothing; nothing here raises."""
    if not isinstance(envelope, Mapping):
        return base
    live = Settings.parse(envelope.get("values"))
    changes = {name: value for name, value in live_fields(live).items()
               if name not in base.locked and getattr(base, name) != value}
    return dataclasses.replace(base, **changes) if changes else base


class FollowedSettings:
    """The merged settings for the state the loop renders, merged once per ``Settings``
    envelope (the store replaces an envelope when it changes, so the same object means
    the same settings). :attr:`generation` grows each time the merged settings change:
    a frame rendered under an older generation is out of date. :attr:`version` is the
    version of the household settings in force (None before any), for the display's
    report."""

    def __init__(self, base: PageSettings) -> None:
        self.base = base
        self.current = base
        self.generation = 0
        self.version: int | None = None
        self._source: object = None

    def follow(self, state: Mapping[str, Any]) -> PageSettings:
        envelope = state.get(names.SETTINGS)
        if envelope is self._source:
            return self.current
        self._source = envelope
        self.version = (Settings.parse(envelope.get("values")).version
                        if isinstance(envelope, Mapping) else None)
        merged = merge_settings(self.base, envelope)
        if merged != self.current:
            self.current = merged
            self.generation += 1
        return self.current


def in_zone(now: datetime, zone: str) -> datetime:
    """``now`` in the IANA ``zone``; unchanged for "" or a zone this machine lacks (the
    envelope's zone was checked where it was read, the config's at start)."""
    found = zone_named(zone)
    return now.astimezone(found) if found is not None else now
