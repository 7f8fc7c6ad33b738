"""Whether a page's data is past its ``valid`` time, and when the next of it will be."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from glanceboard.timefmt import TimeFormatError, parse_time
from matrix_client.pages.base import PageSpec
from matrix_client.store import Snapshot

MAX_REMEMBERED = 256  # parsed ``valid`` times kept; far more than the types a display sees


class Staleness:
    """Parses each message's ``valid`` once per version; ``grace`` forgives clock skew
    between producer and display."""

    def __init__(self, grace: float = 0.0) -> None:
        self.grace = timedelta(seconds=grace)
        self._valid: dict[tuple[str, int], datetime | None] = {}

    def valid_until(self, kind: str, snapshot: Snapshot) -> datetime | None:
        key = (kind, snapshot.versions.get(kind, 0))
        if key not in self._valid:
            if len(self._valid) > MAX_REMEMBERED:
                self._valid.clear()
            envelope = snapshot.state.get(kind)
            try:
                valid = parse_time(envelope["valid"]) if envelope else None
                self._valid[key] = valid + self.grace if valid else None
            except (TimeFormatError, KeyError, TypeError, OverflowError):
                # OverflowError: valid within the grace of year 9999, i.e. never stale.
                self._valid[key] = None
        return self._valid[key]

    def check(self, spec: PageSpec, snapshot: Snapshot, now: datetime) -> tuple[bool, float]:
        """(is any of the page's data past ``valid``, seconds until the next one expires)."""
        kinds = list(snapshot.state) if "*" in spec.types else spec.types
        stale, next_expiry = False, math.inf
        for kind in kinds:
            valid = self.valid_until(kind, snapshot)
            if valid is None:
                continue
            left = (valid - now).total_seconds()
            if left <= 0:
                stale = True
            else:
                next_expiry = min(next_expiry, left)
        return stale, next_expiry
