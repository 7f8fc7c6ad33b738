"""Producers follow the household settings in Valkey, live.

The API server keeps one settings document at ``keys.settings_key`` (JSON
``{"version", "updated", "values"}``) and publishes the new version on
``keys.settings_channel`` after each change. A producer maps the household
names it uses to its own setting names (``Producer.household``, e.g. NFL
``{"nfl_teams": "team"}``), checks each value, and feeds the ones that fit
into its live layer (``Producer.live``), where ``setting()`` finds them above
the environment and the config file and below the flags.

- The document is read with one GET at the start of every fetch; while Redis is
  away or the document is corrupt the last good values stay (said once per outage).
- A subscription to the settings channel wakes the schedule at once, so a change
  is fetched within about a second, not a period later.
- A value that does not fit is refused with one log line naming the setting; the
  previous value stays and the producer keeps running.
- What the producer uses for each household name, and from where, goes into the
  sources hash (``keys.settings_sources_key``) at start and after each change,
  for the settings page ("locked" when a flag fixes it).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from glanceboard.payloads.teams import UnknownTeam, mlb_team, nfl_team
from glanceboard.shown import shown_value
from glanceboard.zones import zone_named
from server.keys import settings_channel, settings_key, settings_sources_key
from server.layers import Origin
from server.redis_link import ChannelFollower, connect
from server.settings import RedisSettings

if TYPE_CHECKING:
    from server.producers.base import OptionSpec, Producer

log = logging.getLogger("glanceboard.producer.settings")

READ_TIMEOUT = 2.0  # a fetch never waits longer than this for the settings
UNITS = ("imperial", "metric")
CLOCKS = ("12h", "24h")
MAX_TEAMS = 8
MAX_PLACE = 64
REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


class Refused(ValueError):
    """A live value that does not fit: the message says why."""


# --- household values: checked and normalised, one function per household name ----------

def _number(value: Any, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Refused(f"{_said(value)[:60]} is not a number")
    if not -limit <= value <= limit:  # NaN too
        raise Refused(f"{_said(value)[:24]} is outside -{limit:g}..{limit:g}")
    return float(value)


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Refused(f"{_said(value)[:60]} is not a non-empty text")
    if len(value) > limit or not value.isprintable():
        raise Refused(f"is longer than {limit} characters or not printable")
    return value.strip()


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise Refused(f"{_said(value)[:60]} is not one of {', '.join(choices)}")
    return str(value)


def _zone(value: Any) -> str:
    name = _text(value, 64)
    if zone_named(name) is None:
        raise Refused(f"{name!r} is not a time zone this machine knows")
    return name


def _teams(normalise: Callable[[str], str]) -> Callable[[Any], tuple[str, ...]]:
    def check(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) > MAX_TEAMS:
            raise Refused(f"{_said(value)[:60]} is not a list of at most {MAX_TEAMS} teams")
        teams: list[str] = []
        for item in value:
            try:
                team = normalise(item)
            except UnknownTeam as exc:
                raise Refused(str(exc)) from None
            if team not in teams:
                teams.append(team)
        return tuple(teams)
    return check


def _said(value: Any) -> str:
    """A bad value as the log shows it: JSON, cut short; never raises."""
    try:
        return json.dumps(value, default=str)[:200]
    except (ValueError, RecursionError):
        return f"({type(value).__name__})"


def _url(value: Any, schemes: tuple[str, ...], paths: bool = False) -> str:
    text = _text(value, 2048)
    if text.split("://", 1)[0].lower() in schemes and "://" in text:
        return text
    if paths and PurePosixPath(text).is_absolute():
        return text
    allowed = "/".join(schemes) + " URL" + (" or an absolute file path" if paths else "")
    raise Refused(f"is not an {allowed}")


def _repo(value: Any) -> str:
    text = _text(value, 200)
    if not REPO.fullmatch(text):
        raise Refused(f"{text!r} is not owner/name")
    return text


HOUSEHOLD: dict[str, Callable[[Any], Any]] = {
    "place": lambda v: _text(v, MAX_PLACE),
    "latitude": lambda v: _number(v, 90),
    "longitude": lambda v: _number(v, 180),
    "timezone": _zone,
    "units": lambda v: _choice(v, UNITS),
    "clock": lambda v: _choice(v, CLOCKS),
    "mlb_teams": _teams(mlb_team),
    "nfl_teams": _teams(nfl_team),
    "calendar_source": lambda v: _url(v, ("http", "https", "webcal")),
    "events_source": lambda v: _url(v, ("http", "https"), paths=True),
    "github_repo": _repo,
}


def _as_is(value: Any) -> Any:  # a name a plugin producer follows that is not listed above
    return value


SECRET = frozenset({"calendar_source"})  # private iCal URLs carry keys


# --- household value <-> a producer's own setting ------------------------------------------

def own_value(household: str, own: str, value: Any) -> Any:
    """The checked household ``value`` in the form the producer's own setting ``own`` takes;
    None means "not set here" (an empty team list)."""
    if own == "clock24":
        return value == "24h"
    if own == "twelve_hour":
        return value == "12h"
    if household.endswith("_teams") and own == "team":  # one team: the first favourite
        return value[0] if value else None
    if isinstance(value, tuple):
        return list(value) if value else None
    return value


def shown(household: str, own: str, value: Any) -> str:
    """What the producer uses, in the household form the settings page shows."""
    if value is not None and own in ("clock24", "twelve_hour"):
        on = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes",
                                                                          "on")
        return "24h" if on == (own == "clock24") else "12h"
    if value is not None and household == "mlb_teams":
        with contextlib.suppress(UnknownTeam):
            value = [mlb_team(t) for t in value] if isinstance(value, list) else mlb_team(value)
    return shown_value(value, household in SECRET)


@functools.cache
def option_specs(cls: type[Producer]) -> dict[str, OptionSpec]:
    """A producer's own options by setting name, as its parser declares them."""
    from server.producers.base import build_parser, own_options

    return {action.dest: spec for action, spec in own_options(build_parser(cls, "x"))}


class SettingsFollower:
    """Keeps one producer's live layer in step with the household settings document."""

    def __init__(self, producer: Producer, redis: RedisSettings, part: str) -> None:
        self.producer = producer
        self.redis = redis
        self.part = part
        self.key = settings_key(redis)
        self.channel = settings_channel(redis)
        self.sources_key = settings_sources_key(redis)
        self.version: int | None = None  # of the last document read; None before the first
        self.good: dict[str, Any] = {}  # household name -> last good checked value
        self._refused: dict[str, str] = {}  # household name -> the raw value logged as bad
        self._outage: str | None = None
        self._sources_due = True
        self._client: Any = None

    @property
    def household(self) -> Mapping[str, str]:
        return type(self.producer).household

    # --- the document ---------------------------------------------------------------------

    def apply(self, raw: bytes | str | None) -> bool:
        """Take in the stored document; True when the producer's own live values changed."""
        if not self.household:
            return False
        try:
            version, values = parse_document(raw)
        except ValueError as exc:
            self._unreadable(f"corrupt settings document at {self.key}: {exc}")
            return False
        self._readable()
        if version != self.version:
            self._sources_due = True
        self.version = version
        for name in self.household:
            if name not in values or values[name] is None:
                self.good.pop(name, None)  # unset: the bootstrap configuration counts again
                self._refused.pop(name, None)
                continue
            try:
                self.good[name] = HOUSEHOLD.get(name, _as_is)(values[name])
                self._refused.pop(name, None)
            except Exception as exc:  # noqa: BLE001 - Refused, or a check that broke: refused
                said = _said(values[name])
                if self._refused.get(name) != said:  # once per bad value, not every fetch
                    log.warning("%s: live setting '%s' (v%d) refused: %s; keeping %s",
                                self.producer.name, name, version, exc,
                                "the previous value" if name in self.good
                                else "the configured value")
                    self._refused[name] = said
        mapped = {}
        for name, value in self.good.items():
            converted = own_value(name, self.household[name], value)
            if converted is not None:
                mapped[self.household[name]] = converted
        live = self.producer.live
        before = live.layer().values
        live.update(mapped, version)
        if mapped == before:
            return False
        log.info("%s: following live settings v%d: %s", self.producer.name, version,
                 ", ".join(f"{n}={shown(n, self.household[n], own_value(n, self.household[n], v))}"
                           for n, v in self.good.items()) or "none set")
        return True

    def _unreadable(self, why: str) -> None:
        if self._outage is None:
            log.warning("%s: cannot read the live settings (%s); keeping the last good ones",
                        self.producer.name, why)
        self._outage = why

    def _readable(self) -> None:
        if self._outage is not None:
            log.info("%s: live settings readable again", self.producer.name)
        self._outage = None

    # --- the sources hash -----------------------------------------------------------------

    def sources(self, at_ms: int | None = None) -> dict[str, str]:
        """``"<part>/<name>"`` -> JSON of what the producer uses for ``name`` and from where."""
        at = int(time.time() * 1000) if at_ms is None else at_ms
        specs = option_specs(type(self.producer))
        out = {}
        for name, own in self.household.items():
            value, origin = self.used(own, specs.get(own))
            where = f"live v{self.version}" if origin.kind == "live" else str(origin)
            out[f"{self.part}/{name}"] = json.dumps({
                "part": self.part, "setting": name, "value": shown(name, own, value),
                "origin": where, "locked": origin.kind == "flag", "at": at})
        return out

    def used(self, own: str, spec: OptionSpec | None) -> tuple[Any, Origin]:
        import os

        env = spec.env if spec else None
        value, origin = self.producer.setting_origin(own, spec.default if spec else None,
                                                     env=env)
        if origin.kind == "default" and env and os.environ.get(f"{env}_FILE"):
            return "(in a file)", Origin("env", f"{env}_FILE")  # a mounted secret
        return value, origin

    # --- Redis ----------------------------------------------------------------------------

    async def refresh(self, write_sources: bool = True) -> bool:
        """One GET of the document (and the sources hash when due); True when the
        producer's live values changed. Never raises: Redis away keeps the last values."""
        if not self.household:
            return False
        try:
            if self._client is None:
                self._client = connect(self.redis)
            raw = await asyncio.wait_for(self._client.get(self.key), READ_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - any Redis trouble: keep the last values
            self._unreadable(f"{type(exc).__name__}: {exc}")
            await self.close()
            return False
        try:
            changed = self.apply(raw)
        except Exception as exc:  # noqa: BLE001 - a bug here must not stop the producer
            self._unreadable(f"settings document not applied: {type(exc).__name__}: {exc}")
            return False
        if not write_sources:
            await self.close()
        elif self._sources_due or changed:
            try:
                await asyncio.wait_for(
                    self._client.hset(self.sources_key, mapping=self.sources()), READ_TIMEOUT)
                self._sources_due = False
            except Exception as exc:  # noqa: BLE001 - retried at the next fetch
                self._sources_due = True
                log.debug("%s: sources not written (%s)", self.producer.name, exc)
        return changed

    def subscription(self, wake: Callable[[], None]) -> ChannelFollower:
        """A follower of the settings channel that calls ``wake`` for every new version
        (and after each (re)subscribe, since a change may have come while away)."""
        async def on_message(channel: str, data: bytes) -> None:
            wake()

        async def on_subscribed(client: Any) -> None:
            wake()

        return ChannelFollower(self.redis, [self.channel], on_message, on_subscribed,
                               name=f"{self.producer.name} settings")

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.aclose()


def parse_document(raw: bytes | str | None) -> tuple[int, dict[str, Any]]:
    """(version, values) of the stored document; (0, {}) when there is none yet;
    ValueError saying what is wrong with a corrupt one."""
    if raw is None:
        return 0, {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # bad UTF-8, not JSON, nested too deep
        raise ValueError(f"not JSON ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not isinstance(data, dict):
        raise ValueError(f"not an object but {type(data).__name__}")
    version, values = data.get("version"), data.get("values", {})
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError(f"'version' is {version!r:.40}, not a whole number")
    if not isinstance(values, dict):
        raise ValueError(f"'values' is {type(values).__name__}, not an object")
    return version, values
