"""One place that connects to Redis/Valkey and follows channels across reconnects.

Pub/sub delivers at most once, so a follower subscribes first and only then
calls ``on_subscribed`` (where a reader of the state reads the hash); after
any reconnect it does both again (PROTOCOL section 2).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster
from redis.crc import key_slot
from redis.exceptions import (
    AskError,
    ClusterDownError,
    ClusterError,
    MasterDownError,
    MovedError,
    RedisClusterException,
    ResponseError,
    TryAgainError,
)
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from glanceboard.backoff import Backoff
from server.settings import RedisSettings

log = logging.getLogger("glanceboard.redis")

MessageHandler = Callable[[str, bytes], Awaitable[None]]
SubscribedHandler = Callable[[aioredis.Redis], Awaitable[None]]

# Errors after which we drop the connection and start over.
LINK_ERRORS: tuple[type[BaseException], ...] = (
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    OSError,
    asyncio.IncompleteReadError,
    # On a cluster: the slot moved or the cluster is failing over; reconnect to the owner.
    MovedError,
    AskError,
    ClusterDownError,
    TryAgainError,
    MasterDownError,
    ClusterError,  # the cluster client found no reachable node
    RedisClusterException,
)


def connect(settings: RedisSettings) -> Any:
    """A client for ``settings.url``; user, password and rediss:// TLS come from the URL.

    On a cluster it is a cluster client, which sends each command to the node
    owning its key or channel (pub/sub needs :func:`open_client` instead).
    """
    if settings.cluster:
        return RedisCluster.from_url(settings.url, socket_connect_timeout=5,
                                     socket_keepalive=True)
    return aioredis.from_url(
        settings.url,
        socket_connect_timeout=5,
        socket_keepalive=True,
        health_check_interval=10,
        retry_on_timeout=False,
    )


class ClusterSettingError(RuntimeError):
    """--cluster against a server that is not a cluster: a setting to fix, not a retry."""


def _with_address(url: str, host: str, port: int) -> str:
    """``url`` pointed at another host and port, keeping scheme, credentials and db."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (userinfo + "@" if userinfo else "") + (f"[{host}]" if ":" in host else host)
    return urlunsplit(parts._replace(netloc=f"{netloc}:{port}"))


async def slot_owner_url(settings: RedisSettings) -> str:
    """On a cluster: the URL of the primary that owns the slot of our hash tag.

    All our keys and channels share one hash tag, so one node holds the state
    and serves the sharded channels; a plain connection to it does everything.
    """
    slot = key_slot(settings.state_key.encode("utf-8"))
    seed = aioredis.from_url(settings.url, socket_connect_timeout=5)
    try:
        ranges = await seed.execute_command("CLUSTER", "SLOTS")
    except ResponseError as exc:
        raise ClusterSettingError(
            f"--cluster is set but {redact(settings.url)} is not a cluster node: {exc}"
        ) from None
    finally:
        await seed.aclose()
    for first, last, primary, *_replicas in ranges:
        if int(first) <= slot <= int(last):
            host = primary[0].decode() if isinstance(primary[0], bytes) else str(primary[0])
            # An empty host means "the address you reached me at".
            return _with_address(settings.url, host or (urlsplit(settings.url).hostname or ""),
                                 int(primary[1]))
    raise ClusterDownError(f"no node owns slot {slot} of {settings.state_key!r}")


async def open_client(settings: RedisSettings) -> aioredis.Redis:
    """A plain client for pub/sub and the state: ``connect()``, or on a cluster a client
    of the node that owns our slot (found again at every call, so after a failover too)."""
    if not settings.cluster:
        return connect(settings)
    url = await slot_owner_url(settings)
    return aioredis.from_url(url, socket_connect_timeout=5, socket_keepalive=True,
                             health_check_interval=10, retry_on_timeout=False)


def redact(url: str) -> str:
    """The URL without its password, for logs."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user + ':***' if user else '***'}@{host}"


class ChannelFollower:
    """Subscribes to channels and hands every message to ``on_message``, forever.

    ``connected`` tells whether the subscription is live; ``reconnects``
    counts lost links, ``away_seconds`` the time spent without the link after
    losing it (gaps that ended, plus the current one) and ``last_gap`` the
    length of the last gap that ended (metrics).
    """

    def __init__(
        self,
        settings: RedisSettings,
        channels: Sequence[str],
        on_message: MessageHandler,
        on_subscribed: SubscribedHandler | None = None,
        name: str = "follower",
    ) -> None:
        self.settings = settings
        self.channels = list(channels)
        self.on_message = on_message
        self.on_subscribed = on_subscribed
        self.name = name
        self.connected = asyncio.Event()
        self.reconnects = 0
        self.last_gap = 0.0
        self._gaps_total = 0.0
        self._lost_at: float | None = None  # monotonic time the link was lost
        self.last_error: str | None = "not connected yet"
        self._backoff = Backoff(base=0.2, cap=10.0)

    async def run(self) -> None:
        while True:
            client = None
            try:
                client = await open_client(self.settings)
                await self._follow(client)
            except asyncio.CancelledError:
                raise
            except LINK_ERRORS as exc:
                self._lost(exc)
            finally:
                self.connected.clear()
                if client is not None:
                    with contextlib.suppress(Exception):  # the link is already broken
                        await client.aclose()
            await asyncio.sleep(self._backoff.next_delay())

    @property
    def away_seconds(self) -> float:
        """Seconds spent without the link since it was first up: past gaps and this one."""
        ongoing = time.monotonic() - self._lost_at if self._lost_at is not None else 0.0
        return self._gaps_total + ongoing

    def _lost(self, exc: BaseException) -> None:
        was_connected = self.last_error is None
        error = f"{type(exc).__name__}: {exc}"
        changed = error != self.last_error
        self.last_error = error
        if was_connected:
            self.reconnects += 1
            self._lost_at = time.monotonic()
            log.warning("%s: lost Redis at %s (%s); reconnecting",
                        self.name, redact(self.settings.url), error)
        elif changed:
            # Said once per distinct error (e.g. a wrong password), not at every retry.
            log.warning("%s: cannot reach Redis at %s (%s); retrying",
                        self.name, redact(self.settings.url), error)
        else:
            log.debug("%s: Redis at %s still not reachable (%s)",
                      self.name, redact(self.settings.url), error)

    async def _follow(self, client: aioredis.Redis) -> None:
        pubsub = client.pubsub()
        try:
            if self.settings.cluster:
                await pubsub.ssubscribe(*self.channels)
            else:
                await pubsub.subscribe(*self.channels)
            # Wait for the subscription confirmations before reading state. A message that
            # comes in meanwhile is kept and handled after the state, like any other.
            confirmed = 0
            early: list[dict[str, Any]] = []
            while confirmed < len(self.channels):
                reply = await pubsub.get_message(timeout=5.0)
                if reply is None:
                    raise RedisTimeoutError(
                        f"no confirmation of subscribing to {', '.join(self.channels)} "
                        "within 5 s")
                if reply["type"] in ("subscribe", "ssubscribe"):
                    confirmed += 1
                elif reply["type"] in ("message", "smessage"):
                    early.append(reply)
            if self.on_subscribed is not None:
                await self.on_subscribed(client)
            self.last_error = None
            self._backoff.reset()
            self.connected.set()
            if self._lost_at is not None:
                self.last_gap = time.monotonic() - self._lost_at
                self._gaps_total += self.last_gap
                self._lost_at = None
                log.warning("%s: reconnected to Redis at %s after %.1f s away "
                            "(%d reconnects so far)", self.name, redact(self.settings.url),
                            self.last_gap, self.reconnects)
            log.info("%s: subscribed to %s on %s", self.name,
                     ", ".join(self.channels), redact(self.settings.url))
            for message in early:
                await self._deliver(message)
            while True:
                message = await pubsub.get_message(timeout=10.0)
                if message is None:
                    await pubsub.ping()  # detects a link that went silent
                    continue
                if message["type"] in ("message", "smessage"):
                    await self._deliver(message)
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def _deliver(self, message: dict[str, Any]) -> None:
        channel = message["channel"]
        if isinstance(channel, bytes):
            channel = channel.decode("utf-8", "replace")
        await self.on_message(channel, message["data"])


async def publish(client: aioredis.Redis, settings: RedisSettings, channel: str,
                  payload: str | bytes) -> int:
    """PUBLISH, or SPUBLISH on a cluster."""
    if settings.cluster:
        return int(await client.execute_command("SPUBLISH", channel, payload))
    return int(await client.publish(channel, payload))
