"""Display profiles, the pure part: the strict reader (errors by path, all at once) and
the rules (schedule windows, conditions, favourite teams, the brightness schedule);
then the render loop on a manual clock following a profile."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from glanceboard.payloads import view
from glanceboard.profile import (
    BUILTIN_PAGES,
    DAYS,
    MAX_ROTATION,
    ProfileEntry,
    ProfileError,
    Window,
    condition_met,
    entry_due,
    favourite_live,
    game_day,
    games_of,
    parse_fields,
    parse_profile,
)
from matrix_client.brightness import scheduled_brightness
from matrix_client.clock import ManualClock
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.loopstate.profile import ProfileInbox
from matrix_client.pages.base import PageFrame, PageSettings, PageSpec
from matrix_client.rotation import RotationEntry
from matrix_client.store import StateStore
from tests.legacy_samples import legacy

# A Monday, noon UTC.
MONDAY = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _errors(obj: Any, pages: Any = None) -> dict[str, str]:
    with pytest.raises(ProfileError) as refused:
        parse_fields(obj, pages)
    return refused.value.errors


# --- the reader -----------------------------------------------------------------------


def test_a_full_profile_reads_and_writes_back_the_same() -> None:
    body = {"display": "kitchen", "version": 4, "updated": "2026-12-02T08:00:00Z",
            "timezone": "Europe/Berlin",
            "rotation": [
                {"page": "clock", "seconds": 10, "enabled": True, "when": "has_data",
                 "schedule": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "07:00",
                               "to": "09:00"}]},
                {"page": "mlb", "seconds": 12.5, "enabled": True, "when": "favourite_live",
                 "schedule": []}],
            "brightness": [{"at": "07:00", "percent": 100}, {"at": "22:00", "percent": 20}]}
    profile = parse_profile(body, display="kitchen")
    assert profile.to_json() == body
    assert profile.brightness_schedule() == [(420, 100), (1320, 20)]


def test_defaults_are_written_out_and_fields_left_out_stay_unset() -> None:
    profile = parse_profile({"display": "hall", "version": 1, "rotation": ["clock"]})
    assert profile.rotation == (ProfileEntry("clock"),)
    assert profile.to_json()["rotation"] == [{"page": "clock", "seconds": 10, "enabled": True,
                                              "when": "has_data", "schedule": []}]
    assert profile.timezone is None and profile.brightness is None
    assert profile.brightness_schedule() is None
    assert parse_profile({"display": "hall", "version": 0}).empty


def test_every_error_is_named_by_its_path_at_once() -> None:
    errors = _errors({
        "timezone": "Nowhere/Land", "colour": "red",
        "rotation": [{"page": "clock", "seconds": -1, "enabled": "yes"},
                     {"page": "weather", "when": "game_day"},
                     {"page": "mlb", "when": "sometimes",
                      "schedule": [{"days": [], "from": "9:00", "to": "24:01"},
                                   {"days": ["mon"], "from": "10:00", "to": "10:00"}]},
                     42],
        "brightness": [{"at": "07:00", "percent": 50}, {"at": "07:00", "percent": 5},
                       {"at": "08:00", "percent": True}],
        "version": -3})
    assert errors == {
        "timezone": errors["timezone"], "colour": errors["colour"],
        "rotation[0].seconds": "must be a number of seconds, 1-86400",
        "rotation[0].enabled": "must be true or false",
        "rotation[1].when": "game_day is for the mlb and nfl pages",
        "rotation[2].when": errors["rotation[2].when"],
        "rotation[2].schedule[0].days": errors["rotation[2].schedule[0].days"],
        "rotation[2].schedule[0].from": "must be a time HH:MM, 00:00-23:59",
        "rotation[2].schedule[0].to": "must be a time HH:MM, 00:00-24:00",
        "rotation[2].schedule[1].to": errors["rotation[2].schedule[1].to"],
        "rotation[3]": "must be an object with page and seconds",
        "brightness[1].at": "the same time as brightness[0]",
        "brightness[2].percent": "must be an integer 0-100",
        "version": "must be a whole number >= 0",
    }
    assert "Nowhere/Land" in errors["timezone"] and "unknown field" in errors["colour"]


def test_pages_follow_the_name_rule_or_a_given_list() -> None:
    assert "rotation[0].page" in _errors({"rotation": [{"page": "a b"}]})
    assert "rotation[0].page" in _errors({"rotation": [{"page": ""}]})
    assert parse_fields({"rotation": ["my-plugin.page"]})["rotation"][0].page == \
        "my-plugin.page"
    errors = _errors({"rotation": ["clock", "radar"]}, pages=("clock", "moon"))
    assert list(errors) == ["rotation[1].page"] and "radar" in errors["rotation[1].page"]


def test_sizes_are_bounded() -> None:
    assert "rotation" in _errors({"rotation": ["clock"] * (MAX_ROTATION + 1)})
    assert "rotation" in _errors({"rotation": []})
    assert "rotation" in _errors({"rotation": [{"page": "clock", "enabled": False}]})
    assert "rotation[0].schedule" in _errors(
        {"rotation": [{"page": "clock", "schedule": [{"from": "01:00", "to": "02:00"}] * 9}]})
    assert "brightness" in _errors({"brightness": [{"at": "00:00", "percent": 1}] * 49})
    assert "timezone" in _errors({"timezone": "x" * 65})
    assert "" in _errors([1, 2])


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=30) | st.sampled_from(["clock", "mlb", "07:00", "24:00", "mon", "always"]),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["page", "seconds", "when", "schedule", "days", "from", "to",
                         "enabled", "at", "percent", "x"]), inner, max_size=5),
    max_leaves=30)


@settings(max_examples=300)
@given(st.fixed_dictionaries({}, optional={"timezone": _JSON, "rotation": _JSON,
                                           "brightness": _JSON, "version": _JSON}))
def test_anything_reads_as_a_profile_or_as_errors_by_path(body: dict[str, Any]) -> None:
    try:
        fields = parse_fields(body)
    except ProfileError as exc:
        assert exc.errors and all(isinstance(why, str) and why for why in exc.errors.values())
        return
    # What passes writes back to itself.
    profile = parse_profile({"display": "d", "version": 1, **{
        name: value for name, value in body.items() if name != "version"}})
    again = parse_profile(profile.to_json())
    assert again == profile and fields["rotation"] == profile.rotation


def test_a_delivered_profile_must_name_its_display() -> None:
    with pytest.raises(ProfileError) as wrong:
        parse_profile({"display": "hall", "version": 1}, display="kitchen")
    assert "display" in wrong.value.errors
    with pytest.raises(ProfileError) as unversioned:
        parse_profile({"display": "hall"})
    assert "version" in unversioned.value.errors


def test_the_builtin_page_names_are_the_registry_ones() -> None:
    from matrix_client.pages import builtin_pages

    assert sorted(BUILTIN_PAGES) == sorted(builtin_pages())


# --- schedule windows -------------------------------------------------------------------


def _covered(window: Window) -> set[tuple[int, int]]:
    """(weekday, minute) pairs the window covers, spelled out minute by minute."""
    out = set()
    for day in window.days:
        d = DAYS.index(day)
        if window.start < window.end:
            out |= {(d, m) for m in range(window.start, window.end)}
        else:
            out |= {(d, m) for m in range(window.start, 1440)}
            out |= {((d + 1) % 7, m) for m in range(0, window.end)}
    return out


@given(days=st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
       start=st.integers(0, 1439), end=st.integers(0, 1440),
       day=st.integers(0, 6), minute=st.integers(0, 1439))
def test_a_window_holds_exactly_its_minutes(days: list[str], start: int, end: int, day: int,
                                            minute: int) -> None:
    if start == end:
        return
    spec = {"days": days, "from": f"{start // 60:02d}:{start % 60:02d}",
            "to": f"{end // 60:02d}:{end % 60:02d}"}
    entry = parse_fields({"rotation": [{"page": "clock", "schedule": [spec]}]})["rotation"][0]
    window = entry.schedule[0]
    moment = MONDAY.replace(hour=0, minute=0) + timedelta(days=day, minutes=minute)
    assert window.contains(moment) == ((day, minute) in _covered(window))


def test_a_window_past_midnight_belongs_to_the_day_it_starts() -> None:
    entry = parse_fields({"rotation": [{"page": "clock", "schedule": [
        {"days": ["fri"], "from": "22:00", "to": "02:00"}]}]})["rotation"][0]
    friday = MONDAY + timedelta(days=4)
    assert entry.in_schedule(friday.replace(hour=23, minute=30))
    assert entry.in_schedule((friday + timedelta(days=1)).replace(hour=1, minute=59))
    assert not entry.in_schedule((friday + timedelta(days=1)).replace(hour=2, minute=0))
    assert not entry.in_schedule(friday.replace(hour=1, minute=0))  # Thursday's night
    assert not entry.in_schedule(friday.replace(hour=21, minute=59))
    assert ProfileEntry("clock").in_schedule(friday)  # no windows: any time


# --- conditions -------------------------------------------------------------------------


class Facts:
    def __init__(self, data: bool = True, stale: bool = False, live: bool = False,
                 day: bool = False) -> None:
        self._data, self._stale, self._live, self._day = data, stale, live, day

    def has_data(self) -> bool:
        return self._data

    def stale(self) -> bool:
        return self._stale

    def favourite_live(self) -> bool:
        return self._live

    def game_day(self) -> bool:
        return self._day


@pytest.mark.parametrize(("when", "facts", "shown"), [
    ("always", Facts(data=False), True),
    ("has_data", Facts(data=False), False),
    ("has_data", Facts(stale=True), True),
    ("fresh", Facts(stale=True), False),
    ("fresh", Facts(), True),
    ("favourite_live", Facts(), False),
    ("favourite_live", Facts(live=True), True),
    ("favourite_live", Facts(data=False, live=True), False),
    ("game_day", Facts(day=True), True),
    ("game_day", Facts(live=True), False),
])
def test_conditions(when: str, facts: Facts, shown: bool) -> None:
    assert condition_met(when, facts) is shown


def test_an_entry_is_due_when_enabled_in_schedule_and_its_condition_holds() -> None:
    windows = (Window(("mon",), 11 * 60, 13 * 60),)
    assert entry_due(ProfileEntry("clock", schedule=windows), MONDAY, Facts())
    assert not entry_due(ProfileEntry("clock", enabled=False), MONDAY, Facts())
    assert not entry_due(ProfileEntry("clock", schedule=windows), MONDAY + timedelta(hours=2),
                         Facts())
    assert not entry_due(ProfileEntry("clock", when="fresh"), MONDAY, Facts(stale=True))


def test_favourite_teams_from_the_mlb_and_nfl_views() -> None:
    mlb = games_of(view("MLB", legacy("MLB_live")))
    assert mlb and any(game.live for game in mlb)
    assert favourite_live(mlb, ("BOS",)) and favourite_live(mlb, ("nyy",))
    assert not favourite_live(mlb, ("SEA",))
    assert favourite_live(mlb, ())  # no favourites: any game
    final = games_of(view("MLB", legacy("MLB_final")))
    assert not favourite_live(final, ("BOS",))
    start = next(game.start for game in mlb if game.start is not None)
    new_york = ZoneInfo("America/New_York")
    assert game_day(final + mlb, ("BOS",), start.astimezone(new_york).date(), new_york)
    pregame = games_of(view("MLB", legacy("MLB_pregame")))
    first = next(game for game in pregame if game.start is not None)
    team = first.home.abbreviation
    day = first.start.astimezone(new_york).date()
    assert game_day(pregame, (team,), day, new_york)
    assert not game_day(pregame, (team,), day + timedelta(days=1), new_york)
    assert not game_day(pregame, ("NOPE",), day, new_york)
    nfl = games_of(view("NFL", legacy("NFL_live")))
    live_team = next(game.home.abbreviation for game in nfl if game.live)
    assert favourite_live(nfl, (live_team,)) and not favourite_live(nfl, ("XXX",))


def test_the_brightness_schedule_is_what_the_panel_takes() -> None:
    profile = parse_profile({"display": "d", "version": 1, "brightness": [
        {"at": "22:00", "percent": 20}, {"at": "07:00", "percent": 100}]})
    schedule = profile.brightness_schedule()
    assert scheduled_brightness(schedule, MONDAY.replace(hour=23), 50) == 20
    assert scheduled_brightness(schedule, MONDAY.replace(hour=3), 50) == 20
    assert scheduled_brightness(schedule, MONDAY.replace(hour=8), 50) == 100


# --- the render loop following a profile ------------------------------------------------


def _page(name: str, shade: int, kinds: tuple[str, ...] = ()) -> PageSpec:
    return PageSpec(name, lambda ctx: PageFrame(Image.new("RGB", ctx.size, (shade, 0, 0))),
                    kinds)


PAGES = {"clock": _page("clock", 10), "moon": _page("moon", 20, ("Moon",)),
         "mlb": _page("mlb", 30, ("MLB",)), "uptime": _page("uptime", 40)}


def _loop(clock: ManualClock, store: StateStore | None = None,
          settings: PageSettings | None = None) -> tuple[RenderLoop, ProfileInbox]:
    inbox = ProfileInbox("kitchen")
    loop = RenderLoop(HeadlessDisplay(16, 8), store or StateStore(),
                      [RotationEntry("clock", 3600), RotationEntry("uptime", 3600)],
                      clock=clock, page_lookup=PAGES.__getitem__, profiles=inbox,
                      brightness_schedule=[(0, 70)], settings=settings)
    loop.step()
    return loop, inbox


def _profile(**fields: Any) -> dict[str, Any]:
    return {"display": "kitchen", "version": fields.pop("version", 1), **fields}


def test_the_loop_follows_a_profile_live_and_falls_back_without_one() -> None:
    clock = ManualClock(MONDAY)
    loop, inbox = _loop(clock)
    assert loop.entry.page == "clock" and loop.brightness == 70
    assert inbox.offer_json(_profile(
        timezone="Asia/Tokyo",
        rotation=[{"page": "uptime", "seconds": 5, "when": "always"},
                  {"page": "nope", "seconds": 5, "when": "always"},  # not on this display
                  {"page": "clock", "seconds": 5, "when": "always",
                   "schedule": [{"days": ["mon"], "from": "21:00", "to": "21:01"}]}],
        brightness=[{"at": "00:00", "percent": 15}]), "test")
    loop.step()
    assert [entry.page for entry in loop.rotation] == ["uptime", "clock"]
    assert loop.profile_version == 1 and loop.brightness == 15
    assert inbox.offer_json(_profile(version=2, rotation=[
        {"page": "moon", "enabled": False}, {"page": "uptime"}, {"page": "clock"}]), "t")
    loop.step()
    assert [entry.page for entry in loop.rotation] == ["uptime", "clock"]  # no disabled one
    assert inbox.offer_json(_profile(
        timezone="Asia/Tokyo",
        rotation=[{"page": "uptime", "seconds": 5, "when": "always"},
                  {"page": "clock", "seconds": 5, "when": "always",
                   "schedule": [{"days": ["mon"], "from": "21:00", "to": "21:01"}]}],
        brightness=[{"at": "00:00", "percent": 15}]), "test")
    loop.step()
    assert loop.now().utcoffset() == timedelta(hours=9)  # 21:00 in Tokyo
    assert loop.entry.page == "clock"  # the page on screen stays on: the profile has it
    clock.advance(6)
    loop.step()
    assert loop.entry.page == "uptime"
    clock.advance(6)
    loop.step()
    assert loop.entry.page == "clock"  # its window (21:00-21:01 Tokyo time) is open
    clock.advance(60)
    loop.step()
    assert loop.entry.page == "uptime"  # the window closed
    clock.advance(6)
    loop.step()
    assert loop.entry.page == "uptime"
    inbox.offer_json({"display": "kitchen", "version": 0}, "test")  # deleted
    loop.step()
    assert loop.profile is None and loop.brightness == 70
    assert [entry.page for entry in loop.rotation] == ["clock", "uptime"]
    assert loop.now().utcoffset() == timedelta(0)


def test_a_bad_or_foreign_profile_changes_nothing() -> None:
    loop, inbox = _loop(ManualClock(MONDAY))
    assert not inbox.offer_json(_profile(rotation=[{"page": "clock", "seconds": 0}]), "t")
    assert not inbox.offer_json({"display": "hall", "version": 2}, "t")
    assert not inbox.offer_json("garbage", "t")
    loop.step()
    assert loop.profile is None and inbox.refused == 3


def test_conditions_skip_pages_in_the_loop() -> None:
    clock = ManualClock(MONDAY)
    store = StateStore()
    loop, inbox = _loop(clock, store, PageSettings(favorite_mlb=("BOS",)))
    inbox.offer_json(_profile(rotation=[
        {"page": "clock", "seconds": 5, "when": "always"},
        {"page": "moon", "seconds": 5, "when": "fresh"},
        {"page": "mlb", "seconds": 5, "when": "favourite_live"}]), "t")
    loop.step()

    def pages_shown(turns: int = 6) -> set[str]:
        seen = set()
        for _ in range(turns):
            clock.advance(5)
            loop.step()
            seen.add(loop.entry.page)
        return seen

    assert pages_shown() == {"clock"}  # no Moon, no MLB data yet
    from glanceboard.envelope import validate_object

    now = MONDAY + timedelta(seconds=40)
    moon = {"type": "Moon", "values": {"phase": 0.5}, "ts": int(now.timestamp() * 1000),
            "updated": now.isoformat(), "valid": (now + timedelta(seconds=30)).isoformat()}
    store.apply(validate_object(moon, int(now.timestamp() * 1000)))
    live = legacy("MLB_live")
    live["ts"] = int(now.timestamp() * 1000)
    store.apply(validate_object(live, int(now.timestamp() * 1000) + 1))
    assert pages_shown() == {"clock", "moon", "mlb"}
    clock.advance(60)  # the Moon's data is past valid now
    assert pages_shown() == {"clock", "mlb"}
    final = legacy("MLB_final")
    final["ts"] = live["ts"] + 1
    store.apply(validate_object(final, final["ts"] + 1))
    assert pages_shown() == {"clock"}  # the game is over: no favourite plays


def test_a_report_drops_the_profile_field_for_a_server_older_than_profiles() -> None:
    """Against a server that refuses the field, as the API server did before profiles,
    the display keeps reporting everything else."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from matrix_client.report import Reporter

    bodies: list[dict[str, Any]] = []

    class OlderServer(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:  # noqa: N802 - the http.server name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            bodies.append(body)
            refused = "profile" in body
            answer = (b'{"detail": "report: unknown field(s) profile; allowed: ..."}'
                      if refused else b"{}")
            self.send_response(400 if refused else 200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), OlderServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        reporter = Reporter(f"http://127.0.0.1:{server.server_port}", "kitchen", dict)
        report = {"width": 64, "height": 32, "page": "clock", "profile": 3}
        assert reporter.send(report) and reporter.send(report)
        assert bodies == [report, {"width": 64, "height": 32, "page": "clock"},
                          {"width": 64, "height": 32, "page": "clock"}]
        reporter.session.close()
    finally:
        server.shutdown()
        server.server_close()
