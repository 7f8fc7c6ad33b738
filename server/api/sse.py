"""``GET /events``: the Server-Sent Events stream, as a plain ASGI handler (PROTOCOL section 4).

It bypasses the framework's routing and response classes: the stream is the
hot path, and the hub writes pre-encoded frames straight to ``send``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from server.api.hub import Hub
from server.api.state import RETRY_FRAME, StateHolder, parse_types

EVENTS_PATHS = frozenset({"/events", "/api/events"})


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _transport_abort(send: Any) -> Callable[[], None] | None:
    """How to cut a connection that stopped reading, where the server lets us.

    ASGI has no "abort"; a plain close would wait for the client to read what
    is buffered, i.e. forever. Under uvicorn, ``send`` is bound to the request
    cycle that holds the transport.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    abort = getattr(transport, "abort", None)
    if not callable(abort):
        return None

    def reset() -> None:
        # Linger 0: the kernel drops what is still queued for the peer and sends a
        # reset, instead of trickling megabytes into a window that never opens.
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        abort()

    return reset


class EventsEndpoint:
    def __init__(self, state: StateHolder, hub: Hub, cors_origins: tuple[str, ...]) -> None:
        self.state = state
        self.hub = hub
        self.cors_origins = cors_origins

    def _cors_headers(self, scope: dict[str, Any]) -> list[tuple[bytes, bytes]]:
        if not self.cors_origins:
            return []
        if "*" in self.cors_origins:
            return [(b"access-control-allow-origin", b"*")]
        origin = _header(scope, b"origin")
        if origin and origin in self.cors_origins:
            return [(b"access-control-allow-origin", origin.encode("latin-1")),
                    (b"vary", b"Origin")]
        return []

    async def _plain(self, send: Any, status: int, text: str,
                     extra: list[tuple[bytes, bytes]]) -> None:
        body = text.encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), *extra]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        cors = self._cors_headers(scope)
        if scope["method"] == "OPTIONS" and cors:
            # A CORS preflight: a page elsewhere may resume with a Last-Event-ID header.
            await send({"type": "http.response.start", "status": 204, "headers": [
                *cors, (b"access-control-allow-methods", b"GET"),
                (b"access-control-allow-headers", b"Last-Event-ID, Cache-Control"),
                (b"access-control-max-age", b"600")]})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self._plain(send, 405, "use GET\n", [(b"allow", b"GET"), *cors])
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        types = parse_types(",".join(query.get("types", [])))
        last_id = _header(scope, b"last-event-id") or (query.get("last_event_id") or [None])[0]
        if self.hub.full:
            self.hub.refused += 1
            await self._plain(send, 503, "too many event streams; retry later\n",
                              [(b"retry-after", b"5"), *cors])
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),  # proxies (nginx) must not buffer the stream
            *cors,
        ]})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        # Replay and registration happen in one synchronous step: nothing falls between.
        # Events already taken into the state go out first, so the replay does not repeat them.
        self.hub.flush_pending()
        first = [RETRY_FRAME, *(ev.frame for ev in self.state.events_after(last_id, types))]
        host, port = scope.get("client") or ("?", 0)
        client = self.hub.register(send, types, first, abort=_transport_abort(send),
                                   peer=f"{host}:{port}")
        if client is None:  # filled up while the headers went out
            await send({"type": "http.response.body", "body": b""})
            return

        async def watch_disconnect() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        watcher = asyncio.get_running_loop().create_task(watch_disconnect())
        watcher.add_done_callback(lambda _: self.hub.drop(client, "disconnected"))
        try:
            reason = await client.done
            if reason == "shutdown":
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        send({"type": "http.response.body", "body": b""}), timeout=1.0)
        finally:
            self.hub.drop(client, "ended")
            watcher.cancel()
