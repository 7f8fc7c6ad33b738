"""The render loop on a manual clock: what is rendered, what is pushed, and control."""

from __future__ import annotations

import json
import queue
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from glanceboard.envelope import validate_object
from matrix_client.cache import CacheWriter, load_cache
from matrix_client.clock import ManualClock
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.overlay import ALERT_BACKGROUND, STALE_COLOR
from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.overlays import BORDER as NOTIFY_BORDER
from matrix_client.rotation import RotationEntry
from matrix_client.sdnotify import SystemdNotifier
from matrix_client.store import StateStore

START = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
W, H = 32, 16


def envelope(kind: str, values: Any, ts: int, valid: datetime | None = None) -> dict:
    valid = valid or START + timedelta(hours=1)
    return {"type": kind, "values": values, "updated": START.isoformat(),
            "valid": valid.isoformat(), "ts": ts}


class Pages:
    """Test pages that count their renders and draw what they read."""

    def __init__(self) -> None:
        self.renders: dict[str, int] = {}

    def _count(self, name: str) -> None:
        self.renders[name] = self.renders.get(name, 0) + 1

    def weather(self, ctx: PageContext) -> PageFrame:
        self._count("weather")
        values = ctx.values("Weather") or {}
        level = values.get("level", 0) if isinstance(values, dict) else 0
        return PageFrame(Image.new("RGB", ctx.size, (0, int(level) % 256, 0)))

    def ticker(self, ctx: PageContext) -> PageFrame:
        """Changes once every 2 s but asks to be redrawn every second."""
        self._count("ticker")
        shade = (int(ctx.now.timestamp()) // 2) % 256
        return PageFrame(Image.new("RGB", ctx.size, (0, 0, shade)), ttl=1.0)

    def broken(self, ctx: PageContext) -> PageFrame:
        self._count("broken")
        return PageFrame(Image.new("RGB", ctx.size, (1, 1, 1)), ttl=float(ctx.values("X")["k"]))

    def lookup(self, name: str) -> PageSpec:
        specs = {
            "weather": PageSpec("weather", self.weather, ("Weather",)),
            "ticker": PageSpec("ticker", self.ticker, ()),
            "broken": PageSpec("broken", self.broken, ("X",)),
        }
        if name not in specs:
            raise KeyError(f"unknown page {name!r}")
        return specs[name]


class FakeLink:
    def __init__(self) -> None:
        self.connected = True
        self.reloads = 0

    def reload(self) -> None:
        self.reloads += 1


@pytest.fixture
def setup():
    clock = ManualClock(START)
    store = StateStore()
    display = HeadlessDisplay(W, H)
    pages = Pages()
    controls: queue.Queue = queue.Queue()
    link = FakeLink()
    # Shown before their data arrives too: these tests are about rendering and commands
    # (skipping pages without data is tested on its own below).
    rotation = [RotationEntry("weather", 10, show_empty=True), RotationEntry("ticker", 5)]
    loop = RenderLoop(display, store, rotation, clock=clock, controls=controls, link=link,
                      page_lookup=pages.lookup)
    return loop, clock, store, display, pages, controls, link


def apply(store: StateStore, obj: dict) -> bool:
    return store.apply(validate_object(obj))


def control(controls: queue.Queue, command: str, **args: Any) -> None:
    controls.put({"type": "webcontrol", "command": command, "args": args})


def test_renders_only_when_its_types_change(setup) -> None:
    loop, clock, store, display, pages, *_ = setup
    loop.step()
    loop.step()
    assert pages.renders == {"weather": 1}
    assert display.shown == 1
    apply(store, envelope("AQI", {"aqi_score": 3}, 1))  # not a type this page reads
    loop.step()
    assert pages.renders == {"weather": 1}
    apply(store, envelope("Weather", {"level": 200}, 1))
    loop.step()
    assert pages.renders == {"weather": 2}
    assert display.last_frame.getpixel((5, 5)) == (0, 200, 0)
    apply(store, envelope("Weather", {"level": 100}, 0))  # older ts: dropped
    loop.step()
    assert pages.renders == {"weather": 2}


def test_rotation_skips_a_page_whose_data_never_arrived() -> None:
    clock, store, display, pages = ManualClock(START), StateStore(), HeadlessDisplay(W, H), Pages()
    rotation = [RotationEntry("ticker", 5), RotationEntry("weather", 10)]
    loop = RenderLoop(display, store, rotation, clock=clock, page_lookup=pages.lookup)
    loop.step()
    clock.advance(5.0)
    loop.step()
    assert loop.entry.page == "ticker" and "weather" not in pages.renders
    apply(store, envelope("Weather", {"level": 200}, 1))
    clock.advance(5.0)
    loop.step()
    assert loop.entry.page == "weather" and pages.renders["weather"] == 1


def test_ttl_redraws_but_pushes_only_changes(setup) -> None:
    loop, clock, store, display, pages, controls, _ = setup
    control(controls, "page", name="ticker")
    loop.step()
    pushed = display.shown
    for _ in range(6):
        clock.advance(1.0)
        assert loop.step() <= 1.0
    assert pages.renders["ticker"] == 7
    assert display.shown - pushed == 3  # the picture changes every 2 s only


def test_rotation_follows_seconds(setup) -> None:
    loop, clock, *_ = setup
    loop.step()
    assert loop.entry.page == "weather"
    clock.advance(9.9)
    assert loop.step() == pytest.approx(0.1)
    assert loop.entry.page == "weather"
    clock.advance(0.1)
    loop.step()
    assert loop.entry.page == "ticker"
    clock.advance(5)
    loop.step()
    assert loop.entry.page == "weather"


def test_pp_fwd_rew_page(setup) -> None:
    loop, clock, _, _, _, controls, _ = setup
    loop.step()
    control(controls, "pp")
    loop.step()
    clock.advance(60)
    loop.step()
    assert loop.paused and loop.entry.page == "weather"
    control(controls, "pp")
    loop.step()
    assert not loop.paused
    control(controls, "fwd")
    loop.step()
    assert loop.paused and loop.entry.page == "ticker"
    control(controls, "rew")
    loop.step()
    assert loop.entry.page == "weather"
    control(controls, "rew")
    loop.step()
    assert loop.entry.page == "ticker"
    control(controls, "page", name="broken")  # registered, not in the rotation
    loop.step()
    assert loop.entry.page == "broken" and loop.paused
    control(controls, "page", name="nope")  # unknown: ignored
    loop.step()
    assert loop.entry.page == "broken"
    control(controls, "pp")
    loop.step()
    assert loop.entry.page == "ticker" and not loop.paused


def test_out_notify_and_expiry(setup) -> None:
    loop, clock, _, display, _, controls, _ = setup
    loop.step()
    control(controls, "notify", text="Dinner", seconds=5)
    loop.step()
    assert has_color(display.last_frame, NOTIFY_BORDER)
    clock.advance(5)
    loop.step()
    assert not has_color(display.last_frame, NOTIFY_BORDER)
    control(controls, "out")
    loop.step()
    assert display.last_frame.getpixel((0, H - 1)) == ALERT_BACKGROUND
    control(controls, "fwd")  # any other command dismisses the alert
    loop.step()
    assert display.last_frame.getpixel((0, H - 1)) != ALERT_BACKGROUND


def has_color(image: Image.Image, color: tuple[int, int, int]) -> bool:
    return any(c == color for _, c in image.getcolors(image.width * image.height))


def test_long_notify_scrolls(setup) -> None:
    loop, clock, _, display, _, controls, _ = setup
    loop.step()
    control(controls, "notify", text="The quick brown fox jumps over the lazy dog " * 3,
            seconds=60)
    loop.step()
    assert has_color(display.last_frame, NOTIFY_BORDER)
    pictures = set()
    for _ in range(20):
        wait = loop.step()
        assert wait <= 1.0  # the next scroll step is due soon
        clock.advance(max(wait, 0.05))
        pictures.add(display.last_frame.tobytes())
    assert len(pictures) > 5  # it moves
    assert loop.stats.renders == 1  # the page under it was not redrawn for that


def test_out_shows_the_out_page_then_returns() -> None:
    clock = ManualClock(START)
    display = HeadlessDisplay(W, H)
    controls: queue.Queue = queue.Queue()
    pages = Pages()

    def lookup(name: str) -> PageSpec:
        if name == "out":
            return PageSpec("out", lambda ctx: PageFrame(Image.new("RGB", ctx.size, (9, 9, 9))))
        return pages.lookup(name)

    loop = RenderLoop(display, StateStore(), [RotationEntry("weather", 10)], clock=clock,
                      controls=controls, page_lookup=lookup)
    loop.step()
    control(controls, "out")
    loop.step()
    assert display.last_frame.getpixel((0, 0)) == (9, 9, 9)
    clock.advance(29)
    loop.step()
    assert display.last_frame.getpixel((0, 0)) == (9, 9, 9)
    clock.advance(1)
    loop.step()
    assert display.last_frame.getpixel((0, 0)) == (0, 0, 0)  # the weather page again
    assert pages.renders["weather"] == 2


def test_bad_commands_are_ignored(setup) -> None:
    loop, _, _, display, _, controls, _ = setup
    loop.step()
    for obj in ({"type": "webcontrol", "command": "explode"},
                {"type": "webcontrol", "command": "brightness", "args": {"value": 300}},
                {"type": "webcontrol", "command": "brightness", "args": "x"},
                {"type": "webcontrol", "command": "notify", "args": {"seconds": 5}},
                {"type": "webcontrol", "command": "notify", "args": {"text": "x", "seconds": 0}},
                {"type": "webcontrol", "command": "page", "args": {"name": 7}},
                "not even a dict"):
        controls.put(obj)
    loop.step()
    assert display.brightness == 100 and loop.entry.page == "weather"


def test_brightness_schedule_and_override() -> None:
    clock = ManualClock(datetime(2026, 11, 26, 21, 59, 0, tzinfo=UTC))
    display = HeadlessDisplay(W, H)
    controls: queue.Queue = queue.Queue()
    pages = Pages()
    loop = RenderLoop(display, StateStore(), [RotationEntry("weather")], clock=clock,
                      controls=controls, brightness_schedule=((420, 100), (1320, 20)),
                      page_lookup=pages.lookup)
    loop.step()
    assert display.brightness == 100
    control(controls, "brightness", value=55)
    loop.step()
    assert display.brightness == 55
    clock.advance(30)
    assert loop.step() <= 30
    assert display.brightness == 55  # held until the schedule moves on
    clock.advance(30)
    loop.step()
    assert display.brightness == 20  # 22:00


def test_reload_asks_the_link(setup) -> None:
    loop, _, _, _, _, controls, link = setup
    control(controls, "reload")
    loop.step()
    assert link.reloads == 1


def test_stale_mark_for_old_data_and_dead_link(setup) -> None:
    loop, clock, store, display, *_ = setup
    link = loop.link
    apply(store, envelope("Weather", {"level": 10}, 1, valid=START + timedelta(seconds=30)))
    assert loop.step() == pytest.approx(10.0)  # the rotation switch comes first
    assert display.last_frame.getpixel((W - 1, 0)) == (0, 10, 0)
    clock.advance(5)
    assert loop.step() == pytest.approx(5.0)
    clock.advance(25)
    loop.step()  # now past valid, and on the ticker page which reads no types
    assert display.last_frame.getpixel((W - 1, 0)) != STALE_COLOR
    control(loop.controls, "page", name="weather")
    loop.step()
    assert display.last_frame.getpixel((W - 1, 0)) == STALE_COLOR
    apply(store, envelope("Weather", {"level": 10}, 2, valid=START + timedelta(hours=2)))
    loop.step()
    assert display.last_frame.getpixel((W - 1, 0)) == (0, 10, 0)
    link.connected = False
    loop.step()
    assert display.last_frame.getpixel((W - 1, 0)) == STALE_COLOR
    assert display.last_frame.getpixel((W - 3, 0)) == (0, 10, 0)  # a small mark only


def test_failing_page_never_stops_the_loop(setup) -> None:
    loop, clock, store, display, pages, controls, _ = setup
    control(controls, "page", name="broken")
    loop.step()  # X missing: the page raises
    assert loop.stats.page_errors == 1
    apply(store, envelope("X", {"k": "not a number"}, 1))
    loop.step()
    assert loop.stats.page_errors == 2
    apply(store, envelope("X", {"k": 3}, 2))
    loop.step()
    assert display.last_frame.getpixel((0, 0)) == (1, 1, 1)


def test_real_pages_survive_odd_values() -> None:
    """Every registered page draws something for missing, odd and hostile values."""
    odd_values: list[Any] = [{}, [], "text", 0, {"current": None, "forecast": "x"},
                             [[None, 1, {}]], {"events": [None, {"x": []}]},
                             {"phase": "full", "aqi_score": -1, "temp": None}]
    from matrix_client.pages import registry

    kinds = ["Weather", "AQI", "Moon", "Calendar", "Events", "GitHub", "MLB", "NFL", "Track",
             "Demo-Server"]
    for name, spec in registry().items():
        for values in odd_values:
            state = {k: envelope(k, values, 1) for k in kinds}
            for size in ((64, 32), (128, 64)):
                frame = spec.render(PageContext(state=state, now=START, width=size[0],
                                                height=size[1]))
                assert frame.image.size == size, name


def test_cache_debounced_and_flushed(tmp_path: Path) -> None:
    clock = ManualClock(START)
    store = StateStore()
    path = tmp_path / "cache" / "state.json"
    writer = CacheWriter(store, path, delay=2.0, clock=clock.monotonic)
    apply(store, envelope("Weather", {"level": 1}, 1))
    writer.tick()
    apply(store, envelope("AQI", {"aqi_score": 1}, 1))
    clock.advance(1)
    writer.tick()
    assert not path.exists()
    clock.advance(1)
    writer.tick()
    assert writer.writes == 1
    assert sorted(e.type for e in load_cache(path)) == ["AQI", "Weather"]
    apply(store, envelope("Weather", {"level": 2}, 2))
    writer.flush()
    assert writer.writes == 2
    assert [e.values for e in load_cache(path) if e.type == "Weather"] == [{"level": 2}]
    assert not list(path.parent.glob("*.tmp"))
    path.write_text("{broken")
    assert load_cache(path) == []
    # Garbled past the parser's nesting limit: ignored too, not a crash at start-up.
    path.write_text('{"state":' + "[" * 100_000 + "]" * 100_000 + "}")
    assert load_cache(path) == []


def test_shutdown_clears_and_flushes(tmp_path: Path) -> None:
    clock = ManualClock(START)
    store = StateStore()
    display = HeadlessDisplay(W, H)
    path = tmp_path / "state.json"
    loop = RenderLoop(display, store, [RotationEntry("weather")], clock=clock,
                      cache=CacheWriter(store, path, 600, clock.monotonic),
                      page_lookup=Pages().lookup)
    apply(store, envelope("Weather", {"level": 9}, 1))
    loop.step()
    assert display.last_frame.getpixel((0, 0)) == (0, 9, 0)
    loop.shutdown()
    assert display.last_frame.getpixel((0, 0)) == (0, 0, 0) and display.closed
    assert json.loads(path.read_text())["state"]["Weather"]["values"] == {"level": 9}


def test_sd_notify_ready_and_watchdog(tmp_path: Path) -> None:
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(address)
        server.settimeout(2)
        notifier = SystemdNotifier({"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "2000000"})
        assert notifier.watchdog_interval == 1.0
        clock = ManualClock(START)
        loop = RenderLoop(HeadlessDisplay(W, H), StateStore(), [RotationEntry("weather")],
                          clock=clock, notifier=notifier, page_lookup=Pages().lookup)
        assert loop.step() <= 1.0  # wakes in time for the next ping
        assert server.recv(64) == b"WATCHDOG=1"
        loop.step()
        clock.advance(1.0)
        loop.step()
        assert server.recv(64) == b"WATCHDOG=1"
        assert notifier.ready()
        assert server.recv(64) == b"READY=1"
    assert not SystemdNotifier({}).ready()


def test_generic_page_shows_each_type() -> None:
    spec = get_page("generic")
    state = {"Weather": envelope("Weather", {"current": {"temp": 71}}, 1)}
    frame = spec.render(PageContext(state=state, now=START, width=64, height=32))
    lit = sum(1 for value in frame.image.tobytes() if value)
    empty = spec.render(PageContext(state={}, now=START, width=64, height=32))
    assert lit > 20
    assert frame.image.tobytes() != empty.image.tobytes()


def test_stale_grace_allows_small_clock_skew() -> None:
    clock = ManualClock(START)
    store = StateStore()
    display = HeadlessDisplay(W, H)
    loop = RenderLoop(display, store, [RotationEntry("weather")], clock=clock,
                      stale_grace=30, page_lookup=Pages().lookup)
    apply(store, envelope("Weather", {"level": 10}, 1, valid=START))
    loop.step()
    clock.advance(29)
    loop.step()
    assert display.last_frame.getpixel((W - 1, 0)) == (0, 10, 0)
    clock.advance(2)
    loop.step()
    assert display.last_frame.getpixel((W - 1, 0)) == STALE_COLOR


def test_generic_summary_lines() -> None:
    from matrix_client.pages.generic import summarize

    assert summarize({"current": {"temp": 52, "desc": "few clouds"}, "hourly": []}) \
        == "52 few clouds (empty)"
    assert summarize([["Dentist", "9:00"], ["Gym"]]) == "Dentist 9:00 +1"
    assert summarize({"events": []}) == "(empty)"
    assert summarize(None) == "-" and summarize(3.5) == "3.5"
    assert len(summarize({"k": "x" * 500})) == 60


def test_page_redrawn_when_the_link_changes(setup) -> None:
    loop, clock, store, display, pages, controls, link = setup
    loop.step()
    assert pages.renders == {"weather": 1}
    link.connected = False
    loop.step()
    assert pages.renders == {"weather": 2}  # a page may show the lost link itself
    loop.step()
    assert pages.renders == {"weather": 2}


def test_critical_interrupts_queued_ones_follow_dismiss_and_expiry(setup) -> None:
    loop, clock, store, display, _, controls, _ = setup
    from matrix_client.pages.overlays import LOOKS

    apply(store, envelope("Weather", {"level": 77}, 1))
    loop.step()
    page = (0, 77, 0)
    control(controls, "notify", text="Dinner", seconds=5)  # old form: no level, info
    control(controls, "notify", text="Rain", seconds=5, level="warning", icon="rain")
    loop.step()
    assert has_color(display.last_frame, LOOKS["info"].border)
    assert display.last_frame.getpixel((0, 0)) == page  # a band: the page shows around it
    clock.advance(2)
    control(controls, "notify", text="Door open", level="critical", blink=False)
    assert loop.step() <= 120
    frame = display.last_frame
    assert has_color(frame, LOOKS["critical"].border) and not has_color(frame, page)
    clock.advance(60)
    loop.step()
    assert has_color(display.last_frame, LOOKS["critical"].border)  # until acknowledged
    control(controls, "dismiss")
    loop.step()  # the interrupted info comes back with its 3 s left
    assert has_color(display.last_frame, LOOKS["info"].border)
    clock.advance(3)
    loop.step()
    assert has_color(display.last_frame, LOOKS["warning"].border)  # then the queued one
    clock.advance(5)
    loop.step()
    assert display.last_frame.getpixel((W // 2, H // 2)) == page
    control(controls, "notify", text="Smoke", seconds=30, level="critical")
    loop.step()
    clock.advance(30)
    loop.step()  # its time ran out without a dismiss
    assert not has_color(display.last_frame, LOOKS["critical"].border)
    # Five times on screen: Dinner (twice, around the interruption), Rain, two criticals.
    assert loop.notifications.shown == 5 and loop.notifications.dismissed == 1


def test_bad_notify_fields_are_refused_and_counted(setup) -> None:
    loop, _, _, display, _, controls, _ = setup
    loop.step()
    for args in ({"text": "x", "level": "urgent"}, {"text": "x", "icon": "rocket"},
                 {"text": "x", "level": ["critical"]}, {"text": "x", "blink": "yes"}):
        control(controls, "notify", **args)
    loop.step()
    assert loop.commands.ignored == 4 and loop.notifications.shown == 0
    assert not has_color(display.last_frame, NOTIFY_BORDER)


def test_a_critical_notify_stays_over_the_plain_alert(setup) -> None:
    loop, clock, _, display, _, controls, _ = setup
    from matrix_client.pages.overlays import LOOKS

    loop.step()
    control(controls, "notify", text="Door open", level="critical", seconds=5)
    loop.step()
    control(controls, "out")  # no "out" page in this lookup: the plain alert
    loop.step()
    assert has_color(display.last_frame, LOOKS["critical"].border)  # still on top
    clock.advance(5)
    loop.step()  # the critical's time is up: the alert under it shows
    assert has_color(display.last_frame, ALERT_BACKGROUND)
    assert not has_color(display.last_frame, LOOKS["critical"].border)
