"""The render loop's state objects, each on its own (the loop together: test_client_loop)."""

from __future__ import annotations

import math
import queue
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from matrix_client.cache import CacheWriter
from matrix_client.display.headless import HeadlessDisplay
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
from matrix_client.loopstate.push import FramePush
from matrix_client.loopstate.render_cache import RenderCache, data_versions
from matrix_client.loopstate.rotation import RotationState
from matrix_client.loopstate.staleness import Staleness
from matrix_client.loopstate.upkeep import Upkeep
from matrix_client.overlay import Overlay
from matrix_client.pages.base import PageContext, PageFrame, PageSpec, error_frame
from matrix_client.rotation import RotationEntry
from matrix_client.sdnotify import SystemdNotifier
from matrix_client.store import Snapshot, StateStore

NOW = datetime(2026, 11, 26, 21, 59, 30, tzinfo=UTC)


def snapshot(versions: dict[str, int], state: dict | None = None) -> Snapshot:
    return Snapshot(state=state or {k: {} for k in versions}, versions=versions,
                    version=sum(versions.values()))


# --- rotation -------------------------------------------------------------------------------


def test_rotation_moves_on_after_each_entrys_seconds() -> None:
    turns = RotationState([RotationEntry("a", 10), RotationEntry("b", 5)], 0.0)
    assert turns.wait(3.0) == 7.0
    assert not turns.advance(9.9) and turns.entry.page == "a"
    assert turns.advance(10.0) and turns.entry.page == "b"
    assert turns.wait(10.0) == 5.0
    assert turns.advance(15.0) and turns.entry.page == "a"


def test_rotation_pause_step_and_forced_page_hold_it() -> None:
    turns = RotationState([RotationEntry("a", 10), RotationEntry("b", 5)], 0.0)
    turns.step_by(-1, 1.0)
    assert turns.entry.page == "b" and turns.paused and turns.wait(1.0) == math.inf
    assert not turns.advance(100.0)
    assert turns.show("c", 2.0, lambda name: name == "c")
    assert turns.entry.page == "c" and turns.forced is not None
    assert not turns.show("nope", 3.0, lambda name: False)
    assert turns.entry.page == "c"  # unchanged
    assert turns.show("a", 4.0, lambda name: False)  # in the rotation: no lookup needed
    assert turns.entry.page == "a" and turns.forced is None
    turns.toggle_pause(5.0)
    assert not turns.paused and turns.wait(5.0) == 10.0


def test_rotation_skips_entries_with_nothing_to_show() -> None:
    entries = [RotationEntry("a", 10), RotationEntry("b", 5), RotationEntry("c", 5)]
    turns = RotationState(entries, 0.0)
    showing = {"a": True, "b": False, "c": True}
    shows = lambda entry: showing[entry.page]  # noqa: E731
    assert turns.advance(10.0, shows) and turns.entry.page == "c"  # b skipped
    showing["c"] = False  # the page on screen lost its content: move on at once
    assert turns.advance(11.0, shows) and turns.entry.page == "a"
    showing["a"] = False  # nothing shows anywhere: the current entry stays, goes round
    assert not turns.advance(12.0, shows) and turns.entry.page == "a"
    assert not turns.advance(21.0, shows) and turns.entry.page == "a"
    assert turns.wait(21.0) == 10.0


def test_rotation_refuses_to_be_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        RotationState([], 0.0)


# --- commands -------------------------------------------------------------------------------


def test_dispatcher_runs_good_commands_in_order_and_counts_the_rest() -> None:
    controls: queue.Queue = queue.Queue()
    seen: list[tuple[str, float]] = []
    before: list[str] = []
    dispatcher = CommandDispatcher(
        controls, {"pp": lambda c, m: seen.append((c.name, m)),
                   "page": lambda c, m: seen.append((c.text, m))},
        before=lambda c, m: before.append(c.name))
    for obj in ({"type": "webcontrol", "command": "pp"},
                {"type": "webcontrol", "command": "explode"},  # unknown: parse refuses it
                {"type": "webcontrol", "command": "page", "args": {"name": "clock"}},
                {"type": "webcontrol", "command": "fwd"},  # known, but no handler here
                "not a dict"):
        controls.put(obj)
    assert dispatcher.drain(7.0) == 2
    assert seen == [("pp", 7.0), ("clock", 7.0)]
    assert before == ["pp", "page"]
    assert (dispatcher.handled, dispatcher.ignored) == (2, 3)
    assert dispatcher.drain(8.0) == 0


# --- brightness -----------------------------------------------------------------------------


def test_brightness_tells_the_panel_only_changes_and_the_schedule_ends_an_override() -> None:
    display = HeadlessDisplay(2, 2)
    light = BrightnessState(100, ((420, 100), (1320, 20)))
    assert light.apply(NOW, display) and display.brightness == 100
    assert not light.apply(NOW, display)
    light.set_override(55, NOW)
    assert light.apply(NOW, display) and display.brightness == 55
    assert light.wait(NOW) == pytest.approx(30.0)
    assert light.apply(NOW + timedelta(seconds=30), display) and display.brightness == 20
    assert light.override is None
    assert BrightnessState(80, ()).wait(NOW) == math.inf


# --- alert and banner -----------------------------------------------------------------------


def test_alert_lasts_its_seconds_or_until_ended() -> None:
    alert = AlertState()
    assert not alert.active(0.0) and alert.wait(0.0) == math.inf
    alert.start(1.0)
    assert alert.active(1.0 + ALERT_SECONDS - 0.1) and not alert.active(1.0 + ALERT_SECONDS)
    assert alert.wait(2.0) == pytest.approx(ALERT_SECONDS - 1)
    alert.end()
    assert not alert.active(2.0)


def test_banner_redraws_only_for_another_notice_or_its_next_step() -> None:
    banner = Banner((32, 16), max_fps=20)
    short = Notice("Hi", 10)
    banner.update(short, 0.0, NOW)
    assert banner.step == 1 and banner.layer is not None and banner.wait(0.0) == math.inf
    banner.update(short, 5.0, NOW)
    assert banner.step == 1  # still text: nothing to redraw
    long = Notice("The quick brown fox jumps over the lazy dog", 60)
    banner.update(long, 6.0, NOW)
    wait = banner.wait(6.0)
    assert banner.step == 2 and 0 < wait < math.inf  # it scrolls: a next step is due
    banner.update(long, 6.0 + wait / 2, NOW)
    assert banner.step == 2
    banner.update(long, 6.0 + wait, NOW + timedelta(seconds=wait))
    assert banner.step == 3
    blinking = Notice("Hi", 10, blink=True)
    banner.update(blinking, 7.0, NOW)
    assert 0 < banner.wait(7.0) <= 0.5  # the next half of the blink
    banner.update(None, 8.0, NOW)
    assert banner.wait(8.0) == math.inf


def test_info_and_warning_queue_in_order_each_for_its_seconds() -> None:
    notes = Notifications()
    first, second, third = Notice("a", 5), Notice("b", 3, "warning"), Notice("c", 2)
    for notice in (first, second, third):
        assert notes.notify(notice, 0.0)
    assert notes.on_screen(4.9) is first and notes.wait(4.9) == pytest.approx(0.1)
    assert notes.on_screen(5.0) is second  # its seconds start when it comes on
    assert notes.on_screen(7.9) is second
    assert notes.on_screen(8.0) is third
    assert notes.on_screen(10.0) is None and notes.wait(10.0) == math.inf
    assert notes.shown == 3 and notes.overflowed == 0


def test_critical_interrupts_stays_until_dismissed_and_the_interrupted_one_resumes() -> None:
    notes = Notifications()
    notes.notify(Notice("dinner", 10), 0.0)
    notes.notify(Notice("later", 10), 1.0)
    alarm = Notice("door open", 120, "critical")
    notes.notify(alarm, 4.0)
    assert notes.on_screen(4.0) is alarm  # at once
    second_alarm = Notice("smoke", 120, "critical")
    notes.notify(second_alarm, 5.0)
    assert notes.on_screen(100.0) is alarm  # not displaced by another critical
    assert notes.dismiss(100.0) and notes.on_screen(100.0) is second_alarm
    assert notes.dismiss(101.0)
    resumed = notes.on_screen(101.0)
    assert resumed is not None and resumed.text == "dinner"
    assert resumed.seconds == pytest.approx(6.0)  # what it had left when interrupted
    assert notes.on_screen(107.0).text == "later"
    assert notes.dismissed == 2
    assert not Notifications().dismiss(0.0)  # nothing on screen: nothing to acknowledge


def test_critical_ends_when_its_time_runs_out() -> None:
    notes = Notifications()
    notes.notify(Notice("door open", 30, "critical"), 0.0)
    assert notes.on_screen(29.9) is not None
    assert notes.on_screen(30.0) is None


def test_a_full_queue_refuses_and_counts_never_silently(caplog) -> None:
    notes = Notifications(max_waiting=2)
    assert notes.notify(Notice("on", 10), 0.0)
    assert notes.notify(Notice("w1", 10), 0.0) and notes.notify(Notice("w2", 10), 0.0)
    assert not notes.notify(Notice("w3", 10), 0.0)
    assert notes.overflowed == 1 and "refused" in caplog.text
    # A critical's interruption puts "on" back first; the newest waiting one gives way.
    assert notes.notify(Notice("alarm", 10, "critical"), 1.0)
    assert [n.text for n in notes.waiting] == ["on", "w1"] and notes.overflowed == 2


# --- pages, render cache, staleness ---------------------------------------------------------


def test_page_book_looks_up_once_and_turns_failures_into_error_cards(caplog) -> None:
    looked: list[str] = []

    def bad(ctx: PageContext) -> PageFrame:
        raise RuntimeError("boom")

    def lookup(name: str) -> PageSpec:
        looked.append(name)
        if name != "bad":
            raise KeyError(f"unknown page {name!r}")
        return PageSpec("bad", bad)

    book = PageBook(lookup)
    spec = book.spec("bad")
    assert book.spec("bad") is spec and looked == ["bad"]
    ctx = PageContext(state={}, now=NOW, width=8, height=4)
    bad_card = error_frame(8, 4, "bad").image.tobytes()
    for _ in range(3):
        frame = book.render(spec, ctx)
        assert frame.image.tobytes() == bad_card
    assert book.errors == 3
    assert caplog.text.count("page bad failed") == 1  # logged once, counted each time
    assert not book.exists("nope") and book.find("nope") is None
    card = book.spec_or_card("nope")
    assert book.render(card, ctx).image.tobytes() == error_frame(8, 4, "nope").image.tobytes()


def test_render_cache_is_due_on_new_page_data_link_or_time() -> None:
    cache = RenderCache()
    frame = PageFrame(Image.new("RGB", (2, 2)), ttl=5.0)
    assert cache.due("a", (1,), True, 0.0, 0.05)
    cache.keep("a", (1,), True, frame, 0.0)
    assert not cache.due("a", (1,), True, 4.9, 0.05)
    assert cache.due("b", (1,), True, 1.0, 0.05)
    assert cache.due("a", (2,), True, 1.0, 0.05)
    assert cache.due("a", (1,), False, 1.0, 0.05)
    assert cache.due("a", (1,), True, 5.0, 0.05)
    assert cache.wait(1.0, 0.05) == 4.0
    cache.keep("a", (1,), True, PageFrame(frame.image, ttl=0.0), 10.0)
    assert not cache.due("a", (1,), True, 10.01, 0.05)  # never faster than the frame gap
    assert cache.wait(10.0, 0.05) == pytest.approx(0.05)


def test_data_versions_per_type_or_whole_store() -> None:
    snap = snapshot({"A": 3, "B": 4})
    assert data_versions(PageSpec("p", lambda c: None, ("B", "C")), snap) == (4, 0)
    assert data_versions(PageSpec("p", lambda c: None, ("*",)), snap) == (7,)


def test_staleness_with_grace_and_odd_valid_values() -> None:
    state = {"A": {"valid": (NOW + timedelta(seconds=10)).isoformat()},
             "B": {"valid": (NOW - timedelta(seconds=5)).isoformat()},
             "C": {"valid": "not a time"}}
    snap = snapshot({"A": 1, "B": 1, "C": 1}, state)
    fresh = Staleness(grace=0.0)
    assert fresh.check(PageSpec("p", lambda c: None, ("A",)), snap, NOW) == (False, 10.0)
    assert fresh.check(PageSpec("p", lambda c: None, ("A", "B")), snap, NOW) == (True, 10.0)
    assert fresh.check(PageSpec("p", lambda c: None, ("C",)), snap, NOW) == (False, math.inf)
    forgiving = Staleness(grace=30.0)
    assert forgiving.check(PageSpec("p", lambda c: None, ("*",)), snap, NOW) == (False, 25.0)


# --- push and upkeep ------------------------------------------------------------------------


def test_push_only_changed_pictures() -> None:
    display = HeadlessDisplay(4, 4)
    push = FramePush(display)
    red = Image.new("RGB", (4, 4), (255, 0, 0))
    assert push.offer(red, Overlay(), page_changed=True)
    assert not push.offer(red, Overlay(), page_changed=False)  # nothing changed
    assert not push.offer(red.copy(), Overlay(), page_changed=True)  # same pixels
    assert push.offer(red, Overlay(stale=True), page_changed=False)  # the overlay moved
    assert display.shown == push.pushes == 2
    assert display.last_frame.getpixel((3, 0)) != (255, 0, 0)


def test_upkeep_writes_the_cache_after_its_delay_and_pings_the_watchdog(tmp_path: Path) -> None:
    store = StateStore()
    times = [0.0]
    writer = CacheWriter(store, tmp_path / "state.json", 2.0, lambda: times[0])
    upkeep = Upkeep(writer, SystemdNotifier({"WATCHDOG_USEC": "10000000"}))
    assert upkeep.wait() == 5.0  # half the watchdog period
    from glanceboard.envelope import validate_object

    store.apply(validate_object({"type": "A", "values": 1, "updated": NOW.isoformat(),
                                 "valid": NOW.isoformat(), "ts": 1}))
    assert upkeep.wait() == 2.0  # a write is pending
    upkeep.tick(0.0)
    assert writer.writes == 0
    times[0] = 2.0
    upkeep.tick(2.0)
    assert writer.writes == 1 and (tmp_path / "state.json").exists()
    assert Upkeep(None, SystemdNotifier({})).wait() == math.inf
