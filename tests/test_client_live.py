"""The matrix client against a real Valkey and a real API server process.

The client runs in this process on the headless backend, with a probe page
that paints what it reads, so a frame tells which state the client holds.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from glanceboard.backoff import Backoff
from matrix_client.cache import CacheWriter, load_cache
from matrix_client.clock import SystemClock
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.overlay import STALE_COLOR
from matrix_client.pages import get_page, registry
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.overlays import BORDER as NOTIFY_BORDER
from matrix_client.rotation import RotationEntry
from matrix_client.store import StateStore
from matrix_client.sync import StreamFollower
from server.valkey import free_port
from tests.servers import LIVE_TOKEN, ApiProcess, make_envelope, publish, wait_until

TOKEN = LIVE_TOKEN  # what the live clients send, as the live_api fixture expects
W, H = 64, 32
VALID = "2099-01-01T00:00:00+00:00"


def probe(ctx: PageContext) -> PageFrame:
    """Red = A's n, green = B's n (0 when absent or odd)."""

    def level(kind: str) -> int:
        values = ctx.values(kind)
        n = values.get("n") if isinstance(values, dict) else None
        return n % 256 if isinstance(n, int) else 0

    return PageFrame(Image.new("RGB", ctx.size, (level("A"), level("B"), 0)))


def lookup(name: str) -> PageSpec:
    if name == "probe":
        return PageSpec("probe", probe, ("A", "B"))
    return get_page(name)


def message(kind: str, n: int, ts: int | None = None) -> dict[str, Any]:
    return make_envelope(kind, {"n": n}, ts=ts, valid=VALID)


class LiveClient:
    """StreamFollower + RenderLoop on a thread, as ``python -m matrix_client`` wires them."""

    def __init__(self, api_url: str, cache_path: Path, *, read_timeout: float = 45.0,
                 rotation: list[RotationEntry] | None = None, token: str = "") -> None:
        self.store = StateStore()
        self.store.apply_many(load_cache(cache_path))
        self.display = HeadlessDisplay(W, H)
        self.controls: queue.Queue = queue.Queue()
        clock = SystemClock()
        self.loop = RenderLoop(
            self.display, self.store, rotation or [RotationEntry("probe", 3600)], clock=clock,
            controls=self.controls, cache=CacheWriter(self.store, cache_path, 0.1,
                                                      clock.monotonic),
            page_lookup=lookup)
        self.follower = StreamFollower(api_url, self.store, self.controls, token=token,
                                       read_timeout=read_timeout, connect_timeout=1.0,
                                       backoff=Backoff(base=0.1, cap=0.5),
                                       on_change=self.loop.wake.set)
        self.loop.link = self.follower
        self._stop = threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.loop.run(self._stop)
        except BaseException as exc:  # surfaced by the test through .error
            self.error = exc
            raise

    def start(self) -> LiveClient:
        self.follower.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.loop.wake.set()
        self._thread.join(5)
        self.follower.stop()
        assert not self.follower.running
        self.loop.shutdown()

    def pixel(self, xy: tuple[int, int] = (0, H - 1)) -> tuple[int, int, int] | None:
        frame = self.display.last_frame
        return frame.getpixel(xy) if frame is not None else None

    def corner(self) -> tuple[int, int, int] | None:
        return self.pixel((W - 1, 0))


@pytest.fixture
def make_client(tmp_path: Path):
    clients: list[LiveClient] = []

    def make(url: str, **kwargs: Any) -> LiveClient:
        client = LiveClient(url, tmp_path / "state.json", **kwargs).start()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.stop()
    for client in clients:
        assert client.error is None, client.error


def held(api: ApiProcess, kind: str, n: int) -> bool:
    state = api.get("/state").json()["state"]
    return state.get(kind, {}).get("values", {}).get("n") == n


def test_startup_state_then_updates(valkey, live_api, make_client) -> None:
    publish(valkey.url, message("A", 5, ts=100), store=True)
    wait_until(lambda: held(live_api, "A", 5), what="API holds A=5", timeout=30)
    client = make_client(live_api.url)
    wait_until(lambda: client.pixel() == (5, 0, 0), 30, what="start-up state on screen")
    wait_until(lambda: client.follower.connected, 30, what="stream connected")
    publish(valkey.url, message("A", 6, ts=200))
    wait_until(lambda: client.pixel() == (6, 0, 0), 30, what="update on screen")
    publish(valkey.url, message("B", 7, ts=200))
    wait_until(lambda: client.pixel() == (6, 7, 0), 30, what="second type on screen")
    publish(valkey.url, message("A", 1, ts=150))  # older ts: dropped everywhere
    publish(valkey.url, message("B", 8, ts=300))
    wait_until(lambda: client.pixel() == (6, 8, 0), 30, what="newer B, old A ignored")
    assert client.corner() == (6, 8, 0)  # fresh data, live stream: no stale mark
    assert client.follower.retry_ms == 3000  # the server's retry: advice was read


def test_api_killed_and_restarted_misses_nothing(valkey, live_api, make_client) -> None:
    publish(valkey.url, message("A", 1, ts=1), store=True)
    wait_until(lambda: held(live_api, "A", 1), what="API holds A=1", timeout=30)
    client = make_client(live_api.url)
    wait_until(lambda: client.follower.connected and client.pixel() == (1, 0, 0), 30,
               what="client live")
    live_api.kill()
    wait_until(lambda: not client.follower.connected, 30, what="client sees the link down")
    wait_until(lambda: client.corner() == STALE_COLOR, 30, what="stale mark while down")
    # Published while no API server runs; the KV hash keeps them (as the KV updater does).
    publish(valkey.url, message("A", 2, ts=2), store=True)
    publish(valkey.url, message("B", 3, ts=2), store=True)
    live_api.start(port=live_api.port)
    live_api.wait_ready()
    wait_until(lambda: client.pixel() == (2, 3, 0), 30, what="missed updates after restart")
    wait_until(lambda: client.corner() == (2, 3, 0), 30, what="stale mark gone")
    publish(valkey.url, message("A", 4, ts=4))
    wait_until(lambda: client.pixel() == (4, 3, 0), 30, what="live again")
    assert client.follower.stats.connects >= 2


def link_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "matrix_client.sync"]


def test_api_frozen_shows_stale_then_recovers(valkey, live_api, make_client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="matrix_client.sync")
    publish(valkey.url, message("A", 9, ts=1), store=True)
    wait_until(lambda: held(live_api, "A", 9), what="API holds A", timeout=30)
    client = make_client(live_api.url, read_timeout=2.0)
    wait_until(lambda: client.follower.connected and client.pixel() == (9, 0, 0), 30,
               what="client live")
    connects = client.follower.stats.connects
    # Quiet but alive (pings every 0.5 s): the short read timeout must not fire.
    threading.Event().wait(3.0)
    assert client.follower.stats.connects == connects and client.follower.connected
    live_api.pause()
    try:
        wait_until(lambda: client.corner() == STALE_COLOR, 30, what="stale mark on a frozen API")
        assert not client.follower.connected
        # Several tries time out while frozen (2 s each, backoff under 0.5 s).
        wait_until(lambda: client.follower.stats.failures >= 3, 30, what="three failed tries")
    finally:
        live_api.resume()
    wait_until(lambda: client.follower.connected, 30, what="reconnected after SIGCONT")
    # A dead link is one handled case: one warning for the outage, no traceback, no error.
    records = link_records(caplog)
    down = [r for r in records if " down (try " in r.getMessage()]
    assert len(down) == 1 and down[0].levelno == logging.WARNING, [r.getMessage() for r in down]
    assert "(try 1)" in down[0].getMessage()
    assert not [r for r in records if r.exc_info or r.levelno >= logging.ERROR]
    wait_until(lambda: any("up again" in r.getMessage() for r in link_records(caplog)), 30,
               what="the link's return logged")
    wait_until(lambda: client.corner() == (9, 0, 0), 30, what="stale mark gone")
    publish(valkey.url, message("A", 10, ts=2))
    wait_until(lambda: client.pixel() == (10, 0, 0), 30, what="updates flow again")


def test_odd_values_never_crash_the_loop(valkey, live_api, make_client) -> None:
    """Real pages, hostile but valid envelopes; the loop keeps drawing."""
    rotation = [RotationEntry(name, 0.05) for name in registry()]
    client = make_client(live_api.url, rotation=rotation)
    wait_until(lambda: client.follower.connected, 30, what="connected")
    kinds = ["Weather", "AQI", "Moon", "Calendar", "Events", "GitHub", "MLB", "NFL", "Track"]
    odd: list[Any] = [{}, [], "x", 0, -1, True, {"current": [], "forecast": {}, "hourly": 3},
                      [["a"], None, 5], {"events": "none"}, {"phase": 1e9}, [[None] * 3]]
    ts = 1
    for values in odd:
        for kind in kinds:
            ts += 1
            publish(valkey.url, make_envelope(kind, values, ts=ts, valid=VALID))
    # And messages the API server must reject before they reach anyone.
    publish(valkey.url, b"not json")
    publish(valkey.url, json.dumps({"type": "A", "values": None}))
    publish(valkey.url, message("A", 77, ts=ts + 1))
    wait_until(lambda: (client.store.get("A") or {}).get("values") == {"n": 77}, 30,
               what="last good message arrived")
    steps = client.loop.stats.steps
    wait_until(lambda: client.loop.stats.steps > steps + 20, 30, what="loop still stepping")
    assert client.error is None
    assert client.store.get("Weather")["values"] == odd[-1]


def test_follower_rejects_bad_envelopes_itself() -> None:
    """What an older or foreign server might forward: refused, counted, never stored."""
    store = StateStore()
    follower = StreamFollower("http://127.0.0.1:9", store)
    for data in ("not json", "[1]", json.dumps({"type": "A"}),
                 json.dumps({"type": "A b", "values": 1, "updated": VALID, "valid": VALID}),
                 json.dumps({"type": "A", "values": 1, "updated": "soon", "valid": VALID}),
                 json.dumps({"type": "A", "values": 1, "updated": VALID, "valid": VALID,
                             "ts": "x"})):
        follower._handle(data)
    assert store.snapshot().state == {}
    assert follower.stats.rejected == 6
    assert follower.controls.empty()
    follower._handle(json.dumps(message("A", 1)))
    assert store.get("A")["values"] == {"n": 1}


def test_offline_start_from_cache(valkey, live_api, make_client, tmp_path: Path) -> None:
    publish(valkey.url, message("A", 42, ts=1), store=True)
    publish(valkey.url, message("B", 24, ts=1), store=True)
    wait_until(lambda: held(live_api, "B", 24), what="API holds B", timeout=30)
    first = make_client(live_api.url)
    wait_until(lambda: first.pixel() == (42, 24, 0), 30, what="first run shows state")
    first.stop()
    assert {e.type for e in load_cache(tmp_path / "state.json")} >= {"A", "B"}
    dead = f"http://127.0.0.1:{free_port()}"
    second = make_client(dead)
    wait_until(lambda: second.display.shown >= 1, 30, what="first frame offline")
    assert second.display.frames[0].getpixel((0, H - 1)) == (42, 24, 0)
    assert second.corner() == STALE_COLOR  # no link: marked


def put(api: ApiProcess, command: str, body: dict | None = None) -> None:
    response = httpx.put(f"{api.url}/webcontrol/{command}", json=body,
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert response.status_code == 202, response.text


def test_every_control_command_end_to_end(valkey, live_api, make_client) -> None:
    rotation = [RotationEntry("probe", 3600, show_empty=True), RotationEntry("generic", 3600)]
    client = make_client(live_api.url, rotation=rotation, token=TOKEN)
    loop = client.loop
    wait_until(lambda: client.follower.connected and client.display.shown, 30, what="live")
    put(live_api, "pp")
    wait_until(lambda: loop.paused, 30, what="pp pauses")
    put(live_api, "pp")
    wait_until(lambda: not loop.paused, 30, what="pp resumes")
    put(live_api, "fwd")
    wait_until(lambda: loop.paused and loop.entry.page == "generic", 30, what="fwd")
    put(live_api, "rew")
    wait_until(lambda: loop.entry.page == "probe", 30, what="rew")
    put(live_api, "page", {"name": "clock"})
    wait_until(lambda: loop.entry.page == "clock", 30, what="page")
    put(live_api, "brightness", {"value": 30})
    wait_until(lambda: client.display.brightness == 30, 30, what="brightness")
    put(live_api, "notify", {"text": "hello", "seconds": 60})
    wait_until(lambda: any(c == NOTIFY_BORDER for _, c in client.display.last_frame.getcolors(
        W * H)), 30, what="notify shown")
    put(live_api, "out")
    wait_until(lambda: any(c == (255, 200, 0) for _, c in client.display.last_frame.getcolors(
        W * H)), 30, what="the garbage-out page")
    reloads = client.follower.stats.reloads
    put(live_api, "reload")
    wait_until(lambda: client.follower.stats.reloads == reloads + 1, 30,
               what="reload read /state again")
    assert client.follower.stats.controls == 9


def test_snapshot_cli_writes_every_page(valkey, live_api, tmp_path: Path) -> None:
    publish(valkey.url, message("Weather", 1, ts=1), store=True)
    wait_until(lambda: held(live_api, "Weather", 1), what="API holds Weather", timeout=30)
    out = tmp_path / "shots"
    rotation = tmp_path / "rotation.yaml"
    rotation.write_text("- page: clock\n- Page: generic\n  Time: 3\n")
    result = subprocess.run(
        [sys.executable, "-m", "matrix_client", "--api", live_api.url, "--snapshot", str(out),
         "--rotation", str(rotation), "--cache", str(tmp_path / "c.json")],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["01-clock.png", "02-generic.png"]
    with Image.open(out / "02-generic.png") as image:
        assert image.size == (64, 32)
        assert image.convert("RGB").tobytes().strip(b"\0")  # something was drawn


def test_notify_levels_end_to_end(valkey, live_api, make_client) -> None:
    """A critical notify interrupts the page at once and holds until dismissed; the
    queued ones follow in order; an unacknowledged critical ends with its time."""
    import time

    from matrix_client.pages.overlays import LOOKS

    publish(valkey.url, message("A", 42, ts=1), store=True)
    wait_until(lambda: held(live_api, "A", 42), what="API holds A=42", timeout=30)
    client = make_client(live_api.url, token=TOKEN)
    page = (42, 0, 0)
    wait_until(lambda: client.follower.connected and client.pixel() == page, 30, what="live")

    def shows(frame: Image.Image | None = None) -> str:
        frame = frame or client.display.last_frame
        colours = {c for _, c in frame.getcolors(W * H)}
        for level, look in LOOKS.items():
            if look.border in colours:
                return level
        return "page" if page in colours else "?"

    put(live_api, "notify", {"text": "Dinner", "seconds": 4})  # no level: info, as before
    put(live_api, "notify", {"text": "Rain", "seconds": 2, "level": "warning", "icon": "rain"})
    wait_until(lambda: shows() == "info", 30, what="info on screen")
    sent = time.monotonic()
    put(live_api, "notify", {"text": "Door open", "level": "critical", "seconds": 600})
    wait_until(lambda: shows() == "critical", 30, what="critical on screen")
    interrupted_in = time.monotonic() - sent
    assert page not in {c for _, c in client.display.last_frame.getcolors(W * H)}
    time.sleep(1.5)
    assert shows() == "critical"  # holds until acknowledged
    put(live_api, "dismiss")
    wait_until(lambda: shows() == "info", 30, what="the interrupted info back")
    wait_until(lambda: shows() == "warning", 30, what="then the queued warning")
    wait_until(lambda: shows() == "page", 30, what="then the page")
    put(live_api, "notify", {"text": "Smoke", "level": "critical", "seconds": 1})
    wait_until(lambda: shows() == "critical", 30, what="second critical")
    wait_until(lambda: shows() == "page", 30, what="its time ran out")
    seen = [shows(frame) for frame in client.display.frames]
    order = [level for n, level in enumerate(seen) if n == 0 or seen[n - 1] != level]
    assert order[-8:] == ["page", "info", "critical", "info", "warning", "page", "critical",
                          "page"], seen
    assert interrupted_in < 2.0, interrupted_in  # the stream and one step, not a rotation
    assert client.loop.notifications.dismissed == 1
