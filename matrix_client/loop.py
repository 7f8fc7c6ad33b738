"""The render loop: which page, when to draw it, and what to push to the display.

One thread, driven by an injectable clock. Each :meth:`RenderLoop.step`
handles pending web control commands, follows the rotation, renders the
current page only when its picture can have changed (page switched, one of
its types changed in the store, its ``ttl`` ran out), lays the overlay over
it, and pushes the result only when it differs from the last pushed picture.
It returns how long nothing can change by time alone, and :meth:`run` sleeps
that long unless the data thread wakes it.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from PIL import Image

from glanceboard.timefmt import TimeFormatError, parse_time
from matrix_client.brightness import scheduled_brightness
from matrix_client.cache import CacheWriter
from matrix_client.clock import Clock
from matrix_client.control import Command, parse_command
from matrix_client.display.base import Display
from matrix_client.overlay import Overlay, compose
from matrix_client.pages import get_page
from matrix_client.pages.base import (
    PageContext,
    PageFrame,
    PageSettings,
    PageSpec,
    error_frame,
    failed_frame,
    render_checked,
)
from matrix_client.pages.overlays import notify_overlay
from matrix_client.rotation import RotationEntry
from matrix_client.sdnotify import SystemdNotifier
from matrix_client.store import Snapshot, StateStore

log = logging.getLogger(__name__)

ALERT_SECONDS = 30.0  # how long "out" shows the garbage alert
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
    ) -> None:
        if not rotation:
            raise ValueError("the rotation is empty")
        self.display = display
        self.store = store
        self.rotation = list(rotation)
        self.clock = clock
        self.settings = settings or PageSettings()
        self.controls = controls if controls is not None else queue.Queue()
        self.link = link
        self.base_brightness = brightness
        self.schedule = tuple(brightness_schedule)
        self.stale_mark = stale_mark
        # Clocks of producer and display differ a little; don't flag data seconds past valid.
        self.stale_grace = timedelta(seconds=stale_grace)
        self.max_fps = max_fps
        self.cache = cache
        self.notifier = notifier or SystemdNotifier({})
        self.page_lookup = page_lookup
        self.started = started or clock.now()
        self.wake = threading.Event()
        self.stats = LoopStats()

        self.index = 0
        self.paused = False
        self.forced: RotationEntry | None = None  # a `page` command's page outside the rotation
        self._entry_started = clock.monotonic()
        self._notify_text = ""
        self._notify_until = -math.inf
        self._notify_layer: Image.Image | None = None
        self._notify_redraw = -math.inf  # when the banner needs its next scroll step
        self._notify_step = 0
        self._alert_until = -math.inf
        self._brightness_override: tuple[int, int] | None = None  # (value, schedule level then)
        self._brightness_shown: int | None = None

        self._page_name: str | None = None
        self._page_versions: tuple[int, ...] | None = None
        self._page_stream_ok = True
        self._page_image: Image.Image | None = None
        self._page_expires = -math.inf
        self._rendered_at = -math.inf
        self._overlay: Overlay | None = None
        self._pushed: bytes | None = None
        self._valid_cache: dict[tuple[str, int], datetime | None] = {}
        self._failed_pages: set[tuple[str, str]] = set()  # (page, failure kind) logged
        self._specs: dict[str, PageSpec] = {}

    # --- what is on screen ----------------------------------------------------------------

    @property
    def entry(self) -> RotationEntry:
        return self.forced or self.rotation[self.index]

    @property
    def stream_ok(self) -> bool:
        return True if self.link is None else self.link.connected

    @property
    def brightness(self) -> int:
        return self._brightness_shown if self._brightness_shown is not None else 100

    # --- control --------------------------------------------------------------------------

    def _drain_controls(self, mono: float) -> None:
        while True:
            try:
                obj = self.controls.get_nowait()
            except queue.Empty:
                return
            command = parse_command(obj)
            if command is not None:
                self.handle(command, mono)

    def handle(self, command: Command, mono: float | None = None) -> None:
        """Carry out one web control command (PROTOCOL section 5)."""
        mono = self.clock.monotonic() if mono is None else mono
        log.info("control: %s", command.name)
        if command.name != "out":
            self._alert_until = -math.inf  # any other command dismisses the alert
        if command.name == "pp":
            self.paused = not self.paused
            if not self.paused:
                self.forced = None
                self._entry_started = mono
        elif command.name in ("fwd", "rew"):
            step = 1 if command.name == "fwd" else -1
            self.forced = None
            self.index = (self.index + step) % len(self.rotation)
            self.paused = True
            self._entry_started = mono
        elif command.name == "out":
            self._alert_until = mono + ALERT_SECONDS
        elif command.name == "reload":
            if self.link is not None:
                self.link.reload()
        elif command.name == "brightness":
            level = scheduled_brightness(self.schedule, self.clock.now(), self.base_brightness)
            self._brightness_override = (int(command.value or 0), level)
        elif command.name == "page":
            self._show_page(command.text, mono)
        elif command.name == "notify":
            self._notify_text = command.text
            self._notify_until = mono + float(command.value or 10)
            self._notify_redraw = -math.inf

    def _show_page(self, name: str, mono: float) -> None:
        for n, entry in enumerate(self.rotation):
            if entry.page == name:
                self.index, self.forced = n, None
                break
        else:
            try:
                self._spec(name)
            except KeyError as exc:
                log.warning("page command: %s", exc.args[0])
                return
            self.forced = RotationEntry(page=name)
        self.paused = True
        self._entry_started = mono

    # --- one step -------------------------------------------------------------------------

    def _spec(self, name: str) -> PageSpec:
        spec = self._specs.get(name)
        if spec is None:
            spec = self._specs[name] = self.page_lookup(name)
        return spec

    def _alert_page(self) -> PageSpec | None:
        """The registered ``out`` page, or None (then the overlay draws a plain alert)."""
        try:
            return self._spec(ALERT_PAGE)
        except KeyError:
            return None

    def _update_brightness(self, now: datetime) -> None:
        level = scheduled_brightness(self.schedule, now, self.base_brightness)
        override = self._brightness_override
        if override is not None and override[1] != level:
            self._brightness_override = override = None  # the schedule moved on: it wins again
        wanted = override[0] if override is not None else level
        if wanted != self._brightness_shown:
            self.display.set_brightness(wanted)
            self._brightness_shown = wanted

    def _advance_rotation(self, mono: float) -> None:
        if self.paused or self.forced is not None:
            return
        if mono - self._entry_started >= self.rotation[self.index].seconds:
            self.index = (self.index + 1) % len(self.rotation)
            self._entry_started = mono

    def _versions(self, spec: PageSpec, snapshot: Snapshot) -> tuple[int, ...]:
        if "*" in spec.types:
            return (snapshot.version,)
        return tuple(snapshot.versions.get(kind, 0) for kind in spec.types)

    def _valid_until(self, kind: str, snapshot: Snapshot) -> datetime | None:
        key = (kind, snapshot.versions.get(kind, 0))
        if key not in self._valid_cache:
            if len(self._valid_cache) > 256:
                self._valid_cache.clear()
            envelope = snapshot.state.get(kind)
            try:
                valid = parse_time(envelope["valid"]) if envelope else None
                self._valid_cache[key] = valid + self.stale_grace if valid else None
            except (TimeFormatError, KeyError, TypeError, OverflowError):
                # OverflowError: valid within the grace of year 9999, i.e. never stale.
                self._valid_cache[key] = None
        return self._valid_cache[key]

    def _staleness(self, spec: PageSpec, snapshot: Snapshot, now: datetime
                   ) -> tuple[bool, float]:
        """(is any of the page's data past ``valid``, seconds until the next one expires)."""
        kinds = list(snapshot.state) if "*" in spec.types else spec.types
        stale, next_expiry = False, math.inf
        for kind in kinds:
            valid = self._valid_until(kind, snapshot)
            if valid is None:
                continue
            left = (valid - now).total_seconds()
            if left <= 0:
                stale = True
            else:
                next_expiry = min(next_expiry, left)
        return stale, next_expiry

    def _render(self, spec: PageSpec, snapshot: Snapshot, now: datetime) -> PageFrame:
        width, height = self.display.size
        context = PageContext(state=snapshot.state, now=now, width=width, height=height,
                              settings=self.settings, started=self.started,
                              stream_ok=self.stream_ok)
        try:
            return render_checked(spec, context)
        except Exception as exc:  # noqa: BLE001 - a page must never stop the display
            self.stats.page_errors += 1
            return failed_frame(spec.name, exc, (width, height), self._failed_pages)

    def step(self) -> float:
        """Do what is due now; return the seconds until something is due by time alone."""
        self.stats.steps += 1
        mono = self.clock.monotonic()
        now = self.clock.now()
        self._drain_controls(mono)
        self._update_brightness(now)
        self._advance_rotation(mono)
        entry = self.entry
        try:
            spec = self._spec(entry.page)
        except KeyError as exc:
            log.error("%s", exc.args[0])
            spec = PageSpec(entry.page, lambda ctx: error_frame(*ctx.size, entry.page))
            self._specs[entry.page] = spec
        alert_page = self._alert_page() if mono < self._alert_until else None
        if alert_page is not None:
            spec = alert_page  # "out": the alert page stands in for the page, then it returns
        snapshot = self.store.snapshot()
        versions = self._versions(spec, snapshot)
        frame_gap = 1.0 / max(1, min(entry.frames, self.max_fps))

        stream_ok = self.stream_ok
        due = (
            spec.name != self._page_name
            or versions != self._page_versions
            or stream_ok != self._page_stream_ok  # pages may draw a lost link their own way
            or mono >= max(self._page_expires, self._rendered_at + frame_gap)
        )
        if due:
            frame = self._render(spec, snapshot, now)
            self.stats.renders += 1
            self._page_image = frame.image
            self._page_name, self._page_versions = spec.name, versions
            self._page_stream_ok = stream_ok
            self._rendered_at = mono
            self._page_expires = mono + max(0.0, frame.ttl)

        stale, next_expiry = self._staleness(spec, snapshot, now)
        notify = self._notify_text if mono < self._notify_until else ""
        if notify and mono >= self._notify_redraw:
            banner = notify_overlay(notify, now, self.display.size)
            self._notify_layer = banner.image
            self._notify_step += 1
            self._notify_redraw = mono + max(banner.ttl, 1.0 / self.max_fps)
        overlay = Overlay(stale=self.stale_mark and (stale or not stream_ok),
                          notify=notify,
                          alert=mono < self._alert_until and alert_page is None,
                          notify_step=self._notify_step if notify else 0,
                          notify_layer=self._notify_layer if notify else None)
        if due or overlay != self._overlay:
            self._overlay = overlay
            assert self._page_image is not None
            picture = compose(self._page_image, overlay)
            raw = picture.tobytes()
            if raw != self._pushed:  # same picture (e.g. a clock within its minute): no push
                self.display.show(picture)
                self._pushed = raw
                self.stats.pushes += 1
                if snapshot.version and not self.stats.data_shown:
                    self.stats.data_shown = True
                    log.info("first frame with data on screen")

        if self.cache is not None:
            self.cache.tick()
        self.notifier.watchdog(mono)
        return self._next_wake(mono, now, entry, frame_gap, next_expiry)

    def _next_wake(self, mono: float, now: datetime, entry: RotationEntry, frame_gap: float,
                   next_expiry: float) -> float:
        waits = [MAX_SLEEP, next_expiry,
                 max(self._page_expires, self._rendered_at + frame_gap) - mono]
        if not self.paused and self.forced is None:
            waits.append(self._entry_started + entry.seconds - mono)
        for until in (self._notify_until, self._alert_until):
            if until > mono:
                waits.append(until - mono)
        if self._notify_until > mono:
            waits.append(self._notify_redraw - mono)
        if self.schedule:
            waits.append(60 - now.second - now.microsecond / 1e6)
        if self.cache is not None and self.cache.store.version != self.cache.written_version:
            waits.append(self.cache.delay)
        if self.notifier.watchdog_interval is not None:
            waits.append(self.notifier.watchdog_interval)
        return max(0.0, min(waits))

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
