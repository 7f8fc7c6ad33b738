"""The page settings in force: the household's ``Settings`` envelope over the client
config (flags still win), merged once per envelope, and a frame rendered under older
settings never served from the render cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from glanceboard.envelope import validate_object
from glanceboard.payloads import names
from matrix_client.clock import ManualClock
from matrix_client.config import ConfigError, load_config
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext, PageSettings
from matrix_client.pages.live_settings import FollowedSettings, in_zone, merge_settings
from matrix_client.rotation import RotationEntry
from matrix_client.store import StateStore

START = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
CONFIG = PageSettings(favorite_mlb=("BOS",), favorite_nfl=("KC",), clock_24h=False,
                      units="imperial", wifi_qr="WIFI:T:WPA;S:Config;P:one;;",
                      timezone="America/New_York")


def settings_envelope(values: Any, ts: int = 1) -> dict[str, Any]:
    return {"type": names.SETTINGS, "values": values, "updated": START.isoformat(),
            "valid": (START + timedelta(days=365)).isoformat(), "ts": ts}


EVERYTHING = {"version": 3, "mlb_teams": ["nyy", "LAD"], "nfl_teams": ["BUF"],
              "clock": "24h", "units": "metric", "wifi_qr": "WIFI:T:WPA;S:Live;P:two;;",
              "timezone": "Europe/Berlin", "place": "Berlin"}


def test_the_envelope_wins_for_every_field_it_sets() -> None:
    merged = merge_settings(CONFIG, settings_envelope(EVERYTHING))
    assert merged.favorite_mlb == ("NYY", "LAD")  # normalised to ESPN abbreviations
    assert merged.favorite_nfl == ("BUF",)
    assert merged.clock_24h is True
    assert merged.units == "metric" and merged.metric
    assert merged.wifi_qr == "WIFI:T:WPA;S:Live;P:two;;"
    assert merged.timezone == "Europe/Berlin"
    # What the household settings do not hold stays the client's.
    assert merged.stale_grace == CONFIG.stale_grace and merged.fonts == CONFIG.fonts


def test_a_12h_envelope_turns_a_24h_config_back() -> None:
    config = PageSettings(clock_24h=True, units="metric")
    merged = merge_settings(config, settings_envelope({"clock": "12h", "units": "imperial"}))
    assert merged.clock_24h is False and merged.units == "imperial"


def test_no_envelope_leaves_the_config() -> None:
    assert merge_settings(CONFIG, None) is CONFIG
    assert merge_settings(CONFIG, settings_envelope({})) is CONFIG
    # Only what it sets moves: the rest stays the config's.
    merged = merge_settings(CONFIG, settings_envelope({"units": "metric"}))
    assert merged == PageSettings(**{**CONFIG.__dict__, "units": "metric"})


@pytest.mark.parametrize("values", [
    {"units": "kelvin", "clock": "25h", "timezone": "Mars/Olympus_Mons",
     "wifi_qr": "http://not-a-wifi-code", "mlb_teams": "BOS", "nfl_teams": 7},
    {"units": 1, "clock": None, "timezone": ["UTC"], "wifi_qr": {"x": 1}},
    "not an object", None, [1, 2],
])
def test_bad_envelope_fields_are_ignored(values: Any) -> None:
    merged = merge_settings(CONFIG, settings_envelope(values))
    assert merged.units == "imperial" and merged.clock_24h is False
    assert merged.timezone == "America/New_York"
    assert merged.wifi_qr == CONFIG.wifi_qr
    assert merged.favorite_mlb in (("BOS",), ())  # a string is no list: no teams or kept


def test_a_bad_field_does_not_spoil_the_good_ones() -> None:
    merged = merge_settings(CONFIG, settings_envelope({"units": "kelvin", "clock": "24h",
                                                      "mlb_teams": ["XXX", "sea"]}))
    assert merged.units == "imperial"  # the bad one keeps the config's
    assert merged.clock_24h is True
    assert merged.favorite_mlb == ("SEA",)  # an unknown team is dropped, the rest kept


def test_an_envelope_that_is_not_a_mapping_changes_nothing() -> None:
    assert merge_settings(CONFIG, "Settings") is CONFIG  # type: ignore[arg-type]


def test_a_flag_wins_over_the_envelope() -> None:
    config = load_config(environ={}, overrides={("pages", "units"): "imperial",
                                                ("pages", "clock_24h"): False},
                         flag_names={("pages", "units"): "--units"})
    base = config.page_settings()
    assert base.locked == {"units", "clock_24h"}
    merged = merge_settings(base, settings_envelope({"units": "metric", "clock": "24h",
                                                     "nfl_teams": ["DAL"]}))
    assert merged.units == "imperial" and merged.clock_24h is False
    assert merged.favorite_nfl == ("DAL",)  # not locked: the envelope's


def test_the_config_reads_units_from_file_and_environment(tmp_path) -> None:
    assert load_config(environ={}).page_settings().units == "imperial"
    path = tmp_path / "client.toml"
    path.write_text('[pages]\nunits = "metric"\n[display]\ntimezone = "Asia/Tokyo"\n')
    from_file = load_config(path, environ={}).page_settings()
    assert from_file.units == "metric" and from_file.timezone == "Asia/Tokyo"
    assert from_file.locked == frozenset()  # a file is not a flag
    env = load_config(path, environ={"GLANCEBOARD_PAGES_UNITS": "imperial"})
    assert env.page_settings().units == "imperial"
    assert env.origin("pages", "units") == "env GLANCEBOARD_PAGES_UNITS"
    with pytest.raises(ConfigError, match=r"\[pages\] units: expected one of imperial, metric"):
        load_config(environ={"GLANCEBOARD_PAGES_UNITS": "kelvin"})


def test_followed_settings_merge_once_per_envelope(monkeypatch) -> None:
    followed = FollowedSettings(CONFIG)
    assert followed.follow({}) is CONFIG and followed.generation == 0
    envelope = settings_envelope({"units": "metric"})
    first = followed.follow({names.SETTINGS: envelope})
    assert first.units == "metric" and followed.generation == 1
    assert followed.version is None  # this envelope names no version
    calls = []
    import matrix_client.pages.live_settings as live

    monkeypatch.setattr(live, "merge_settings", lambda *a: calls.append(a) or CONFIG)
    assert followed.follow({names.SETTINGS: envelope}) is first  # the same envelope
    assert calls == []
    monkeypatch.undo()
    # A new envelope that changes nothing the pages read: same settings, same generation.
    again = followed.follow({names.SETTINGS: settings_envelope({"units": "metric",
                                                                "place": "Elsewhere"}, 2)})
    assert again == first and followed.generation == 1
    assert followed.follow({}) == CONFIG and followed.generation == 2  # removed: back
    assert followed.version is None
    followed.follow({names.SETTINGS: settings_envelope({"units": "metric", "version": 7}, 3)})
    assert followed.version == 7 and followed.generation == 3


def test_in_zone() -> None:
    assert in_zone(START, "") is START
    assert in_zone(START, "Nowhere/Land") is START
    tokyo = in_zone(START, "Asia/Tokyo")
    assert tokyo == START and tokyo.hour == 21 and tokyo.tzinfo == ZoneInfo("Asia/Tokyo")


# --- the loop: every render uses the settings in force, none served stale ---------------

def loop_with(page: str, settings: PageSettings, size: tuple[int, int] = (64, 32)
              ) -> tuple[RenderLoop, StateStore, HeadlessDisplay, ManualClock]:
    clock = ManualClock(START)
    store = StateStore()
    display = HeadlessDisplay(*size)
    loop = RenderLoop(display, store, [RotationEntry(page, 3600, show_empty=True)],
                      clock=clock, settings=settings, stale_mark=False)
    return loop, store, display, clock


def direct(page: str, settings: PageSettings, loop: RenderLoop, store: StateStore,
           now: datetime, size: tuple[int, int] = (64, 32)) -> bytes:
    ctx = PageContext(state=store.snapshot().state, now=now, width=size[0],
                      height=size[1], settings=settings, started=loop.started)
    return get_page(page).render(ctx).image.tobytes()


def test_a_settings_change_shows_on_the_next_frame_of_a_page_that_never_expires() -> None:
    # The Wi-Fi page reads no type and its picture never runs out: only the settings
    # can make it render again.
    config = PageSettings(wifi_qr="WIFI:T:WPA;S:Config;P:one;;")
    loop, store, display, clock = loop_with("wifi", config)
    loop.step()
    before = display.last_frame.tobytes()
    assert before == direct("wifi", config, loop, store, clock.now())
    store.apply(validate_object(settings_envelope({"wifi_qr": "WIFI:T:WPA;S:Live;P:2;;"})))
    clock.advance(0.5)
    loop.step()
    after = display.last_frame.tobytes()
    live = PageSettings(wifi_qr="WIFI:T:WPA;S:Live;P:2;;")
    assert after != before
    assert after == direct("wifi", live, loop, store, clock.now())
    renders = loop.stats.renders
    clock.advance(0.5)
    loop.step()
    assert loop.stats.renders == renders  # nothing changed since: the cached frame


def test_a_settings_zone_moves_the_clock_and_a_24h_clock_drops_am_pm() -> None:
    loop, store, display, clock = loop_with("clock", PageSettings(timezone="America/New_York"))
    loop.step()
    new_york = START.astimezone(ZoneInfo("America/New_York"))
    assert display.last_frame.tobytes() == direct("clock", loop.followed.current, loop,
                                                  store, new_york)
    store.apply(validate_object(settings_envelope({"timezone": "Asia/Tokyo", "clock": "24h"})))
    loop.step()
    tokyo = PageSettings(timezone="Asia/Tokyo", clock_24h=True)
    assert loop.followed.current == tokyo
    assert display.last_frame.tobytes() == direct("clock", tokyo, loop, store,
                                                  START.astimezone(ZoneInfo("Asia/Tokyo")))


def test_the_rotation_asks_the_merged_settings_whether_a_page_has_content() -> None:
    loop, store, display, clock = loop_with("wifi", PageSettings())
    loop.turns.entries[:] = [RotationEntry("wifi", 10), RotationEntry("clock", 10)]
    loop.step()
    assert loop.entry.page == "clock"  # no QR configured: Wi-Fi is skipped
    store.apply(validate_object(settings_envelope({"wifi_qr": "WIFI:T:WPA;S:Live;P:2;;"})))
    clock.advance(10)
    loop.step()
    assert loop.entry.page == "wifi"


# --- through the real pipeline: Valkey, the API server, the stream, the loop -------------

def test_a_published_settings_envelope_reaches_the_panel_without_a_restart(valkey) -> None:
    """Stored and published as the API server does after a change: the client follows
    the stream and the next frame shows the household's Wi-Fi code, not its config's."""
    import asyncio
    import queue
    import threading

    import redis.asyncio

    from glanceboard.backoff import Backoff
    from matrix_client.clock import SystemClock
    from matrix_client.sync import StreamFollower
    from server.kv_store import store_and_publish
    from server.settings import RedisSettings
    from tests.servers import start_api_server, wait_until

    token = "test-token"
    api = start_api_server(valkey.url, token=token, extra_args=["--heartbeat", "0.5"])
    stop = threading.Event()
    follower = None
    thread = None
    try:
        api.wait_ready()
        config = PageSettings(wifi_qr="WIFI:T:WPA;S:Config;P:one;;")
        live = PageSettings(wifi_qr="WIFI:T:WPA;S:Household;P:two;;")
        store = StateStore()
        display = HeadlessDisplay(64, 32)
        loop = RenderLoop(display, store, [RotationEntry("wifi", 3600)], clock=SystemClock(),
                          settings=config, stale_mark=False)
        follower = StreamFollower(api.url, store, queue.Queue(), token=token,
                                  connect_timeout=1.0, backoff=Backoff(base=0.1, cap=0.5),
                                  on_change=loop.wake.set)
        loop.link = follower
        follower.start()
        thread = threading.Thread(target=loop.run, args=(stop,), daemon=True)
        thread.start()

        def shows(settings: PageSettings) -> bool:
            frame = display.last_frame
            ctx = PageContext(state={}, now=START, width=64, height=32, settings=settings)
            return frame is not None and frame.tobytes() == get_page("wifi").render(
                ctx).image.tobytes()

        wait_until(lambda: follower.connected and shows(config), 30,
                   what="the config's code on screen, stream connected")
        envelope = validate_object(make_settings({"version": 1, "wifi_qr": live.wifi_qr,
                                                  "units": "metric"}))

        async def publish() -> None:
            client = redis.asyncio.Redis.from_url(valkey.url)
            try:
                await store_and_publish(client, RedisSettings(url=valkey.url), envelope,
                                        envelope.encoded)
            finally:
                await client.aclose()

        asyncio.run(publish())
        wait_until(lambda: shows(live), 10, what="the household's code on screen")
        assert loop.followed.current.units == "metric"
    finally:
        stop.set()
        if thread is not None:
            thread.join(5)
        if follower is not None:
            follower.stop()
        api.kill()


def make_settings(values: dict[str, Any]) -> dict[str, Any]:
    from glanceboard.timefmt import format_time, now_ms

    now = datetime.now(UTC)
    return {"type": names.SETTINGS, "values": values, "updated": format_time(now),
            "valid": format_time(now + timedelta(days=365)), "ts": now_ms()}


# --- favourite teams in one spelling ------------------------------------------------------

def test_a_favourite_finds_its_game_however_it_is_spelled() -> None:
    from glanceboard.payloads import view
    from matrix_client.pages.games import pick, same_mlb, same_nfl
    from matrix_client.pages.samples import context as sample

    state = sample("", (64, 32)).state
    games = view("MLB", state["MLB"])
    now = START
    dodgers = next(i for i, g in enumerate(games) if g.away.abbreviation == "LAD")
    for spelling in ("LAD", "lad", "119"):  # the MLB team id older configurations use
        assert pick(games, [spelling], now, same_mlb)[:2] == (dodgers, [dodgers]), spelling
    assert pick(games, ["119"], now)[1] != [dodgers]  # compared as written, no match
    assert same_mlb("CWS") == "CHW" and same_mlb("AZ") == "ARI" and same_mlb("xyz") == "XYZ"
    assert same_nfl("was") == "WSH" and same_nfl("JAC") == "JAX" and same_nfl("KC") == "KC"


def test_the_raw_data_page_never_shows_the_wifi_password() -> None:
    from matrix_client.pages.generic import shown_values, summarize

    values = {"version": 2, "place": "Home", "wifi_qr": "WIFI:T:WPA;S:home;P:hunter2;;"}
    assert "hunter2" in summarize(values)  # what the page would show without the rule
    assert "hunter2" not in summarize(shown_values(names.SETTINGS, values))
    assert shown_values("Weather", values) is values
    loop, store, display, clock = loop_with("generic", PageSettings(), size=(128, 64))
    store.apply(validate_object(settings_envelope(values)))
    loop.step()
    hidden = display.last_frame.tobytes()
    store.apply(validate_object(settings_envelope({**values, "wifi_qr": "WIFI:T:WPA;S:x;P:y;;"},
                                                  ts=2)))
    clock.advance(1)
    loop.step()
    assert display.last_frame.tobytes() == hidden  # the code changed, the page did not
