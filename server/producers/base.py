"""The producer base: everything a producer shares, so that one producer is one small class.

A producer fetches data every *period* seconds, wraps it in an envelope
(PROTOCOL section 1) and PUBLISHes it on the data channel. This module does
the wrapping, the schedule, the Redis link, the health port, retries and the
shutdown; a subclass only says what to fetch.

How to write a producer
=======================

1. Create ``server/producers/<name>.py`` with one subclass of :class:`Producer`::

       from server.producers.base import Producer, require

       class AirQuality(Producer):
           name = "AQI"                    # announces itself as "AQI-Server"
           type = "AQI"                    # the envelope type it publishes
           default_period = 900            # seconds, when no flag/env/config says
           base_url = "https://api.example.org/"   # --base-url overrides it (tests!)
           description = "air quality index from example.org"

           @classmethod
           def add_arguments(cls, parser):
               option(parser, "--zip", env="AQI_ZIP", help="ZIP code")

           def fetch(self):
               zip_code = self.setting("zip", env="AQI_ZIP", required=True)
               raw = self.get_json("observation", params={"zip": zip_code})
               return {"date_time": raw["time"], "aqi_score": raw["aqi"], ...}

           def check_shape(self, kind, values):
               require(values, "aqi_score", (int, float), where=kind)

       PRODUCER = AirQuality

2. Register it in ``server/producers/registry.py``:
   ``"aqi": "server.producers.aqi:AirQuality"``.
   Then ``python -m server.producers aqi --help`` works.

What the hooks mean:

- ``fetch()`` runs in a worker thread (blocking I/O is fine) and returns the
  ``values`` of one message of ``type``. A producer that publishes several
  types overrides ``fetch_messages()`` instead and returns ``{type: values}``.
- ``check_shape(kind, values)`` raises :class:`ShapeError` (the helper
  :func:`require` does it for you) naming the bad field; the message is then
  not published, the last good one stays, and the fetch is retried.
- ``next_period(messages)`` may return a shorter or longer period for the
  next round (e.g. every 30 s while a game is live), or ``None`` for the
  configured one (``configured_period()``). ``valid`` is set to now + that period.
- ``get_json(url_or_path, params=..., headers=...)`` GETs with timeouts and
  retries (429/5xx and connection errors, with backoff). A relative path is
  joined to ``base_url``; ``--base-url`` lets tests point a producer at a
  local server that replays recorded responses.
- ``setting(name, default, env=...)`` reads an option the way every setting
  is read (docs/settings.md): flag, then live settings (Valkey), then the
  environment variable, then the YAML config file, then the default. Declare
  the option with :func:`option` (flag, env, default, secret) so that
  ``--show-settings`` and docs/settings.md name it; a plain
  ``parser.add_argument`` works too.
- ``now()`` is the clock; tests may override it.
- ``household`` maps the household settings the producer follows (the
  dashboard's settings page: ``units``, ``timezone``, ``mlb_teams``...) to its
  own setting names, e.g. ``{"units": "units", "nfl_teams": "team"}``; their
  checked values reach ``setting()`` through the live layer
  (:mod:`server.producers.live_follow`). ``settings_changed()`` is called
  between fetches when they changed, for a producer that built something
  from its settings (the demo rebuilds its world).

What the base does around those hooks:

- The shared settings are one typed model, :class:`ProducerSettings`: the
  period comes from ``--period``, else live settings, else env ``PERIOD``,
  else ``period:`` in the YAML file given by ``--config`` (env
  ``PRODUCER_CONFIG``), else ``default_period``. ``--show-settings`` prints
  every setting and its source.
- Each message gets ``updated`` = now (``MM/DD/YYYY h:mm AM -0500``, the
  original clients' form), ``valid`` = now + period (the same with seconds),
  ``ts`` = now in ms (the precise time), and is validated with the shared
  envelope rules before it is published.
- Each message is written into the state hash and published in one atomic
  server-side step (:func:`server.kv_store.store_and_publish`): the hash
  never misses it, even while the KV updater is away (reconnecting).
- Before every fetch it reads the household settings (one GET) and it listens
  on the settings channel: a change that concerns the producer starts the
  next fetch at once. Redis away or a corrupt document keeps the last good
  values; a value that does not fit is refused with one log line. What the
  producer uses for each, and from where, goes into the sources hash.
- At start it publishes ``<name>-Server`` once, values
  ``{"message": "<ClassName> started."}`` (the original producer's class name
  for the original types, else ``<name>``).
- If Redis is down it keeps the newest message of each type and publishes it
  when Redis is back; it never exits because of Redis.
- If a fetch fails it keeps the last good message and retries with growing,
  jittered delays (never longer than the period).
- ``--health-port`` (env ``HEALTH_PORT``, 0 = off) serves ``GET /live``.
- SIGTERM or Ctrl-C: stop fetching, try briefly to flush what is pending,
  exit 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, ClassVar, NamedTuple, TypeVar
from urllib.parse import urljoin

import requests
import yaml
from pydantic import BeforeValidator
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from glanceboard.backoff import Backoff
from glanceboard.envelope import Envelope, validate_object
from glanceboard.payloads.server import Announcement
from glanceboard.payloads.times import stamp_minutes, stamp_seconds
from glanceboard.shown import shown_value
from server.health import HealthServer, text
from server.kv_store import store_and_publish
from server.layers import (
    DEFAULT,
    LiveSettings,
    Loaded,
    Origin,
    Row,
    SettingsError,
    add_flags,
    add_show_flag,
    file_layer,
    load,
    setting,
)
from server.producers.live_follow import SettingsFollower
from server.redis_link import LINK_ERRORS, connect, redact
from server.settings import (
    LogLevel,
    Port,
    PositiveFloat,
    RedisFields,
    RedisSettings,
    add_redis_arguments,
    show_part,
)

log = logging.getLogger("glanceboard.producer")

T = TypeVar("T")

PUBLISH_TIMEOUT = 10.0  # a Redis that accepts the connection but never answers
FLUSH_ON_EXIT_TIMEOUT = 2.0


class Message(NamedTuple):
    """One message ready to send: the validated envelope and its JSON."""

    envelope: Envelope
    payload: str


class ShapeError(ValueError):
    """Fetched data that does not have the shape PROTOCOL section 6 (or docs) promise."""


class ConfigError(ValueError):
    """A missing or malformed setting; the message names it and where it is set."""


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def require(obj: Any, path: str, kinds: type | tuple[type, ...] | None = None,
            where: str = "values") -> Any:
    """The value at ``path`` (``"current.temp"``, ``"forecast[0].hi"``) or a ShapeError.

    ``kinds`` checks the type of the value found; bools are not accepted
    where numbers are asked for.
    """
    current = obj
    walked = where
    for key, index in _PATH_PART.findall(path):
        if key:
            walked += f".{key}"
            if not isinstance(current, dict) or key not in current:
                raise ShapeError(f"{walked} is missing")
            current = current[key]
        else:
            walked += f"[{index}]"
            if not isinstance(current, list) or int(index) >= len(current):
                raise ShapeError(f"{walked} is missing (not a list, or too short)")
            current = current[int(index)]
    if kinds is not None:
        numeric = kinds in (int, float) or (isinstance(kinds, tuple)
                                           and set(kinds) & {int, float})
        if not isinstance(current, kinds) or (numeric and isinstance(current, bool)):
            names = ", ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple)
                                                   else (kinds,)))
            raise ShapeError(f"{walked} is {type(current).__name__} {current!r:.40}, "
                             f"expected {names}")
    return current


def load_config(path: Path | None) -> dict[str, Any]:
    """The YAML config file as a mapping ({} without a file)."""
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"config file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path}: expected a mapping at the top, "
                          f"got {type(data).__name__}")
    return data


def http_session(retries: int = 3, backoff_factor: float = 0.5) -> requests.Session:
    """A requests session that retries connection errors, 429 and 5xx with backoff."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff_factor,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the last 5xx reaches raise_for_status with its body
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = "glanceboard-producer"
    return session


class Producer:
    """Subclass this; see the module docstring."""

    name: ClassVar[str] = ""
    type: ClassVar[str] = ""
    default_period: ClassVar[float] = 300.0
    base_url: ClassVar[str] = ""
    description: ClassVar[str] = ""
    # Household setting name (team.md, docs/settings.md) -> this producer's own setting it
    # feeds live, e.g. {"units": "units"}; see server/producers/live_follow.py.
    household: ClassVar[dict[str, str]] = {}

    def __init__(self, options: argparse.Namespace, config: dict[str, Any] | None = None
                 ) -> None:
        self.options = options
        self.config = config or {}
        # The live layer: the household settings kept in Valkey, mapped to this producer's
        # own names (live_follow.py keeps it current); read at every setting() call.
        self.live: LiveSettings = LiveSettings(where="valkey")
        # The registry name, for the settings sources hash ("weather/units").
        self.part: str = type(self).name.lower()
        self.config_path: str = str(getattr(options, "config", None) or "the config file")
        # The shared settings, for the HTTP helpers; run_producer() checked them already.
        self.common = load(ProducerSettings, args=options, environ=os.environ,
                           file=file_layer(self.config_path, self.config)).settings
        self.base = self.common.base_url or type(self).base_url
        self.http_timeout = self.common.http_timeout
        self.http = http_session(retries=self.common.http_retries)

    # --- hooks for subclasses -------------------------------------------------

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add this producer's own flags (each with a help text)."""

    def fetch(self) -> Any:
        """The ``values`` of one ``type`` message. Runs in a worker thread."""
        raise NotImplementedError(f"{type(self).__name__} must define fetch()")

    def fetch_messages(self) -> dict[str, Any]:
        """``{type: values}`` for this round; override to publish several types."""
        return {self.type: self.fetch()}

    def check_shape(self, kind: str, values: Any) -> None:
        """Raise ShapeError naming the field if ``values`` is not what clients expect."""

    def next_period(self, messages: dict[str, Any]) -> float | None:
        """The period until the next fetch, or None for the configured one."""
        return None

    def settings_changed(self) -> None:
        """The live settings changed (``self.live``); rebuild what was made from settings.
        Runs between fetches, never during one."""

    def now(self) -> datetime:
        """The clock, aware and in local time (tests override it)."""
        return datetime.now().astimezone()

    # --- helpers for subclasses ----------------------------------------------

    def configured_period(self) -> float:
        """The period the runner was given (flag, env, config, default), for next_period()."""
        return resolve_period(type(self), getattr(self.options, "period", None), self.config,
                              self.live)

    def setting(self, name: str, default: Any = None, *, env: str | None = None,
                required: bool = False) -> Any:
        """Flag ``--name``, else live setting ``name``, else env var ``env``, else config key
        ``name``, else default."""
        value = self.setting_origin(name, default, env=env)[0]
        if value is None and required:
            where = f"--{name.replace('_', '-')}"
            where += f", env {env}" if env else ""
            raise ConfigError(f"{self.name}: setting '{name}' is required ({where}, "
                              f"or '{name}:' in the config file)")
        return value

    def setting_origin(self, name: str, default: Any = None, *, env: str | None = None
                       ) -> tuple[Any, Origin]:
        """The value of :meth:`setting` and the layer it came from."""
        flag = getattr(self.options, name.replace("-", "_"), None)
        if flag is not None:
            return flag, Origin("flag", "--" + name.replace("_", "-"))
        if self.live is not None:
            layer = self.live.layer()
            if layer.values.get(name) is not None:
                return layer.values[name], layer.origin(name)
        if env and os.environ.get(env):
            return os.environ[env], Origin("env", env)
        if self.config.get(name) is not None:
            return self.config[name], Origin("file", self.config_path)
        return default, DEFAULT

    def url(self, url_or_path: str) -> str:
        if "://" in url_or_path or not self.base:
            return url_or_path
        return urljoin(self.base if self.base.endswith("/") else self.base + "/",
                       url_or_path.lstrip("/"))

    def get(self, url_or_path: str, *, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> requests.Response:
        """GET with the timeout and retries; an error status raises requests.HTTPError."""
        response = self.http.get(self.url(url_or_path), params=params, headers=headers,
                                 timeout=self.http_timeout)
        response.raise_for_status()
        return response

    def get_json(self, url_or_path: str, *, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> Any:
        """GET and decode JSON; raises requests.HTTPError / ValueError with the URL."""
        response = self.get(url_or_path, params=params, headers=headers)
        try:
            return response.json()
        except ValueError:
            raise ValueError(f"{response.url}: answer is not JSON "
                             f"({response.headers.get('Content-Type', '?')})") from None

    def get_text(self, url_or_path: str, *, params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> str:
        return self.get(url_or_path, params=params, headers=headers).text

    # --- envelope ------------------------------------------------------------

    def envelope(self, kind: str, values: Any, period: float) -> str:
        """The JSON of one message, validated with the shared rules."""
        return self.message(kind, values, period).payload

    def message(self, kind: str, values: Any, period: float) -> Message:
        """One message of ``kind``, validated with the shared rules."""
        moment = self.now()
        data = {
            "type": kind,
            "values": values,
            # The original clients' forms (docs/PROTOCOL.md section 1): minutes, seconds.
            "updated": stamp_minutes(moment),
            "valid": stamp_seconds(moment + timedelta(seconds=period)),
            "ts": int(moment.timestamp() * 1000),
        }
        # Our own output obeys the protocol (strict JSON included), or it is a bug.
        envelope = validate_object(data)
        return Message(envelope, envelope.to_json())

    def announcement(self, period: float) -> Message:
        kind = f"{self.name}-Server"
        return self.message(kind, Announcement.of(self.name).to_values(), period)


def _run_in_daemon_thread(fn: Callable[[], T]) -> asyncio.Future[T]:
    """Run blocking ``fn`` in a daemon thread, so a hung fetch never blocks exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        try:
            result, error = fn(), None
        except BaseException as exc:  # handed to the awaiting coroutine
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=work, name="producer-fetch", daemon=True).start()
    return future


def producer_follows(producer: Producer) -> bool:
    """Whether ``producer`` follows any household setting (else it never reads them)."""
    return bool(type(producer).household)


class ProducerRunner:
    """Runs one producer: schedule, envelope, Redis, health port, shutdown."""

    def __init__(self, producer: Producer, settings: RedisSettings, period: float,
                 health_port: int = 0, once: bool = False, health_host: str = "0.0.0.0"
                 ) -> None:
        self.producer = producer
        self.settings = settings
        self.period = period
        self.health_port = health_port
        self.health_host = health_host
        self.once = once
        # Newest unpublished message per type, in the order they were made.
        self.pending: dict[str, Message] = {}
        self.published = 0
        self.fetch_failures = 0
        self.redis_up = False
        self.last_error: str | None = None
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._fetch_backoff = Backoff(base=min(5.0, period), cap=max(period, 1.0))
        self._redis_backoff = Backoff(base=0.2, cap=10.0)
        self._client: Any = None
        self._flushed = asyncio.Event()
        # The household settings: read before every fetch, a change wakes the schedule.
        self.follower = SettingsFollower(producer, settings, producer.part)
        self._settings_wake = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _queue(self, message: Message) -> None:
        kind = message.envelope.type
        self.pending.pop(kind, None)  # re-insert: the newest goes last
        self.pending[kind] = message
        self._wake.set()

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, self.stop)
        health = self._start_health()
        self._queue(self.producer.announcement(self.period))
        publisher = asyncio.create_task(self._publish_loop(), name="publisher")
        following = None
        if producer_follows(self.producer) and not self.once:
            following = asyncio.create_task(
                self.follower.subscription(self._settings_wake.set).run(), name="settings")
        try:
            await self._fetch_loop()
            if self.once:
                await self._wait_flushed()
        finally:
            self.stop()  # also ends a publisher whose cancel was swallowed (see _publish_loop)
            publisher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await publisher
            if following is not None:
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await following
            await self.follower.close()
            await self._flush_on_exit()
            if self._client is not None:
                with contextlib.suppress(Exception):
                    await self._client.aclose()
            if health is not None:
                health.stop()
        return 0

    def _start_health(self) -> HealthServer | None:
        if not self.health_port:
            return None

        def live() -> tuple[int, str, bytes]:
            body = {
                "status": "ok",
                "producer": self.producer.name,
                "redis": "up" if self.redis_up else "down",
                "pending": len(self.pending),
                "published": self.published,
                "fetch_failures": self.fetch_failures,
                "last_error": self.last_error,
            }
            return text(json.dumps(body), ctype="application/json")

        server = HealthServer({"/live": live}, self.health_port, self.health_host)
        server.start()
        return server

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=max(0.0, seconds))

    async def _follow_settings(self) -> bool:
        """Read the household settings; when they changed, let the producer rebuild.
        True when they changed. Nothing here may stop the producer."""
        if not await self.follower.refresh():
            return False
        try:
            self.producer.settings_changed()
        except Exception as exc:  # noqa: BLE001 - logged; the fetch reports what is left
            log.warning("%s: applying the live settings failed (%s: %s)", self.producer.name,
                        type(exc).__name__, exc)
        return True

    async def _wait_next_round(self, seconds: float) -> bool:
        """Sleep ``seconds``, or less: a new settings version that changes what this
        producer uses starts the next round at once (then True: the settings are read)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, seconds)
        while not self._stop.is_set():
            left = deadline - loop.time()
            if left <= 0:
                return False
            stop = asyncio.ensure_future(self._stop.wait())
            wake = asyncio.ensure_future(self._settings_wake.wait())
            await asyncio.wait({stop, wake}, timeout=left, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            wake.cancel()
            if self._settings_wake.is_set() and not self._stop.is_set():
                self._settings_wake.clear()
                if await self._follow_settings():
                    return True
        return False

    async def _fetch_loop(self) -> None:
        producer = self.producer
        just_read = False
        while not self._stop.is_set():
            if not just_read:
                await self._follow_settings()  # one GET: the household settings of this round
            try:
                fetching = _run_in_daemon_thread(producer.fetch_messages)
                stopping = asyncio.ensure_future(self._stop.wait())
                await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not fetching.done():  # SIGTERM during a slow fetch: leave it behind
                    fetching.cancel()
                    return
                messages = fetching.result()
                period = producer.next_period(messages) or self.period
                built = []
                for kind, values in messages.items():
                    producer.check_shape(kind, values)
                    built.append(producer.message(kind, values, period))
            except ConfigError:
                raise  # a missing setting does not fix itself: exit with the message
            except Exception as exc:
                self.fetch_failures += 1
                self.last_error = f"{type(exc).__name__}: {exc}"
                if self.once:
                    raise
                delay = min(self._fetch_backoff.next_delay(), self.period)
                log.warning("%s: fetch failed (%s); keeping the last good message, "
                            "retrying in %.1fs", producer.name, self.last_error, delay)
                # A settings change may be the fix (a repository's name): it retries at once.
                just_read = await self._wait_next_round(delay)
                continue
            for message in built:
                self._queue(message)
            self._fetch_backoff.reset()
            self.last_error = None
            if self.once:
                return
            just_read = await self._wait_next_round(period)

    async def _publish_pending(self) -> None:
        if self._client is None:
            self._client = connect(self.settings)
        for kind, message in list(self.pending.items()):
            # Stored and published in one step, so the hash has it even with no KV
            # updater subscribed.
            written, _ = await asyncio.wait_for(
                store_and_publish(self._client, self.settings, message.envelope,
                                  message.payload),
                PUBLISH_TIMEOUT)
            self.published += 1
            if self.pending.get(kind) is message:  # unless a newer one came meanwhile
                del self.pending[kind]
            log.debug("published %s (%d bytes)%s", kind, len(message.payload),
                      "" if written else "; the state holds a newer one")

    async def _publish_loop(self) -> None:
        # Not `while True`: on 3.11 a cancel can be swallowed by wait_for inside a publish,
        # and the loop would then wait for a wake-up forever while run() awaits it.
        while not self._stop.is_set():
            await self._wake.wait()
            self._wake.clear()
            while self.pending and not self._stop.is_set():  # Redis down must not block exit
                try:
                    await self._publish_pending()
                except Exception as exc:
                    # Link errors, and refusals (NOPERM, a cluster failing over...): keep the
                    # messages and retry; nothing here may end the publisher.
                    if self.redis_up or self._redis_backoff.attempt == 0:
                        known = isinstance(exc, (*LINK_ERRORS, TimeoutError))
                        log.warning("%s: %s at %s (%s: %s); keeping %d message(s) and "
                                    "retrying", self.producer.name,
                                    "Redis unavailable" if known else "publish refused",
                                    redact(self.settings.url), type(exc).__name__, exc,
                                    len(self.pending))
                    self.last_error = f"publish: {type(exc).__name__}: {exc}"
                    self.redis_up = False
                    client, self._client = self._client, None
                    if client is not None:
                        with contextlib.suppress(Exception):
                            await client.aclose()
                    await asyncio.sleep(self._redis_backoff.next_delay())
                    continue
                if not self.redis_up:
                    log.info("%s: publishing to %s on %s", self.producer.name,
                             self.settings.data_channel, redact(self.settings.url))
                self.redis_up = True
                self._redis_backoff.reset()
            self._flushed.set()

    async def _wait_flushed(self) -> None:
        while self.pending and not self._stop.is_set():
            self._flushed.clear()
            stop = asyncio.create_task(self._stop.wait())
            flushed = asyncio.create_task(self._flushed.wait())
            await asyncio.wait({stop, flushed}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            flushed.cancel()

    async def _flush_on_exit(self) -> None:
        if not self.pending or not self.redis_up:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._publish_pending(), FLUSH_ON_EXIT_TIMEOUT)


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows a flag's default unless it is None or the help already names it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default is None or "default" in text:
            return text
        return super()._get_help_string(action) or text


def _optional_path(value: Any) -> Path | None:
    return Path(value).expanduser() if value not in (None, "") else None


class ProducerSettings(RedisFields):
    """The settings every producer shares; its own options come from add_arguments()."""

    part: ClassVar[str] = "producer"

    period: PositiveFloat | None = setting(
        None, env="PERIOD", flag="--period", shown_default="the producer's own",
        help="seconds between fetches")
    config: Annotated[Path | None, BeforeValidator(_optional_path)] = setting(
        None, env="PRODUCER_CONFIG", flag="--config",
        help="YAML file of settings: 'period' and this producer's options (the file layer)")
    health_port: Port = setting(0, env="HEALTH_PORT", flag="--health-port",
                                help="serve GET /live on this port, 0 = off")
    health_host: str = setting("0.0.0.0", env="HEALTH_HOST", flag="--health-host",
                               help="address of the health port")
    base_url: str | None = setting(
        None, env="BASE_URL", flag="--base-url", shown_default="the producer's data source",
        help="override the data source's base URL, e.g. a local server with recorded answers")
    http_timeout: PositiveFloat = setting(10.0, flag="--http-timeout",
                                          help="seconds to wait for each HTTP answer")
    http_retries: Annotated[int, BeforeValidator(int)] = setting(
        3, flag="--http-retries",
        help="retries of a failed HTTP request (connection errors, 429, 5xx), with growing "
        "delays, before the fetch counts as failed")
    once: bool = setting(False, flag="--once",
                         help="fetch and publish once (waiting for Redis if needed), then exit")
    log_level: LogLevel = setting("info", env="LOG_LEVEL", flag="--log-level",
                                  help="debug, info, warning or error")


@dataclass(frozen=True)
class OptionSpec:
    """What ``--show-settings`` and the docs know of a producer's own option."""

    env: str | None = None
    default: Any = None
    secret: bool = False
    help: str = ""


def option(parser: argparse.ArgumentParser | argparse._ArgumentGroup, flag: str, *,
           env: str | None = None, default: Any = None, secret: bool = False,
           help: str, **kwargs: Any) -> argparse.Action:
    """A producer's own option: the flag (left None when not given, so the other layers
    count), and what ``--show-settings`` shows; the help names the variable and default."""
    switch = kwargs.get("action") in ("store_true", "store_false")
    notes = [f"env {env}" if env else "",
             f"default {default}" if default is not None and not switch else ""]
    notes = [n for n in notes if n]
    text = help + (f" ({'; '.join(notes)})" if notes else "")
    action = parser.add_argument(flag, default=None, help=text.replace("%", "%%"), **kwargs)
    action.glanceboard = OptionSpec(env, default, secret, help)  # type: ignore[attr-defined]
    return action


OWN_GROUP = "options"


def build_parser(cls: type[Producer], prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=f"{cls.name} producer: {cls.description or cls.__doc__ or ''}".strip()
        + " Settings: defaults < config file < environment < live settings < flags "
        "(docs/settings.md).",
        epilog=(("Live: follows the household settings "
                 + ", ".join(f"{name} (as {own})" if own != name else name
                             for name, own in cls.household.items())
                 + " of the dashboard's settings page; a change is fetched at once, a "
                 "flag wins.") if cls.household else None),
        formatter_class=_HelpFormatter,
    )
    common = parser.add_argument_group("producer")
    add_flags(common, ProducerSettings, [n for n in ProducerSettings.model_fields
                                         if n not in RedisFields.model_fields])
    add_show_flag(parser)
    add_redis_arguments(parser)
    own = parser.add_argument_group(f"{cls.name} {OWN_GROUP}")
    cls.add_arguments(own)  # type: ignore[arg-type]
    return parser


def own_options(parser: argparse.ArgumentParser) -> list[tuple[argparse.Action, OptionSpec]]:
    """The options a producer added itself, with what :func:`option` declared of them."""
    found = []
    for group in parser._action_groups:
        if group.title and group.title.endswith(" " + OWN_GROUP):
            for action in group._group_actions:
                found.append((action, getattr(action, "glanceboard", None) or OptionSpec()))
    return found


def own_rows(producer: Producer, parser: argparse.ArgumentParser) -> list[Row]:
    out = []
    for action, spec in own_options(parser):
        value, origin = producer.setting_origin(action.dest, spec.default, env=spec.env)
        if origin.kind == "flag":
            origin = Origin("flag", action.option_strings[0])
        elif value is None and spec.env and os.environ.get(f"{spec.env}_FILE"):
            value, origin = "(in a file)", Origin("env", f"{spec.env}_FILE")
        out.append((action.dest, shown_value(value, spec.secret), str(origin)))
    return out


def load_settings(args: argparse.Namespace, live: LiveSettings | None = None
                  ) -> tuple[Loaded[ProducerSettings], dict[str, Any]]:
    """The shared settings and the config file's mapping: the file named by the flag or
    the environment is read first, then every layer (SettingsError / ConfigError if bad)."""
    first = load(ProducerSettings, args=args, environ=os.environ)
    path = first.settings.config
    config = load_config(path)
    if path is None:
        return first, config
    return load(ProducerSettings, args=args, environ=os.environ, live=live,
                file=file_layer(path, config)), config


def positive_number(raw: Any, source: str, unit: str = "seconds") -> float:
    """``raw`` as a number above 0, or a ConfigError naming ``source`` (where it is set)."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: {raw!r} is not a number of {unit}") from None
    if value <= 0:
        raise ConfigError(f"{source}: {raw!r} must be more than 0 {unit}")
    return value


def resolve_period(cls: type[Producer], flag: float | None, config: dict[str, Any],
                   live: LiveSettings | None = None) -> float:
    """Flag, then live, then env PERIOD, then the config file's 'period', then the default."""
    live_value = live.layer().values.get("period") if live else None
    for source, raw in (("--period", flag), ("live 'period'", live_value),
                        ("env PERIOD", os.environ.get("PERIOD") or None),
                        ("config 'period'", config.get("period"))):
        if raw is not None:
            return positive_number(raw, source)
    return float(cls.default_period)


def run_producer(cls: type[Producer], argv: list[str], prog: str | None = None,
                 live: LiveSettings | None = None, part: str | None = None) -> int:
    """Parse ``argv`` for ``cls`` and run it until SIGTERM/Ctrl-C (or once); ``part`` is
    its registry name (the sources hash names it so), by default its name in lower case."""
    parser = build_parser(cls, prog or f"python -m server.producers {cls.name.lower()}")
    args = parser.parse_args(argv)
    try:
        loaded, config = load_settings(args, live)
        common = loaded.settings
        settings = common.redis()  # e.g. cluster names without one shared hash tag
        period = resolve_period(cls, args.period, config, live)
        producer = cls(args, config)
        if live is not None:
            producer.live = live
        if part:
            producer.part = part
        if common.config is not None:  # also when named by PRODUCER_CONFIG, not the flag
            producer.config_path = str(common.config)
    except (ConfigError, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.show_settings:
        # The live layer as stored now, so the sources shown are those a run would use.
        follower = SettingsFollower(producer, settings, producer.part)
        quiet = logging.getLogger("glanceboard.producer.settings")
        quiet.disabled = True  # Redis away: the other layers are shown, with no warning
        try:
            asyncio.run(follower.refresh(write_sources=False))
        finally:
            quiet.disabled = False
        print(show_part(loaded, parser.prog, own_rows(producer, parser), period=period), end="")
        return 0
    logging.basicConfig(level=common.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    runner = ProducerRunner(producer, settings, period, health_port=common.health_port,
                            once=common.once, health_host=common.health_host)
    log.info("%s producer: every %gs to %s on %s", cls.name, period, settings.data_channel,
             redact(settings.url))
    try:
        return asyncio.run(runner.run())
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # only with --once: the failed fetch, named
        print(f"error: {cls.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
