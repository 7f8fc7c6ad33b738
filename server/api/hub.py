"""Fan-out of encoded SSE events to every connected client.

Built for many clients on few cores: an event is encoded once (see
``state.Event``) and the broadcaster hands the same bytes object to each
client's ASGI ``send`` directly, in one pass, without waking a task per
client. A send that completes without blocking (the usual case: the socket
takes the bytes) costs no task switch. A send that blocks (the client's
socket is full) is parked in a task of its own; further events for that
client wait in its bounded queue, and a client whose send stays blocked
past the send timeout, or whose queue overflows, is dropped. Nobody else
waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Generator, Iterable, Iterator
from typing import Any

from server.api.state import PING, Event

log = logging.getLogger("glanceboard.api.hub")

Send = Callable[[dict[str, Any]], Awaitable[None]]

DROP_REASONS = ("send_timeout", "queue_full", "send_error")
# A long replay goes out in sends of about this size, so that the server never holds a
# whole replay (up to --replay-mb) as one extra copy per resuming client.
FIRST_SEND_BYTES = 256 * 1024


def batches(frames: Iterable[bytes], limit: int = FIRST_SEND_BYTES) -> Iterator[bytes]:
    """``frames`` joined in order into bodies of about ``limit`` bytes (a frame is never
    split, so a larger one goes alone)."""
    batch: list[bytes] = []
    size = 0
    for frame in frames:
        if batch and size + len(frame) > limit:
            yield b"".join(batch)
            batch, size = [], 0
        batch.append(frame)
        size += len(frame)
    if batch:
        yield b"".join(batch)


class _Resume:
    """Awaits a coroutine that already ran up to its first suspension.

    The broadcaster steps a client's ``send`` coroutine by hand; when it
    suspends (the socket is full) this object lets a task take over: it
    yields the same future the coroutine was waiting on, then continues the
    coroutine exactly as ``await`` would have.
    """

    __slots__ = ("coro", "pending")

    def __init__(self, coro: Coroutine[Any, Any, Any], pending: Any) -> None:
        self.coro = coro
        self.pending = pending

    def __await__(self) -> Generator[Any, Any, Any]:
        try:
            yield self.pending
        except BaseException:
            self.coro.close()
            raise
        return (yield from self.coro.__await__())


class Client:
    """One SSE connection: its send, its filter, and what waits to be sent."""

    __slots__ = ("send", "types", "backlog", "queued", "busy", "busy_since", "done", "abort",
                 "peer")

    def __init__(self, send: Send, types: frozenset[str] | None,
                 done: asyncio.Future[str], abort: Callable[[], None] | None,
                 peer: str = "?") -> None:
        self.peer = peer  # host:port, for log lines
        self.send = send
        self.types = types
        self.backlog: deque[bytes] = deque()
        self.queued = 0  # events in ``backlog`` (an entry may hold several)
        self.busy: asyncio.Task[None] | None = None
        self.busy_since = 0.0
        self.done = done
        self.abort = abort


class Hub:
    """The set of SSE clients and the one broadcaster that feeds them."""

    def __init__(self, send_timeout: float = 10.0, client_queue: int = 256,
                 max_clients: int = 10000) -> None:
        self.send_timeout = send_timeout
        self.client_queue = client_queue
        self.max_clients = max_clients
        self.clients: set[Client] = set()
        self.frames_out = 0
        self.broadcasts = 0
        self.blocked_sends = 0
        self.broadcast_seconds = 0.0
        self.broadcast_max = 0.0
        self.refused = 0
        self.accepted = 0
        self.dropped: dict[str, int] = dict.fromkeys(DROP_REASONS, 0)
        self._pending: list[Event] = []
        self._scheduled = False

    @property
    def full(self) -> bool:
        return len(self.clients) >= self.max_clients

    def register(self, send: Send, types: frozenset[str] | None, first: Iterable[bytes],
                 abort: Callable[[], None] | None = None, peer: str = "?") -> Client | None:
        """Add a client whose first frames are ``first``; None when at the limit.

        Call it in the same synchronous step that computed ``first`` from the
        state, so that no event falls between the replay and the live stream.
        """
        if self.full:
            self.refused += 1
            return None
        loop = asyncio.get_running_loop()
        client = Client(send, types, loop.create_future(), abort, peer)
        self.clients.add(client)
        self.accepted += 1
        initial = list(first)
        if initial:
            # Sent as one batch; it does not count against the client's queue limit.
            client.busy_since = time.monotonic()
            client.busy = loop.create_task(self._flush(client, initial=initial))
        return client

    def publish(self, event: Event) -> None:
        """Queue ``event`` for the next hand-out, on the next turn of the event loop.

        Events that arrive together (a burst, or a backlog after a slow pass)
        go out in one pass and one send per client.
        """
        self._pending.append(event)
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.flush_pending)

    def flush_pending(self) -> None:
        """Hand out what ``publish`` queued; call before reading the state for a replay."""
        self._scheduled = False
        if self._pending:
            events, self._pending = self._pending, []
            self.broadcast(events)

    def broadcast(self, events: Event | list[Event]) -> None:
        """Hand ``events`` to every client whose filter lets them through, now."""
        started = time.perf_counter()
        batch = [events] if isinstance(events, Event) else events
        self.broadcasts += 1
        everything = (batch[0].frame if len(batch) == 1
                      else b"".join(event.frame for event in batch))
        unfiltered = (everything, len(batch),
                      {"type": "http.response.body", "body": everything, "more_body": True})
        by_filter: dict[frozenset[str], tuple[bytes, int, dict[str, Any]]] = {}
        for client in list(self.clients):
            if client.types is None:
                frame, count, message = unfiltered
            else:
                chosen = by_filter.get(client.types)
                if chosen is None:
                    passing = [ev for ev in batch if ev.type is None or ev.type in client.types]
                    body = b"".join(ev.frame for ev in passing)
                    chosen = by_filter[client.types] = (
                        body, len(passing),
                        {"type": "http.response.body", "body": body, "more_body": True})
                frame, count, message = chosen
                if not count:
                    continue
            self._deliver(client, frame, count, message)
        spent = time.perf_counter() - started
        self.broadcast_seconds += spent
        self.broadcast_max = max(self.broadcast_max, spent)

    def _deliver(self, client: Client, frame: bytes, count: int,
                 message: dict[str, Any]) -> None:
        if client.busy is not None:
            client.backlog.append(frame)
            client.queued += count
            if client.queued > self.client_queue:
                self.drop(client, "queue_full")
            return
        coro = client.send(message)
        try:
            pending = coro.send(None)
        except StopIteration:
            self.frames_out += count
            return
        except Exception as exc:  # noqa: BLE001 - a broken client must not stop the loop
            coro.close()
            log.debug("send to %s failed: %s", client.peer, exc)
            self.drop(client, "send_error")
            return
        self.blocked_sends += 1
        client.busy_since = time.monotonic()
        client.busy = asyncio.get_running_loop().create_task(
            self._flush(client, _Resume(coro, pending), count))

    async def _flush(self, client: Client, blocked: _Resume | None = None,
                     blocked_count: int = 0, initial: list[bytes] | None = None) -> None:
        """Finish a blocked send (or send the first frames), then send the queue in
        batches until it is empty."""
        try:
            if blocked is not None:
                await blocked
                self.frames_out += blocked_count
            if initial:
                for body in batches(initial):
                    client.busy_since = time.monotonic()
                    await client.send({"type": "http.response.body", "body": body,
                                       "more_body": True})
                self.frames_out += len(initial)
            while client.backlog:
                count = client.queued
                body = b"".join(client.backlog)
                client.backlog.clear()
                client.queued = 0
                client.busy_since = time.monotonic()
                await client.send({"type": "http.response.body", "body": body,
                                   "more_body": True})
                self.frames_out += count
            client.busy = None
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001
            log.debug("send to %s failed: %s", client.peer, exc)
            client.busy = None
            self.drop(client, "send_error")

    def drop(self, client: Client, reason: str) -> None:
        """Forget a client; its handler sees ``done`` and ends the response."""
        if client not in self.clients:
            return
        self.clients.discard(client)
        if reason in self.dropped:
            self.dropped[reason] += 1
            log.info("dropped the SSE client at %s: %s", client.peer, reason)
        busy = client.busy
        if busy is not None and busy is not asyncio.current_task():
            busy.cancel()
        client.busy = None
        client.backlog.clear()
        client.queued = 0
        if reason in DROP_REASONS and client.abort is not None:
            # It stopped reading: close the socket now instead of flushing into it forever.
            with contextlib.suppress(Exception):
                client.abort()
        if not client.done.done():
            client.done.set_result(reason)

    def close_all(self, reason: str = "shutdown") -> None:
        for client in list(self.clients):
            self.drop(client, reason)

    async def heartbeat(self, interval: float) -> None:
        """A ``: ping`` comment to everyone, so quiet streams are told from dead ones."""
        while True:
            await asyncio.sleep(interval)
            self.publish(PING)

    async def sweep(self) -> None:
        """Drop clients whose send has been blocked longer than the send timeout."""
        period = min(1.0, self.send_timeout / 4)
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for client in list(self.clients):
                if client.busy is not None and now - client.busy_since > self.send_timeout:
                    self.drop(client, "send_timeout")
