"""What the game producers (MLB, NFL) share: a shorter period while a game is live.

A subclass says how to find the games in its values and which are live; this
base reads ``--live-period`` and wakes the producer at the next start at the
latest, so the first pitch or kickoff is never missed by a long period.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from server.producers.base import Producer, option, positive_number

DEFAULT_LIVE_PERIOD = 30.0
START_GRACE = 5.0  # seconds after a start: the source has the game live by then


def sports_period(starts: list[datetime], now: datetime, period: float,
                  live_period: float, live: bool) -> float:
    """``live_period`` while a game is on; otherwise wake at the next start at the latest."""
    if live:
        return min(period, live_period)
    waits = [(start - now).total_seconds() for start in starts if start > now]
    if waits:
        return max(min(period, min(waits) + START_GRACE), min(period, live_period))
    return period


class GameProducer(Producer):
    """A producer of a day's games: faster while one is live (see the module docstring)."""

    @classmethod
    def add_live_period_argument(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--live-period", type=float, env="LIVE_PERIOD",
               default=DEFAULT_LIVE_PERIOD, help="seconds between fetches while a game is live")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set by fetch() to the clock it read: the next period counts from what it saw.
        self.fetched_at: datetime | None = None

    def games(self, values: Any) -> Sequence[Any]:
        """The typed game views (each with ``start`` and ``live``) in one message's values."""
        raise NotImplementedError(f"{type(self).__name__} must define games()")

    def live_period(self) -> float:
        raw = self.setting("live_period", DEFAULT_LIVE_PERIOD, env="LIVE_PERIOD")
        return positive_number(raw, f"{self.name}: --live-period (env LIVE_PERIOD)")

    def next_period(self, messages: dict[str, Any]) -> float | None:
        games = self.games(messages.get(self.type))
        starts = [g.start for g in games if g.start is not None]
        return sports_period(starts, self.fetched_at or self.now(), self.configured_period(),
                             self.live_period(), any(g.live for g in games))
