"""The state the API server holds: the newest envelope per type, and recent events for resume.

Pure bookkeeping, no I/O: messages go in (from Redis), events come out, each
encoded once into the exact SSE bytes every client will receive (PROTOCOL
sections 1 and 4).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from glanceboard.envelope import CONTROL_TYPE, Envelope, RejectedMessage, parse_envelope
from server.rejections import Rejections, looks_like_control

log = logging.getLogger("glanceboard.api.state")

PING_FRAME = b": ping\n\n"
RETRY_FRAME = b"retry: 3000\n\n"


@dataclass(frozen=True, slots=True)
class Event:
    """One SSE event, already encoded. ``type`` None passes every ``types`` filter.

    Only the frame: the replay buffer holds these, and replaying needs nothing else.
    """

    frame: bytes
    type: str | None = None
    seq: int | None = None


@dataclass(frozen=True, slots=True)
class Held:
    """The newest envelope of one type (for /state and /key) and the event that carried it."""

    envelope: Envelope
    event: Event
    payload: bytes  # the envelope's JSON, to tell a repeat from a change


PING = Event(frame=PING_FRAME)

# What a replayed event costs besides its frame's bytes: the Event object, its
# sequence number, the deque's pointer and the bytes object's header. Counted
# against --replay-mb, so that the bound is what the buffer really uses.
REPLAY_ENTRY_OVERHEAD = (sys.getsizeof(Event(b"", "", 0)) + sys.getsizeof(2**40) + 8
                         + sys.getsizeof(b""))


def control_event(command: str, args: Mapping[str, Any], target: str | None = None) -> Event:
    """A web control command as an ``update`` event without id (PROTOCOL section 4);
    ``target`` names the one display it is for (absent: every display)."""
    message: dict[str, Any] = {"type": CONTROL_TYPE, "command": command, "args": dict(args)}
    if target is not None:
        message["display"] = target
    data = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Event(frame=b"event: update\ndata: " + data + b"\n\n")


class StateHolder:
    """Newest envelope per type; every change becomes an event with a growing id.

    Event ids are ``<run>-<seq>``: ``run`` is fixed for the life of the process,
    ``seq`` counts from 1. ``<run>-0`` means "before the first event".
    """

    def __init__(self, replay_size: int = 1024, max_message_bytes: int = 256 * 1024,
                 replay_bytes: int = 64 * 1024 * 1024) -> None:
        self.run_id = f"{int(time.time() * 1000):x}"
        self.seq = 0
        self.held: dict[str, Held] = {}
        self.replay: deque[Event] = deque()
        self.replay_size = replay_size
        self.replay_bytes = replay_bytes
        self._replay_held = 0  # bytes ``replay`` uses (see REPLAY_ENTRY_OVERHEAD)
        self.max_message_bytes = max_message_bytes
        self.loaded = False
        self.events_in = 0
        self.stale_dropped = 0
        self.duplicates = 0
        self.control_on_data_channel = 0
        self.rejections = Rejections(log)

    # ids

    def event_id(self, seq: int) -> str:
        return f"{self.run_id}-{seq}"

    @property
    def last_event_id(self) -> str:
        return self.event_id(self.seq)

    # input

    def ingest(self, raw: bytes | str, source: str = "update channel") -> Event | None:
        """Validate one message and fold it in; the new event, or None if nothing changed."""
        try:
            envelope = parse_envelope(raw, self.max_message_bytes)
        except RejectedMessage as exc:
            if exc.reason == "missing_field" and looks_like_control(raw):
                self.control_on_data_channel += 1
                return None
            self.rejections.reject(exc, source)
            return None
        if envelope.type == CONTROL_TYPE:
            # Not data either, even with envelope fields: displays would take it for a command.
            self.control_on_data_channel += 1
            return None
        self.events_in += 1
        return self.offer(envelope)

    @property
    def rejected(self) -> dict[str, int]:
        """Rejected messages by reason."""
        return self.rejections.counts

    def offer(self, envelope: Envelope) -> Event | None:
        """Apply the ordering rule: an older ``ts`` than the one held is dropped."""
        held = self.held.get(envelope.type)
        if held is not None and not envelope.supersedes(held.envelope):
            self.stale_dropped += 1
            log.info("dropped %s with ts %s: older than the held ts %s",
                     envelope.type, envelope.ts, held.envelope.ts)
            return None
        payload = envelope.encoded
        if held is not None and held.payload == payload:
            # The same message again (e.g. seen both in the hash and on the channel).
            self.duplicates += 1
            return None
        self.seq += 1
        event_id = self.event_id(self.seq).encode("ascii")
        event = Event(
            frame=b"id: " + event_id + b"\nevent: update\ndata: " + payload + b"\n\n",
            type=sys.intern(envelope.type),  # one string per type, not one per event
            seq=self.seq,
        )
        self.held[envelope.type] = Held(envelope, event, payload)
        self._remember(event)
        return event

    def _remember(self, event: Event) -> None:
        """Keep ``event`` for resume, within both the count and the byte bound."""
        self.replay.append(event)
        self._replay_held += replay_cost(event)
        while len(self.replay) > 1 and (len(self.replay) > self.replay_size
                                        or self._replay_held > self.replay_bytes):
            self._replay_held -= replay_cost(self.replay.popleft())

    def merge_snapshot(self, fields: Mapping[bytes | str, bytes | str]) -> list[Event]:
        """Fold in an HGETALL of the state hash; the events for what changed.

        Types missing from the hash are kept: the last good state stays.
        """
        events: list[Event] = []
        for name, raw in fields.items():
            label = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
            event = self.ingest(raw, source=f"state hash field {label!r}")
            if event is not None:
                events.append(event)
        self.loaded = True
        return events

    # output

    def snapshot(self) -> dict[str, Any]:
        """The ``GET /state`` body."""
        return {
            "event_id": self.last_event_id,
            "state": {name: held.envelope.data for name, held in self.held.items()},
        }

    def key(self, name: str) -> dict[str, Any]:
        """The ``GET /key/{type}`` body: the envelope less ``type``, or ``{}``."""
        held = self.held.get(name)
        if held is None:
            return {}
        return held.envelope.without_type()

    def current_events(self, types: frozenset[str] | None) -> list[Event]:
        """The whole state as events, oldest first, so the last id sent is the newest."""
        chosen = (held.event for held in self.held.values()
                  if types is None or held.event.type in types)
        return sorted(chosen, key=lambda ev: ev.seq or 0)

    def events_after(self, last_id: str | None, types: frozenset[str] | None) -> list[Event]:
        """What a client resuming from ``last_id`` must receive to miss nothing.

        No id: nothing (only new events). An id of this run still covered by the
        replay buffer: the events after it. Anything else: the whole state.
        """
        if last_id is None:
            return []
        run, _, seq_text = last_id.strip().rpartition("-")
        if run == self.run_id and seq_text.isdigit():
            seq = int(seq_text)
            if seq == self.seq:
                return []
            oldest = self.replay[0].seq if self.replay else self.seq + 1
            if seq < self.seq and oldest is not None and seq + 1 >= oldest:
                return [ev for ev in self.replay
                        if ev.seq is not None and ev.seq > seq
                        and (types is None or ev.type in types)]
        return self.current_events(types)


def replay_cost(event: Event) -> int:
    """The bytes one event in the replay buffer uses."""
    return len(event.frame) + REPLAY_ENTRY_OVERHEAD


def parse_types(text: str | None) -> frozenset[str] | None:
    """``?types=Weather,AQI`` -> {"Weather", "AQI"}; absent or empty -> None (everything)."""
    if not text:
        return None
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    return names or None


def iter_frames(events: Iterable[Event]) -> list[bytes]:
    return [ev.frame for ev in events]
