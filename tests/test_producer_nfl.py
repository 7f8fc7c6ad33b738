"""NFL producer: ESPN scoreboard answers replayed from tests/recorded over real HTTP."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from glanceboard.payloads import original
from server.producers.base import ConfigError
from server.producers.nfl import NFL, map_scoreboard
from tests.producer_support import (
    RecordedServer,
    check_live_period_published,
    check_names_field,
    check_process_publishes,
    make_producer,
    recorded,
    recorded_json,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.upstream_failures import UpstreamFailureTests

PATH = "/scoreboard"
NY = ZoneInfo("America/New_York")
LIVE = "espn_nfl_scoreboard_live.json"
FINAL = "espn_nfl_scoreboard_final.json"


def producer(url: str, *extra: str, now: datetime | None = None) -> NFL:
    return make_producer(NFL, ["--base-url", url, "--timezone", "America/New_York", *extra],
                         now=now)


def test_mapping_of_a_live_thanksgiving_slate() -> None:
    values = map_scoreboard(recorded_json(LIVE), NY)
    # The original's week fields, from the scoreboard's season and week.
    assert {k: values[k] for k in ("seasontype", "weekname", "weekdates")} == {
        "seasontype": "Regular Season", "weekname": "Week 13", "weekdates": "Nov 26"}
    events = values["events"]
    assert [e["id"] for e in events] == ["401772901", "401772902", "401772903"]
    live, pre, night = events
    assert live == {
        # The original's keys: flat, scores as strings, colours with '#', the drive.
        "date": "Thu 12:30 PM", "fulldate": "2026-11-26T17:30Z", "week": 13, "state": "in",
        "homeabrv": "DET", "homeid": "8", "homecolor": "#0076b6",
        "homelogo": "https://a.espncdn.com/i/teamlogos/nfl/500/scoreboard/det.png",
        "homerecord": "9-2", "homescore": "17",
        "awayabrv": "CHI", "awayid": "3", "awaycolor": "#0b1c3a",
        "awaylogo": "https://a.espncdn.com/i/teamlogos/nfl/500/scoreboard/chi.png",
        "awayrecord": "5-6", "awayscore": "13",
        "period": "3rd Qtr", "clock": "8:32",
        "possession": "CHI",  # situation.possession "3" is the Bears' id
        "position": "CHI 35", "downandyardage": "2nd & 4", "lastplay": "Pass Reception",
        # Ours.
        "id": "401772901", "start": "2026-11-26T12:30:00-05:00", "detail": "3rd 8:32",
        "venue": "Stadium", "broadcast": "FOX",
        "away": {"team": "CHI", "name": "Chicago Bears", "score": 13, "record": "5-6"},
        "home": {"team": "DET", "name": "Detroit Lions", "score": 17, "record": "9-2"}}
    assert (pre["state"], pre["detail"], pre["date"]) == ("pre", "Thu 4:30 PM", "Thu 4:30 PM")
    assert not {"period", "clock", "possession"} & set(pre)  # as the original, before kickoff
    assert (pre["away"]["team"], pre["home"]["team"]) == ("KC", "DAL")
    assert night["detail"] == "Thu 8:20 PM"
    assert original.values_problems("NFL", values) == []


def test_mapping_final_and_halftime() -> None:
    (final,) = map_scoreboard(recorded_json(FINAL), NY)["events"]
    assert (final["state"], final["detail"]) == ("post", "Final")
    assert not {"clock", "possession"} & set(final)
    assert (final["away"]["score"], final["home"]["score"]) == (20, 27)
    assert (final["awayscore"], final["homescore"]) == ("20", "27")
    raw = recorded_json(LIVE)
    raw["events"][0]["status"]["type"]["name"] = "STATUS_HALFTIME"
    raw["events"][0]["status"]["period"] = 2
    raw["events"][0]["status"]["displayClock"] = "0:00"
    halftime = map_scoreboard(raw, NY)["events"][0]
    assert (halftime["detail"], halftime["period"]) == ("Halftime", "Halftime")


def test_no_possession_means_no_drive_fields() -> None:
    raw = recorded_json(LIVE)
    del raw["events"][0]["competitions"][0]["situation"]["possession"]
    live = map_scoreboard(raw, NY)["events"][0]
    assert not {"possession", "position", "downandyardage", "lastplay"} & set(live)
    assert original.values_problems("NFL", {**map_scoreboard(raw, NY)}) == []


def test_team_filter() -> None:
    events = map_scoreboard(recorded_json(LIVE), NY, team="kc")["events"]
    assert [e["id"] for e in events] == ["401772902"]


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda r: r["events"][0]["status"]["type"].pop("state"), "events[0].status.type.state"),
    (lambda r: r["events"][0]["competitions"][0]["competitors"][1].__setitem__("score", None),
     "events[0].competitions[0].competitors[1].score"),
    (lambda r: r["events"][1].__setitem__("competitions", []), "events[1].competitions"),
    (lambda r: r["events"][0]["competitions"][0]["competitors"][0]["team"].pop("abbreviation"),
     "events[0].competitions[0].competitors[0].team.abbreviation"),
    (lambda r: r.pop("events"), "events"),
])
def test_changed_shape_names_the_field(mutate, field: str) -> None:
    raw = recorded_json(LIVE)
    mutate(raw)
    check_names_field(lambda: map_scoreboard(raw, NY), field)


def test_fetch_asks_for_the_current_week(upstream: RecordedServer) -> None:
    upstream.serve(PATH, recorded(LIVE))
    made = producer(upstream.url, now=datetime(2026, 11, 26, 13, 0, tzinfo=NY))
    assert len(made.fetch()["events"]) == 3
    assert upstream.seen[-1].query == {}  # no date: ESPN answers with its current week


def test_period_is_short_while_live_and_wakes_at_kickoff(upstream: RecordedServer) -> None:
    made = producer(upstream.url, "--period", "600", "--live-period", "15",
                    now=datetime(2026, 11, 26, 13, 0, tzinfo=NY))
    upstream.serve(PATH, recorded(LIVE))
    assert made.next_period({"NFL": made.fetch()}) == 15
    # Nothing live; next kickoff 16:30, asked at 16:28 -> 2 min + 5 s.
    raw = recorded_json(LIVE)
    del raw["events"][0]
    upstream.serve(PATH, raw)
    made.now = lambda: datetime(2026, 11, 26, 16, 28, tzinfo=NY)  # type: ignore[method-assign]
    assert made.next_period({"NFL": made.fetch()}) == 125
    upstream.serve(PATH, recorded(FINAL))
    assert made.next_period({"NFL": made.fetch()}) == 600


@pytest.mark.parametrize(("live_period", "named"), [
    ("soon", "NFL: --live-period (env LIVE_PERIOD): 'soon' is not a number of seconds"),
    ("0", "NFL: --live-period (env LIVE_PERIOD): '0' must be more than 0 seconds"),
])
def test_bad_live_period_is_named(upstream: RecordedServer, monkeypatch: pytest.MonkeyPatch,
                                  live_period: str, named: str) -> None:
    upstream.serve(PATH, recorded(LIVE))
    monkeypatch.setenv("LIVE_PERIOD", live_period)
    made = producer(upstream.url)
    with pytest.raises(ConfigError) as caught:
        made.next_period({"NFL": made.fetch()})
    assert str(caught.value) == named


def test_live_game_is_published_with_the_live_period(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded(LIVE))
    check_live_period_published(producer(upstream.url, "--live-period", "2"), valkey.url, "NFL")


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "NFL", PATH, "events[0].status.period"

    def make(self, url: str) -> NFL:
        return producer(url)

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(PATH, recorded(FINAL))

    def serve_changed(self, upstream: RecordedServer) -> None:
        raw = recorded_json(LIVE)
        raw["events"][0]["status"]["period"] = "third"
        upstream.serve(PATH, raw)


def test_process_publishes(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded(FINAL))
    message = check_process_publishes("nfl", ["--base-url", upstream.url, "--team", "DET"],
                                      valkey.url, "NFL", env={"TIMEZONE": "America/New_York",
                                                              "PERIOD": "300"})
    assert message["values"] == map_scoreboard(recorded_json(FINAL), NY)
    assert seconds_valid(message) == 300
