"""The state cache on disk, so a reboot without network shows the last state at once.

It keeps the display's last profile too (docs/profiles.md), so such a reboot follows
the profile rather than the local config.

Writes are atomic (temporary file in the same directory, fsync, os.replace):
a power cut leaves either the old file or the new one, never half of one.
Writes are debounced by the caller's clock: many updates in a burst make one
write, which spares the Pi's SD card.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glanceboard.envelope import Envelope, RejectedMessage, validate_object
from matrix_client.store import StateStore

log = logging.getLogger(__name__)

CACHE_FORMAT = 1


def load_cache(path: Path) -> list[Envelope]:
    """The envelopes saved in ``path``; an unreadable or bad file yields none (logged)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("state cache %s unreadable: %s", path, exc)
        return []
    try:
        data = json.loads(text)
        state = data["state"] if isinstance(data, dict) else None
        if not isinstance(state, dict):
            raise ValueError("no 'state' object")
    except (ValueError, KeyError, RecursionError) as exc:  # RecursionError: a garbled file
        log.warning("state cache %s ignored: %s", path, type(exc).__name__ if
                    isinstance(exc, RecursionError) else exc)
        return []
    envelopes = []
    for kind, obj in state.items():
        try:
            envelopes.append(validate_object(obj))
        except RejectedMessage as exc:
            log.warning("state cache %s: entry %r ignored: %s", path, kind, exc)
    return envelopes


def load_cached_profile(path: Path) -> dict[str, Any] | None:
    """The profile saved in ``path`` as it came from the server (checked by whoever applies
    it), or None; a missing or unreadable file yields None (the state loader logs it)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    profile = data.get("profile") if isinstance(data, dict) else None
    return profile if isinstance(profile, dict) else None


def write_cache(path: Path, state: dict, profile: dict[str, Any] | None = None) -> None:
    """Atomically replace ``path`` with ``state`` (and the display's ``profile``, if any)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {"format": CACHE_FORMAT, "state": state}
    if profile is not None:
        document["profile"] = profile
    payload = json.dumps(document, separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # Readable by all: the client loads it at start as root without CAP_DAC_OVERRIDE,
        # while the driver's drop to daemon made daemon the owner. It holds only what the
        # API serves anyway.
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class CacheWriter:
    """Writes the store after it changed, at most once per ``delay`` seconds.

    Driven by the render loop's :meth:`tick` (no thread of its own), and
    :meth:`flush` on shutdown.
    """

    def __init__(self, store: StateStore, path: Path, delay: float,
                 clock: Callable[[], float]) -> None:
        self.store = store
        self.path = path
        self.delay = delay
        self.clock = clock
        self._written_version = store.version
        self._dirty_since: float | None = None
        self.writes = 0
        self.profile: dict[str, Any] | None = None
        self._profile_dirty = False

    def set_profile(self, profile: dict[str, Any] | None) -> None:
        """Keep ``profile`` (None: none) with the state from the next write on."""
        if profile != self.profile:
            self.profile = profile
            self._profile_dirty = True

    @property
    def pending(self) -> bool:
        """Whether something changed since the last write."""
        return self._profile_dirty or self.store.version != self._written_version

    @property
    def written_version(self) -> int:
        return self._written_version

    def tick(self) -> None:
        if not self.pending:
            return
        now = self.clock()
        if self._dirty_since is None:
            self._dirty_since = now
        if now - self._dirty_since >= self.delay:
            self.flush()

    def flush(self) -> None:
        snapshot = self.store.snapshot()
        if snapshot.version == self._written_version and not self._profile_dirty:
            return
        try:
            write_cache(self.path, dict(snapshot.state), self.profile)
        except OSError as exc:
            # A full or read-only card must not stop the display; try again later.
            log.warning("state cache %s not written: %s", self.path, exc)
            self._dirty_since = self.clock()
            return
        self._written_version = snapshot.version
        self._profile_dirty = False
        self._dirty_since = None
        self.writes += 1
