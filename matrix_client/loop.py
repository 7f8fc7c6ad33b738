"""The render loop: which page, when to draw it, and what to push to the display.

One thread, driven by an injectable clock; the state lives in small objects by
job (:mod:`matrix_client.loopstate`). Each :meth:`RenderLoop.step`
handles pending web control commands, follows the rotation, renders the
current page only when its picture can have changed (page switched, one of
its types changed in the store, its ``ttl`` ran out), lays the overlay over
it, and pushes the result only when it differs from the last pushed picture.
It returns how long nothing can change by time alone, and :meth:`run` sleeps
that long unless the data thread wakes it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, Protocol

from glanceboard.profile import Profile, entry_due
from matrix_client.cache import CacheWriter
from matrix_client.clock import Clock
from matrix_client.control import Command
from matrix_client.display.base import Display
from matrix_client.loopstate.brightness import BrightnessState
from matrix_client.loopstate.commands import CommandDispatcher
from matrix_client.loopstate.notices import (
    ALERT_SECONDS,
    AlertState,
    Banner,
    Notice,
    Notifications,
)
from matrix_client.loopstate.pages import PageBook
from matrix_client.loopstate.profile import (
    LocalConfig,
    PageFacts,
    ProfileInbox,
    minute_wait,
    resolve,
)
from matrix_client.loopstate.push import FramePush
from matrix_client.loopstate.render_cache import RenderCache, data_versions
from matrix_client.loopstate.rotation import RotationState
from matrix_client.loopstate.staleness import Staleness
from matrix_client.loopstate.upkeep import Upkeep
from matrix_client.overlay import Overlay
from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext, PageSettings, PageSpec, has_content
from matrix_client.rotation import RotationEntry, profile_rotation
from matrix_client.sdnotify import SystemdNotifier
from matrix_client.store import Snapshot, StateStore

log = logging.getLogger(__name__)

__all__ = ["ALERT_SECONDS", "Link", "LoopStats", "RenderLoop"]

ALERT_PAGE = "out"  # the page that draws it, when registered
MAX_SLEEP = 60.0


class Link(Protocol):
    """What the loop needs from the data thread."""

    @property
    def connected(self) -> bool: ...

    def reload(self) -> None: ...


@dataclass
class LoopStats:
    renders: int = 0
    pushes: int = 0
    steps: int = 0
    page_errors: int = 0
    data_shown: bool = False


class RenderLoop:
    """Steps the loop's state objects (:mod:`matrix_client.loopstate`) in order.

    The attributes other code reads (``entry``, ``paused``, ``index``, ``forced``,
    ``brightness``, ``stats``, ``link``, ``controls``, ``wake``) stay as before.
    """

    def __init__(
        self,
        display: Display,
        store: StateStore,
        rotation: Sequence[RotationEntry],
        *,
        clock: Clock,
        settings: PageSettings | None = None,
        controls: queue.Queue[dict[str, Any]] | None = None,
        link: Link | None = None,
        brightness: int = 100,
        brightness_schedule: Sequence[tuple[int, int]] = (),
        stale_mark: bool = True,
        stale_grace: float = 0.0,
        max_fps: int = 20,
        cache: CacheWriter | None = None,
        notifier: SystemdNotifier | None = None,
        page_lookup: Callable[[str], PageSpec] = get_page,
        started: datetime | None = None,
        profiles: ProfileInbox | None = None,
        local_zone: tzinfo | None = None,
    ) -> None:
        self.display = display
        self.store = store
        self.clock = clock
        self.turns = RotationState(rotation, clock.monotonic())
        self.settings = settings or PageSettings()
        self.controls = controls if controls is not None else queue.Queue()
        self.link = link
        self.stale_mark = stale_mark
        self.max_fps = max_fps
        self.cache = cache
        self.notifier = notifier or SystemdNotifier({})
        self.started = started or clock.now()
        self.wake = threading.Event()
        self.stats = LoopStats()

        self.pages = PageBook(page_lookup)
        self.commands = CommandDispatcher(self.controls, {
            "pp": lambda c, mono: self.turns.toggle_pause(mono),
            "fwd": lambda c, mono: self.turns.step_by(1, mono),
            "rew": lambda c, mono: self.turns.step_by(-1, mono),
            "out": lambda c, mono: self.alert.start(mono),
            "reload": lambda c, mono: self.link.reload() if self.link is not None else None,
            "brightness": lambda c, mono: self.light.set_override(int(c.value or 0),
                                                                  self.now()),
            "page": lambda c, mono: self.turns.show(c.text, mono, self.pages.exists),
            "notify": lambda c, mono: self.notifications.notify(
                Notice(c.text, float(c.value or 10), c.level, c.icon, c.blink), mono),
            "dismiss": lambda c, mono: self.notifications.dismiss(mono),
        }, before=self._before_command)
        self.light = BrightnessState(brightness, brightness_schedule)
        self.alert = AlertState()
        self.notifications = Notifications()
        self.banner = Banner(display.size, max_fps)
        self.staleness = Staleness(stale_grace)
        self.rendered = RenderCache()
        self.push = FramePush(display)
        self.upkeep = Upkeep(cache, self.notifier)
        # The display profile (docs/profiles.md): what it falls back to, what it runs.
        self.local = LocalConfig(tuple(rotation), tuple(brightness_schedule), local_zone)
        self.profiles = profiles
        self.profile: Profile | None = None
        self.zone: tzinfo | None = local_zone  # None: the clock's own zone

    # --- what is on screen ----------------------------------------------------------------

    @property
    def rotation(self) -> list[RotationEntry]:
        return self.turns.entries

    @property
    def entry(self) -> RotationEntry:
        return self.turns.entry

    @property
    def paused(self) -> bool:
        return self.turns.paused

    @property
    def index(self) -> int:
        return self.turns.index

    @property
    def forced(self) -> RotationEntry | None:
        return self.turns.forced

    @property
    def stream_ok(self) -> bool:
        return True if self.link is None else self.link.connected

    @property
    def profile_version(self) -> int:
        """The version of the profile applied (0: none, the local config)."""
        return self.profile.version if self.profile is not None else 0

    @property
    def brightness(self) -> int:
        shown = self.light.shown
        return shown if shown is not None else 100

    # --- control --------------------------------------------------------------------------

    def now(self) -> datetime:
        """The wall clock in the display's zone (the profile's, else the local one)."""
        now = self.clock.now()
        return now.astimezone(self.zone) if self.zone is not None else now

    # --- the profile ----------------------------------------------------------------------

    def apply_profile(self, profile: Profile | None, mono: float | None = None) -> None:
        """Follow ``profile`` from now on (None: the local config), without a restart."""
        mono = self.clock.monotonic() if mono is None else mono
        applied = resolve(profile, self.local, lambda name: self.pages.find(name) is not None,
                          profile_rotation)
        self.turns.replace(applied.rotation, mono)
        self.light.schedule = applied.brightness
        self.zone = applied.zone
        self.profile = profile
        self.rendered = RenderCache()  # a new zone or rotation: draw afresh
        if self.cache is not None:
            self.cache.set_profile(profile.to_json() if profile is not None else None)
        log.info("profile: %s", f"v{profile.version} applied" if profile is not None
                 else "none; the local config holds")

    def _take_profile(self, mono: float) -> None:
        if self.profiles is None:
            return
        taken = self.profiles.take()
        if taken is not None:
            profile = taken[0]
            if profile != self.profile:
                self.apply_profile(profile, mono)

    def _before_command(self, command: Command, mono: float) -> None:
        if command.name != "out":
            self.alert.end()  # any other command dismisses the alert

    def handle(self, command: Command, mono: float | None = None) -> None:
        """Carry out one web control command (PROTOCOL section 5)."""
        self.commands.dispatch(command, self.clock.monotonic() if mono is None else mono)

    # --- one step -------------------------------------------------------------------------

    def _page_for(self, entry: RotationEntry, mono: float) -> tuple[PageSpec, bool]:
        """The page to render and whether the overlay draws a plain alert: the ``out``
        page stands in for the entry's page while the alert is on, when registered."""
        spec = self.pages.spec_or_card(entry.page)
        if not self.alert.active(mono):
            return spec, False
        alert_page = self.pages.find(ALERT_PAGE)
        return (alert_page, False) if alert_page is not None else (spec, True)

    def _context(self, snapshot: Snapshot, now: datetime) -> PageContext:
        width, height = self.display.size
        return PageContext(state=snapshot.state, now=now, width=width, height=height,
                           settings=self.settings, started=self.started,
                           stream_ok=self.stream_ok)

    def _shows(self, entry: RotationEntry, snapshot: Snapshot, now: datetime) -> bool:
        """Whether ``entry`` earns its turn: its page has real data, or the entry asks to
        be shown anyway (a page that does not exist shows its error card)."""
        spec = self.pages.find(entry.page)
        if entry.rule is not None:  # a profile's entry: its own rules
            facts = PageFacts(spec, self._context(snapshot, now),
                              lambda page: self.staleness.check(page, snapshot, now)[0])
            return entry_due(entry.rule, now, facts)
        if entry.show_empty:
            return True
        return spec is None or has_content(spec, self._context(snapshot, now))

    def step(self) -> float:
        """Do what is due now; return the seconds until something is due by time alone."""
        self.stats.steps += 1
        mono = self.clock.monotonic()
        self._take_profile(mono)
        now = self.now()
        self.commands.drain(mono)
        self.light.apply(now, self.display)
        snapshot = self.store.snapshot()
        self.turns.advance(mono, lambda entry: self._shows(entry, snapshot, now))
        entry = self.turns.entry
        spec, plain_alert = self._page_for(entry, mono)
        versions = data_versions(spec, snapshot)
        frame_gap = 1.0 / max(1, min(entry.frames, self.max_fps))
        stream_ok = self.stream_ok
        due = self.rendered.due(spec.name, versions, stream_ok, mono, frame_gap)
        if due:
            frame = self.pages.render(spec, self._context(snapshot, now))
            self.stats.renders += 1
            self.stats.page_errors = self.pages.errors
            self.rendered.keep(spec.name, versions, stream_ok, frame, mono)

        stale, next_expiry = self.staleness.check(spec, snapshot, now)
        notice = self.notifications.on_screen(mono)
        self.banner.update(notice, mono, now)
        notify = notice.text if notice is not None else ""
        overlay = Overlay(stale=self.stale_mark and (stale or not stream_ok),
                          notify=notify, alert=plain_alert,
                          notify_step=self.banner.step if notify else 0,
                          notify_layer=self.banner.layer if notify else None)
        assert self.rendered.image is not None
        if self.push.offer(self.rendered.image, overlay, due):
            self.stats.pushes += 1
            if snapshot.version and not self.stats.data_shown:
                self.stats.data_shown = True
                log.info("first frame with data on screen")

        self.upkeep.tick(mono)
        return max(0.0, min(MAX_SLEEP, next_expiry, self.rendered.wait(mono, frame_gap),
                            self.turns.wait(mono), self.alert.wait(mono),
                            self.notifications.wait(mono), self.banner.wait(mono),
                            self.light.wait(now), self.upkeep.wait(),
                            minute_wait(now, self.turns.entries)))

    # --- running --------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Step until ``stop`` is set; the data thread sets :attr:`wake` on news."""
        first = True
        while not stop.is_set():
            self.wake.clear()
            delay = self.step()
            if first:
                self.notifier.ready()
                first = False
            if stop.is_set():
                break
            self.wake.wait(delay)

    def shutdown(self) -> None:
        """Leave the panel dark and the cache written."""
        self.notifier.stopping()
        if self.cache is not None:
            self.cache.flush()
        try:
            self.display.clear()
        finally:
            self.display.close()
