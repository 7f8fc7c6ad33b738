"""One place that connects to Redis/Valkey and follows channels across reconnects.

Pub/sub delivers at most once, so a follower subscribes first and only then
calls ``on_subscribed`` (where a reader of the state reads the hash); after
any reconnect it does both again (PROTOCOL section 2).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

import redis.asyncio as aioredis
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
)


def connect(settings: RedisSettings) -> aioredis.Redis:
    """A client for ``settings.url``; user, password and rediss:// TLS come from the URL."""
    return aioredis.from_url(
        settings.url,
        socket_connect_timeout=5,
        socket_keepalive=True,
        health_check_interval=10,
        retry_on_timeout=False,
    )


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
    counts lost links (a metric).
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
        self.last_error: str | None = "not connected yet"
        self._backoff = Backoff(base=0.2, cap=10.0)

    async def run(self) -> None:
        while True:
            client = connect(self.settings)
            try:
                await self._follow(client)
            except asyncio.CancelledError:
                raise
            except LINK_ERRORS as exc:
                self._lost(exc)
            finally:
                self.connected.clear()
                with contextlib.suppress(Exception):  # the link is already broken
                    await client.aclose()
            await asyncio.sleep(self._backoff.next_delay())

    def _lost(self, exc: BaseException) -> None:
        was_connected = self.last_error is None
        self.last_error = f"{type(exc).__name__}: {exc}"
        if was_connected:
            self.reconnects += 1
            log.warning("%s: lost Redis at %s (%s); reconnecting",
                        self.name, redact(self.settings.url), self.last_error)
        else:
            log.debug("%s: Redis at %s not reachable (%s)",
                      self.name, redact(self.settings.url), self.last_error)

    async def _follow(self, client: aioredis.Redis) -> None:
        pubsub = client.pubsub()
        try:
            if self.settings.cluster:
                await pubsub.execute_command("SSUBSCRIBE", *self.channels)
            else:
                await pubsub.subscribe(*self.channels)
            # Wait for the subscription confirmations before reading state.
            confirmed = 0
            while confirmed < len(self.channels):
                reply = await pubsub.get_message(timeout=5.0)
                if reply is None:
                    raise RedisTimeoutError("no subscribe confirmation within 5 s")
                if reply["type"] in ("subscribe", "ssubscribe"):
                    confirmed += 1
            if self.on_subscribed is not None:
                await self.on_subscribed(client)
            self.last_error = None
            self._backoff.reset()
            self.connected.set()
            log.info("%s: subscribed to %s on %s", self.name,
                     ", ".join(self.channels), redact(self.settings.url))
            while True:
                message = await pubsub.get_message(timeout=10.0)
                if message is None:
                    await pubsub.ping()  # detects a link that went silent
                    continue
                if message["type"] in ("message", "smessage"):
                    channel = message["channel"]
                    if isinstance(channel, bytes):
                        channel = channel.decode("utf-8", "replace")
                    await self.on_message(channel, message["data"])
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()


async def publish(client: aioredis.Redis, settings: RedisSettings, channel: str,
                  payload: str | bytes) -> int:
    """PUBLISH, or SPUBLISH on a cluster."""
    if settings.cluster:
        return int(await client.execute_command("SPUBLISH", channel, payload))
    return int(await client.publish(channel, payload))
