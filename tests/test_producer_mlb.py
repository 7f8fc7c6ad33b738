"""MLB producer: MLB Stats API schedule answers replayed from tests/recorded over real HTTP."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.producers.mlb import MLB, map_schedule
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

PATH = "/schedule"
NY = ZoneInfo("America/New_York")


def producer(url: str, *extra: str, now: datetime | None = None) -> MLB:
    return make_producer(MLB, ["--base-url", url, "--team", "147", "--timezone",
                               "America/New_York", *extra], now=now)


def test_mapping_of_a_live_doubleheader() -> None:
    games = map_schedule(recorded_json("mlb_schedule_live.json"), NY)
    assert games == [
        {"id": 777001, "start": "2026-09-12T13:05:00-04:00", "status": "Final",
         "state": "Final",
         "away": {"team": "BOS", "name": "Boston Red Sox", "score": 3, "record": "80-66"},
         "home": {"team": "NYY", "name": "New York Yankees", "score": 5, "record": "86-60"},
         "inning": 9, "half": None, "inning_state": None, "outs": None, "balls": None,
         "strikes": None, "bases": None, "venue": "Yankee Stadium"},
        {"id": 777002, "start": "2026-09-12T19:05:00-04:00", "status": "In Progress",
         "state": "Live",
         "away": {"team": "BOS", "name": "Boston Red Sox", "score": 4, "record": "80-67"},
         "home": {"team": "NYY", "name": "New York Yankees", "score": 2, "record": "87-60"},
         # top of the 7th, 2 outs, 1-2 count, runners on first and third
         "inning": 7, "half": "top", "inning_state": "Top", "outs": 2, "balls": 1,
         "strikes": 2, "bases": [True, False, True], "venue": "Yankee Stadium"},
    ]


def test_mapping_before_the_game_and_without_games() -> None:
    (game,) = map_schedule(recorded_json("mlb_schedule_preview.json"), NY)
    assert (game["status"], game["inning"], game["outs"], game["bases"]) == (
        "Scheduled", None, None, None)
    assert (game["away"]["score"], game["home"]["score"]) == (0, 0)
    assert map_schedule(recorded_json("mlb_schedule_empty.json"), NY) == []


def test_middle_of_an_inning_has_no_half() -> None:
    raw = recorded_json("mlb_schedule_live.json")
    raw["dates"][0]["games"][1]["linescore"]["inningState"] = "Middle"
    live = map_schedule(raw, NY)[1]
    assert (live["half"], live["inning_state"]) == (None, "Middle")


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda g: g["status"].pop("abstractGameState"), "dates[0].games[1].status.abstractGameState"),
    (lambda g: g["teams"]["home"].__setitem__("score", "2"), "dates[0].games[1].teams.home.score"),
    (lambda g: g["linescore"].pop("outs"), "dates[0].games[1].linescore.outs"),
    (lambda g: g["teams"]["away"]["team"].pop("abbreviation"),
     "dates[0].games[1].teams.away.team.abbreviation"),
])
def test_changed_shape_names_the_field(mutate, field: str) -> None:
    raw = recorded_json("mlb_schedule_live.json")
    mutate(raw["dates"][0]["games"][1])
    check_names_field(lambda: map_schedule(raw, NY), field)


def test_fetch_asks_for_the_team_today_with_linescore(upstream: RecordedServer) -> None:
    upstream.serve(PATH, recorded("mlb_schedule_live.json"))
    made = producer(upstream.url, now=datetime(2026, 9, 12, 21, 0, tzinfo=NY))
    assert len(made.fetch()) == 2
    query = upstream.seen[-1].query
    assert query == {"sportId": ["1"], "teamId": ["147"], "date": ["2026-09-12"],
                     "hydrate": ["linescore,team"]}


def test_period_is_short_while_live_and_wakes_at_first_pitch(upstream: RecordedServer) -> None:
    made = producer(upstream.url, "--period", "600", "--live-period", "20",
                    now=datetime(2026, 9, 12, 21, 0, tzinfo=NY))
    upstream.serve(PATH, recorded("mlb_schedule_live.json"))
    assert made.next_period({"MLB": made.fetch()}) == 20
    # First pitch 13:35 tomorrow: at 13:30 wake 5 min + 5 s later, not in 10 minutes.
    made.now = lambda: datetime(2026, 9, 13, 13, 30, tzinfo=NY)  # type: ignore[method-assign]
    upstream.serve(PATH, recorded("mlb_schedule_preview.json"))
    assert made.next_period({"MLB": made.fetch()}) == 305
    made.now = lambda: datetime(2026, 9, 13, 9, 0, tzinfo=NY)  # type: ignore[method-assign]
    assert made.next_period({"MLB": made.fetch()}) == 600
    upstream.serve(PATH, recorded("mlb_schedule_empty.json"))
    assert made.next_period({"MLB": made.fetch()}) == 600


def test_live_game_is_published_with_the_live_period(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded("mlb_schedule_live.json"))
    check_live_period_published(producer(upstream.url, "--live-period", "2"), valkey.url, "MLB")


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "MLB", PATH, "dates[0].games"

    def make(self, url: str) -> MLB:
        return producer(url)

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(PATH, recorded("mlb_schedule_preview.json"))

    def serve_changed(self, upstream: RecordedServer) -> None:
        raw = recorded_json("mlb_schedule_live.json")
        del raw["dates"][0]["games"]
        upstream.serve(PATH, raw)


def test_process_publishes(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded("mlb_schedule_live.json"))
    message = check_process_publishes("mlb", ["--base-url", upstream.url], valkey.url, "MLB",
                                      env={"MLB_TEAM": "111", "TIMEZONE": "America/New_York",
                                           "LIVE_PERIOD": "45"})
    assert message["values"] == map_schedule(recorded_json("mlb_schedule_live.json"), NY)
    assert seconds_valid(message) == 45
    assert upstream.seen[-1].query["teamId"] == ["111"]
