"""MLB producer: MLB Stats API schedule answers replayed from tests/recorded over real HTTP."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from glanceboard.payloads import original
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


def _team(abbreviation: str, name: str, score: int, record: str) -> dict:
    return {"team": abbreviation, "name": name, "score": score, "record": record}


BOS_LOGO = "https://a.espncdn.com/i/teamlogos/mlb/500/scoreboard/bos.png"
NYY_LOGO = "https://a.espncdn.com/i/teamlogos/mlb/500/scoreboard/nyy.png"


def test_mapping_of_a_live_doubleheader() -> None:
    """The original's flat keys (scores as strings, colours without '#', the count and
    runners only while a half is played), with our nested teams, detail and venue."""
    games = map_schedule(recorded_json("mlb_schedule_live.json"), NY)
    assert games == [
        {"id": "777001", "startTime": "09/12/2026 1:05 PM -0400",
         "seasonType": "regular-season",
         "awayAbbreviation": "BOS", "awayColor": "c6011f", "awayRecord": "80-66",
         "awayLogo": BOS_LOGO,
         "homeAbbreviation": "NYY", "homeColor": "132448", "homeRecord": "86-60",
         "homeLogo": NYY_LOGO,
         "status": "post", "awayScore": "3", "homeScore": "5", "awayHits": 7, "homeHits": 9,
         "awayErrors": 1, "homeErrors": 0,
         "away": _team("BOS", "Boston Red Sox", 3, "80-66"),
         "home": _team("NYY", "New York Yankees", 5, "86-60"),
         "detail": "Final", "venue": "Yankee Stadium"},
        {"id": "777002", "startTime": "09/12/2026 7:05 PM -0400",
         "seasonType": "regular-season",
         "awayAbbreviation": "BOS", "awayColor": "c6011f", "awayRecord": "80-67",
         "awayLogo": BOS_LOGO,
         "homeAbbreviation": "NYY", "homeColor": "132448", "homeRecord": "87-60",
         "homeLogo": NYY_LOGO,
         "status": "in", "awayScore": "4", "homeScore": "2", "awayHits": 8, "homeHits": 5,
         "awayErrors": 1, "homeErrors": 0,
         # top of the 7th, 2 outs, 1-2 count, runners on first and third
         "inning": 7, "inningState": "Top", "balls": 1, "strikes": 2, "outs": 2,
         "onFirst": True, "onSecond": False, "onThird": True, "lastPlay": "",
         "away": _team("BOS", "Boston Red Sox", 4, "80-67"),
         "home": _team("NYY", "New York Yankees", 2, "87-60"),
         "detail": "In Progress", "venue": "Yankee Stadium"},
    ]
    assert original.values_problems("MLB", games) == []


def test_mapping_before_the_game_and_without_games() -> None:
    (game,) = map_schedule(recorded_json("mlb_schedule_preview.json"), NY)
    assert (game["status"], game["detail"]) == ("pre", "Scheduled")
    assert not {"inning", "outs", "awayScore", "onFirst"} & set(game)  # as the original
    assert (game["away"]["score"], game["home"]["score"]) == (0, 0)
    assert map_schedule(recorded_json("mlb_schedule_empty.json"), NY) == []


def test_middle_of_an_inning_has_no_count_or_runners() -> None:
    raw = recorded_json("mlb_schedule_live.json")
    raw["dates"][0]["games"][1]["linescore"]["inningState"] = "Middle"
    live = map_schedule(raw, NY)[1]
    assert live["inningState"] == "Mid"
    assert not {"balls", "strikes", "outs", "onFirst"} & set(live)
    assert original.values_problems("MLB", [live]) == []


def test_stats_api_abbreviations_become_espn_ones() -> None:
    raw = recorded_json("mlb_schedule_live.json")
    raw["dates"][0]["games"][1]["teams"]["away"]["team"]["abbreviation"] = "CWS"
    live = map_schedule(raw, NY)[1]
    assert (live["awayAbbreviation"], live["awayColor"]) == ("CHW", "000000")


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


def test_fetch_asks_for_every_game_today_with_linescore(upstream: RecordedServer) -> None:
    upstream.serve(PATH, recorded("mlb_schedule_live.json"))
    made = make_producer(MLB, ["--base-url", upstream.url, "--timezone", "America/New_York"],
                         now=datetime(2026, 9, 12, 21, 0, tzinfo=NY))
    assert len(made.fetch()) == 2
    assert upstream.seen[-1].query == {"sportId": ["1"], "date": ["2026-09-12"],
                                       "hydrate": ["linescore,team"]}
    # --team narrows it to one team's games.
    producer(upstream.url, now=datetime(2026, 9, 12, 21, 0, tzinfo=NY)).fetch()
    assert upstream.seen[-1].query["teamId"] == ["147"]


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
