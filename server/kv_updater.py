"""The KV updater: keeps the latest envelope of each type in the state hash.

    python -m server.kv_updater [--legacy-keys] [--health-port 9102]

It subscribes to the data channel, validates every message with the shared
envelope rules, and writes it with the conditional atomic script of
:mod:`server.kv_store` (an older ``ts`` never replaces a newer one). Web
control commands are not data and are ignored; ``<Name>-Server``
announcements are data like any other type. A rejected message is logged
with its reason and counted; it never stops the process. After a Redis
restart the follower reconnects and resubscribes by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from typing import Any, ClassVar

from redis.exceptions import RedisError

from glanceboard.envelope import (
    DEFAULT_MAX_BYTES,
    Envelope,
    RejectedMessage,
    is_control,
    parse_envelope,
)
from server.api.metrics import CONTENT_TYPE, Exposition
from server.health import HealthServer, text
from server.kv_store import store_envelope
from server.layers import (
    LiveSettings,
    Loaded,
    SettingsError,
    add_flags,
    add_show_flag,
    load,
    setting,
)
from server.redis_link import LINK_ERRORS, ChannelFollower, ClusterSettingError, redact
from server.rejections import Rejections, looks_like_control
from server.settings import (
    LOG_LEVELS,
    LogLevel,
    Port,
    PositiveInt,
    RedisFields,
    RedisSettings,
    add_redis_arguments,
    check_url,
    show_part,
)

log = logging.getLogger("glanceboard.kv_updater")

# KEYS[1] state hash; ARGV[1] field; ARGV[2] the value it was read with.
DROP_IF_UNCHANGED = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
"""


class KVUpdater:
    """Follows the data channel and writes the state hash; counts what it does."""

    def __init__(self, settings: RedisSettings, max_bytes: int = DEFAULT_MAX_BYTES,
                 legacy_keys: bool = False) -> None:
        self.settings = settings
        self.max_bytes = max_bytes
        self.legacy_keys = legacy_keys
        self.stored = 0
        self.stale_dropped = 0
        self.control_ignored = 0
        self.store_errors = 0
        self.dropped_fields = 0
        # Counts by reason; its rate limit also covers "could not store" lines.
        self.rejections = Rejections(log)
        self._client: Any = None
        # Messages that arrived but could not be written (link lost mid-write):
        # retried once reconnected; the script keeps the order right.
        self._unstored: dict[str, Envelope] = {}
        self.follower = ChannelFollower(settings, [settings.data_channel], self.on_message,
                                        on_subscribed=self.on_subscribed, name="kv-updater")

    async def on_subscribed(self, client: Any) -> None:
        self._client = client
        try:
            await self._drop_invalid_fields(client)
        except LINK_ERRORS:
            raise
        except RedisError as exc:  # e.g. an ACL without HGETALL: storing matters more
            self.rejections.note("drop_invalid", logging.WARNING,
                                 "could not check %s for invalid fields: %s: %s",
                                 self.settings.state_key, type(exc).__name__, exc)
        pending, self._unstored = self._unstored, {}
        for envelope in pending.values():
            await self._store(envelope)

    async def _drop_invalid_fields(self, client: Any) -> None:
        """Remove fields of the hash that no reader accepts (written by an older version or
        by hand: e.g. a ts of 10^30, which would make the store script drop every real
        message of that type for good). Only a field still holding that value is removed."""
        fields = await client.hgetall(self.settings.state_key)
        for name, raw in fields.items():
            label = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
            try:
                envelope = parse_envelope(raw, self.max_bytes)
                if envelope.type != label:
                    raise RejectedMessage("bad_type", f"field {label!r} holds {envelope.type!r}")
            except RejectedMessage as exc:
                removed = await client.eval(DROP_IF_UNCHANGED, 1, self.settings.state_key,
                                            name, raw)
                if removed:
                    self.dropped_fields += 1
                    log.warning("removed field %r from %s: %s: %s", label,
                                self.settings.state_key, exc.reason, exc.detail)

    async def on_message(self, channel: str, data: bytes) -> None:
        where = f"channel {channel!r} ({len(data)} bytes)"
        try:
            envelope = parse_envelope(data, self.max_bytes)
        except RejectedMessage as exc:
            if exc.reason == "missing_field" and looks_like_control(data):
                self.control_ignored += 1
                return
            self.rejections.reject(exc, where)
            return
        except Exception as exc:  # noqa: BLE001 - a bug here must cost a message, not the process
            self.rejections.failed(exc, where)
            return
        if is_control(envelope.data):
            self.control_ignored += 1
            return
        await self._store(envelope)

    async def _store(self, envelope: Envelope) -> None:
        try:
            written = await store_envelope(self._client, self.settings, envelope,
                                           legacy_keys=self.legacy_keys)
        except LINK_ERRORS:
            # Keep it for the next connection; the follower reconnects.
            self._unstored[envelope.type] = envelope
            self.store_errors += 1
            raise
        except RedisError as exc:
            # Refused by the server (NOPERM, OOM, read-only replica...): say so, carry on.
            self.store_errors += 1
            self.rejections.note("store_error", logging.ERROR, "could not store %s in %s: %s: %s",
                                 envelope.type, self.settings.state_key, type(exc).__name__, exc)
            return
        if written:
            self.stored += 1
            log.debug("stored %s (ts %s)", envelope.type, envelope.ts)
        else:
            self.stale_dropped += 1
            log.info("dropped %s with ts %s: the state holds a newer one",
                     envelope.type, envelope.ts)

    @property
    def rejected(self) -> dict[str, int]:
        """Rejected messages by reason."""
        return self.rejections.counts

    def metrics_text(self) -> str:
        """Prometheus text exposition of the counters."""
        out = Exposition()
        out.metric("glanceboard_kv_stored_total", "counter",
                   "Envelopes written to the state hash.", self.stored)
        out.metric("glanceboard_kv_stale_dropped_total", "counter",
                   "Envelopes dropped: the state held a newer ts.", self.stale_dropped)
        out.labelled("glanceboard_kv_rejected_total", "counter",
                     "Messages rejected, by reason.", "reason", self.rejected)
        out.metric("glanceboard_kv_control_ignored_total", "counter",
                   "Web control commands seen on the data channel and ignored.",
                   self.control_ignored)
        out.metric("glanceboard_kv_store_errors_total", "counter",
                   "Writes that failed: lost link (retried after reconnecting) or refused by "
                   "the server (logged).", self.store_errors)
        out.metric("glanceboard_kv_invalid_fields_removed_total", "counter",
                   "Fields of the state hash that no reader accepts, removed after subscribing.",
                   self.dropped_fields)
        out.metric("glanceboard_kv_redis_reconnects_total", "counter",
                   "Times the Redis link was lost.", self.follower.reconnects)
        out.metric("glanceboard_kv_redis_connected", "gauge", "1 while subscribed.",
                   int(self.follower.connected.is_set()))
        out.metric("glanceboard_kv_redis_away_seconds_total", "counter",
                   "Seconds without the Redis link after losing it (the gaps that ended, "
                   "and the current one): what producers that only PUBLISH lost meanwhile "
                   "never reached the hash.", round(self.follower.away_seconds, 3))
        out.metric("glanceboard_kv_redis_last_gap_seconds", "gauge",
                   "Length of the last gap without the Redis link that ended.",
                   round(self.follower.last_gap, 3))
        return out.render().decode("utf-8")

    def health_routes(self) -> dict[str, Any]:
        def live() -> tuple[int, str, bytes]:
            return text("ok\n")

        def ready() -> tuple[int, str, bytes]:
            if self.follower.connected.is_set():
                return text("ready\n")
            return text(f"not subscribed: {self.follower.last_error}\n", status=503)

        def metrics() -> tuple[int, str, bytes]:
            return text(self.metrics_text(), ctype=CONTENT_TYPE)

        return {"/live": live, "/ready": ready, "/metrics": metrics}

    async def run(self) -> None:
        await self.follower.run()


class KVUpdaterSettings(RedisFields):
    """Every setting of ``python -m server.kv_updater``."""

    part: ClassVar[str] = "kv-updater"

    max_bytes: PositiveInt = setting(DEFAULT_MAX_BYTES, env="MAX_MESSAGE_BYTES",
                                     flag="--max-bytes", help="reject messages larger than this")
    legacy_keys: bool = setting(
        False, env="LEGACY_KEYS", flag="--legacy-keys",
        help="also SET the older plain key per type (key = type, value = the envelope "
        "without 'type'), for older readers (not with --cluster)")
    health_port: Port = setting(0, env="HEALTH_PORT", flag="--health-port",
                                help="serve GET /live, /ready and /metrics on this port, 0 = off")
    health_host: str = setting("0.0.0.0", env="HEALTH_HOST", flag="--health-host",
                               help="address of the health port")
    log_level: LogLevel = setting("info", env="LOG_LEVEL", flag="--log-level",
                                  help=", ".join(LOG_LEVELS))


def build_parser() -> argparse.ArgumentParser:
    """The flags, made from :class:`KVUpdaterSettings`."""
    parser = argparse.ArgumentParser(
        prog="python -m server.kv_updater",
        description="Keep the latest envelope of each type in the Redis/Valkey state hash: "
        "subscribe to the data channel, validate, and write with a conditional atomic "
        "script (an older ts never replaces a newer one). Settings: defaults < environment "
        "< live settings < flags (docs/settings.md).",
    )
    add_flags(parser, KVUpdaterSettings, [n for n in KVUpdaterSettings.model_fields
                                          if n not in RedisFields.model_fields])
    add_show_flag(parser)
    add_redis_arguments(parser)
    return parser


def load_settings(args: argparse.Namespace, live: LiveSettings | None = None
                  ) -> Loaded[KVUpdaterSettings]:
    return load(KVUpdaterSettings, args=args, environ=os.environ, live=live)


def show_settings(loaded: Loaded[KVUpdaterSettings]) -> str:
    return show_part(loaded, "python -m server.kv_updater")


async def _serve(updater: KVUpdater) -> None:
    loop = asyncio.get_running_loop()
    task = asyncio.create_task(updater.run(), name="kv-updater")
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        loaded = load_settings(args)
        if args.show_settings:
            print(show_settings(loaded), end="")
            return 0
        options = loaded.settings
        settings = options.redis()
        check_url(settings.url)
    except SettingsError as exc:  # a bad environment variable, or names that cannot work
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=options.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if options.legacy_keys and settings.cluster:
        print("error: --legacy-keys writes keys named after each type, which cannot share "
              "the state key's cluster slot; use it only without --cluster", file=sys.stderr)
        return 2
    updater = KVUpdater(settings, max_bytes=options.max_bytes, legacy_keys=options.legacy_keys)
    health = None
    if options.health_port:
        health = HealthServer(updater.health_routes(), options.health_port, options.health_host)
        try:
            health.start()
        except OSError as exc:
            print(f"error: health port {options.health_port}: {exc.strerror}", file=sys.stderr)
            return 2
    log.info("KV updater: %s -> hash %s on %s%s", settings.data_channel, settings.state_key,
             redact(settings.url), " (+ legacy keys)" if options.legacy_keys else "")
    try:
        asyncio.run(_serve(updater))
    except KeyboardInterrupt:
        pass
    except ClusterSettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RedisError as exc:
        # Not a lost link (those are retried) but a refusal, e.g. an ACL without our channel.
        print(f"error: Redis at {redact(settings.url)} refused the KV updater: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        if health is not None:
            health.stop()
    log.info("KV updater stopped: %d stored, %d stale dropped, %d rejected", updater.stored,
             updater.stale_dropped, sum(updater.rejected.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
