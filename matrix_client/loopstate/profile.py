"""The display profile the loop follows (docs/profiles.md), and its local fallback.

The data thread hands profiles over through a :class:`ProfileInbox` (the newest
wins); the loop takes it at its next step and applies it live: rotation, schedules
and conditions, the brightness schedule, the time zone. A field the profile leaves
out, or no profile at all, falls back to :class:`LocalConfig`, what the display's
own files say.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from glanceboard.profile import (
    SPORT_PAGES,
    Profile,
    ProfileError,
    favourite_live,
    game_day,
    games_of,
    parse_profile,
)
from matrix_client.pages.base import PageContext, PageSpec, has_content
from matrix_client.rotation import RotationEntry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalConfig:
    """What the display shows without a profile: its rotation file, its [brightness]
    schedule, its [display] timezone (None: the clock's own zone)."""

    rotation: tuple[RotationEntry, ...]
    brightness: tuple[tuple[int, int], ...] = ()
    zone: tzinfo | None = None


class ProfileInbox:
    """Profiles from the data thread for the render loop; only the newest is kept."""

    def __init__(self, display_id: str, on_offer: Callable[[], None] | None = None) -> None:
        self.display_id = display_id
        self.on_offer = on_offer or (lambda: None)
        self.refused = 0
        self._lock = threading.Lock()
        self._pending: tuple[Profile | None] | None = None

    def offer_json(self, obj: Any, where: str) -> bool:
        """Check a profile as it came (``where`` names from where, for the log) and hand
        it over; a bad one is logged and changes nothing. True if handed over."""
        try:
            profile = parse_profile(obj, display=self.display_id)
        except ProfileError as exc:
            self.refused += 1
            log.warning("profile from %s ignored: %s", where, str(exc)[:300])
            return False
        self.offer(None if profile.version == 0 else profile)
        return True

    def offer(self, profile: Profile | None) -> None:
        """Hand over ``profile`` (None: no profile, the local config)."""
        with self._lock:
            self._pending = (profile,)
        self.on_offer()

    def take(self) -> tuple[Profile | None] | None:
        """The newest profile handed over since the last call, in a 1-tuple; None if none."""
        with self._lock:
            pending, self._pending = self._pending, None
        return pending


class PageFacts:
    """What the ``when`` rules ask about one page now, each answer worked out only when
    asked (glanceboard.profile.Conditions)."""

    def __init__(self, spec: PageSpec | None, context: PageContext,
                 stale: Callable[[PageSpec], bool]) -> None:
        self.spec = spec
        self.context = context
        self._stale = stale

    def has_data(self) -> bool:
        return self.spec is None or has_content(self.spec, self.context)

    def stale(self) -> bool:
        return self.spec is not None and self._stale(self.spec)

    def _games(self) -> tuple[tuple[Any, ...], tuple[str, ...]]:
        name = self.spec.name if self.spec is not None else ""
        kind = SPORT_PAGES.get(name)
        if kind is None:
            return (), ()
        settings = self.context.settings
        favourites = settings.favorite_mlb if name == "mlb" else settings.favorite_nfl
        return games_of(self.context.view(kind)), tuple(favourites)

    def favourite_live(self) -> bool:
        games, favourites = self._games()
        return favourite_live(games, favourites)

    def game_day(self) -> bool:
        games, favourites = self._games()
        now = self.context.now
        return game_day(games, favourites, now.date(), now.tzinfo)


@dataclass(frozen=True)
class Applied:
    """What the loop runs after a profile (or its absence) was applied."""

    rotation: list[RotationEntry]
    brightness: tuple[tuple[int, int], ...]
    zone: tzinfo | None
    version: int


def resolve(profile: Profile | None, local: LocalConfig, exists: Callable[[str], bool],
            build: Callable[[Sequence[Any], Sequence[RotationEntry]], list[RotationEntry]]
            ) -> Applied:
    """The rotation, brightness schedule and zone ``profile`` asks for on this display,
    each falling back to ``local`` where the profile leaves it out. Disabled entries and
    entries naming a page this display does not have (logged) are left out, so that
    ``fwd`` and ``rew`` never land on them; with no page left, the local rotation holds."""
    rotation = list(local.rotation)
    if profile is not None and profile.rotation is not None:
        known = [entry for entry in profile.rotation if exists(entry.page)]
        missing = sorted({entry.page for entry in profile.rotation} - {e.page for e in known})
        if missing:
            log.warning("profile v%d: no page %s on this display; left out",
                        profile.version, ", ".join(missing))
        kept = [entry for entry in known if entry.enabled]
        if kept:
            rotation = build(kept, local.rotation)
        else:
            log.warning("profile v%d: no enabled page this display has; the local "
                        "rotation holds", profile.version)
    brightness = local.brightness
    if profile is not None and profile.brightness is not None:
        brightness = tuple(profile.brightness_schedule() or ())
    zone = local.zone
    if profile is not None and profile.timezone is not None:
        try:
            zone = profile.zone()
        except (ValueError, KeyError, OSError) as exc:  # a zone the server knows, not this Pi
            log.warning("profile v%d: time zone %r unknown here (%s); the local zone holds",
                        profile.version, profile.timezone, exc)
    return Applied(rotation, brightness, zone, profile.version if profile else 0)


def minute_wait(now: datetime, rotation: Sequence[RotationEntry]) -> float:
    """Seconds to the next minute while an entry has a schedule (windows open and close
    on the minute), else inf."""
    if not any(entry.rule is not None and entry.rule.schedule for entry in rotation):
        return math.inf
    return 60 - now.second - now.microsecond / 1e6
