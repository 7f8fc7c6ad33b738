"""The client's copy of the state: one envelope per type, ordered by ``ts``.

Written by the sync thread, read by the render loop. Each type carries a
version number that grows on every accepted change, so the loop asks "what
changed since version N" instead of comparing payloads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from glanceboard.envelope import Envelope, is_not_older


@dataclass(frozen=True)
class Snapshot:
    """A consistent view: envelopes by type, and the versions they had."""

    state: Mapping[str, Mapping[str, Any]]
    versions: Mapping[str, int]
    version: int  # the store-wide counter; grows with any change


class StateStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, dict[str, Any]] = {}
        self._ts: dict[str, int | None] = {}
        self._versions: dict[str, int] = {}
        self._version = 0
        self._changed = threading.Condition(self._lock)

    def apply(self, envelope: Envelope) -> bool:
        """Keep ``envelope`` unless an newer ``ts`` is held; True if it was kept."""
        with self._lock:
            return self._apply_locked(envelope)

    def apply_many(self, envelopes: Iterable[Envelope]) -> int:
        """Apply several under one lock (a snapshot from ``/state``); returns how many kept."""
        with self._lock:
            return sum(self._apply_locked(envelope) for envelope in envelopes)

    def _apply_locked(self, envelope: Envelope) -> bool:
        if envelope.type in self._state and not is_not_older(envelope.ts, self._ts[envelope.type]):
            return False
        if self._state.get(envelope.type) == envelope.data:
            return False  # the same message again (a resume replay): nothing to redraw
        self._state[envelope.type] = envelope.data
        self._ts[envelope.type] = envelope.ts
        self._version += 1
        self._versions[envelope.type] = self._version
        self._changed.notify_all()
        return True

    def snapshot(self) -> Snapshot:
        with self._lock:
            return Snapshot(dict(self._state), dict(self._versions), self._version)

    @property
    def version(self) -> int:
        with self._lock:
            return self._version

    def get(self, kind: str) -> Mapping[str, Any] | None:
        with self._lock:
            return self._state.get(kind)

    def wait_for_change(self, after_version: int, timeout: float) -> int:
        """Block until the store-wide version passes ``after_version`` or ``timeout``."""
        with self._lock:
            self._changed.wait_for(lambda: self._version > after_version, timeout)
            return self._version
