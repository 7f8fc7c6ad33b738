"""What the API server and the KV updater share about messages they turn away.

PROTOCOL section 1: a bad message is logged once with its reason, counted in a
metric, and never stops the process. A flood of bad messages must not flood
the log either, so each kind of line is written at most once per interval;
the lines held back are counted and reported on the next one.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable

from glanceboard.envelope import CONTROL_TYPE, REJECT_REASONS, RejectedMessage, is_control

LOG_INTERVAL = 1.0


class Rejections:
    """Rejected messages counted by reason (``counts``, for /metrics), logged rate-limited."""

    def __init__(self, log: logging.Logger, interval: float = LOG_INTERVAL,
                 reasons: Iterable[str] = REJECT_REASONS) -> None:
        self.log = log
        self.interval = interval
        self.counts: dict[str, int] = dict.fromkeys((*reasons, "internal_error"), 0)
        self._last: dict[str, float] = {}
        self._held_back: dict[str, int] = {}

    def reject(self, exc: RejectedMessage, where: str) -> None:
        """Count ``exc`` and log it, naming ``where`` the message came from."""
        self.count(exc.reason, exc.detail, where)

    def count(self, reason: str, detail: str, where: str) -> None:
        """Count one rejection by ``reason`` and log it (rate-limited per reason)."""
        self.counts[reason] = self.counts.get(reason, 0) + 1
        self.note(reason, logging.WARNING, "rejected a message from %s: %s: %s",
                  where, reason, detail)

    def failed(self, exc: Exception, where: str) -> None:
        """A message that broke our own code: counted as ``internal_error`` and logged with
        its traceback (rate-limited), so that a bug costs one message, not the process."""
        self.counts["internal_error"] = self.counts.get("internal_error", 0) + 1
        self.note("internal_error", logging.ERROR, "could not handle a message from %s: %s: %s",
                  where, type(exc).__name__, exc, exc_info=exc)

    def note(self, key: str, level: int, msg: str, *args: object,
             exc_info: BaseException | None = None) -> bool:
        """Log ``msg`` unless a line with the same ``key`` went out within the interval;
        whether it was logged."""
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._held_back[key] = self._held_back.get(key, 0) + 1
            return False
        self._last[key] = now
        more = self._held_back.pop(key, 0)
        self.log.log(level, msg + "%s", *args,
                     f" (and {more} more like it since the last line)" if more else "",
                     exc_info=exc_info)
        return True


def looks_like_control(raw: bytes | str) -> bool:
    """A web control command (``{"type": "webcontrol", ...}``) sent on the data channel.

    It lacks the envelope fields, so it fails validation; it is not data either,
    and is ignored quietly rather than logged as malformed. Cheap for the usual
    malformed message: it is parsed only if the marker is there at all.
    """
    needle: bytes | str = CONTROL_TYPE if isinstance(raw, str) else CONTROL_TYPE.encode()
    if needle not in raw:  # type: ignore[operator]
        return False
    try:
        return is_control(json.loads(raw))
    except (ValueError, RecursionError):
        return False
