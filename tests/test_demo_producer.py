"""The demo producer: every type of docs/payloads.md, deterministic, changing with time."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from glanceboard.envelope import parse_envelope
from glanceboard.payloads import original
from glanceboard.payloads.aqi import band_of
from glanceboard.payloads.events import Events
from glanceboard.payloads.github import GitHub
from glanceboard.payloads.mlb import parse_games
from glanceboard.payloads.nfl import Week
from glanceboard.payloads.weather import COMPASS, glyph
from server.producers.demo import DEMO_TYPES
from server.producers.demo_data import CONDITIONS, FAMILY_NAMES, DemoWorld, Place
from server.valkey import EmbeddedValkey
from tests.pipeline_support import Child, python_module, wait_for
from tests.producer_support import Subscriber

NY = ZoneInfo("America/New_York")
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=NY)
ISO_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def test_same_seed_and_time_give_the_same_data() -> None:
    a = DemoWorld(7).messages(NOON)
    b = DemoWorld(7).messages(NOON)
    assert json.dumps(a) == json.dumps(b)
    other = DemoWorld(8).messages(NOON)
    assert other["Weather"] != a["Weather"] and other["MLB"] != a["MLB"]
    assert set(a) == set(DEMO_TYPES)


@pytest.mark.parametrize("moment", [NOON, at("2026-07-04T03:00"), at("2027-01-15T22:30")])
def test_every_type_has_the_documented_shape(moment: datetime) -> None:
    values = DemoWorld(3).messages(moment)
    check_weather(values["Weather"], moment)
    check_aqi(values["AQI"])
    check_moon(values["Moon"])
    check_calendar(values["Calendar"], moment)
    check_family(values["Events"], moment)
    check_github(values["GitHub"], moment)
    for game in values["MLB"]:
        check_mlb(game)
    assert values["NFL"]["weekname"].startswith("Week ")
    for game in values["NFL"]["events"]:
        check_nfl(game)
    for kind, payload in values.items():  # what the original clients read, as they read it
        assert original.values_problems(kind, payload) == [], kind
    for kind, payload in values.items():  # each is a valid envelope well under the limit
        raw = json.dumps({"type": kind, "values": payload, "updated": moment.isoformat(),
                          "valid": moment.isoformat(), "ts": 1})
        assert parse_envelope(raw).type == kind
        assert len(raw) < 64 * 1024


def check_weather(weather: dict[str, Any], moment: datetime) -> None:
    current = weather["current"]
    assert set(current) == {"temp", "fl", "humid", "windDir", "windSpeed", "windGust", "desc",
                            "dn", "wid", "nwid", "next_wid"}
    assert -40 < current["temp"] < 120 and -60 < current["fl"] < 130
    assert 0 <= current["humid"] <= 100 and isinstance(current["humid"], int)
    assert current["windDir"] in COMPASS and current["dn"] in ("d", "n")
    assert current["wid"] in CONDITIONS and current["next_wid"] in CONDITIONS
    assert current["nwid"] == glyph(current["wid"], current["dn"] == "n")
    assert current["desc"] == CONDITIONS[current["wid"]]
    assert current["windGust"] == 0 or current["windGust"] > current["windSpeed"]
    forecast, hourly = weather["forecast"], weather["hourly"]
    assert len(forecast) == 8 and len(hourly) == 48
    for offset, day in enumerate(forecast):
        assert day["date"] == (moment.date() + timedelta(days=offset)).isoformat()
        assert day["day"] == (moment.date() + timedelta(days=offset)).strftime("%a")
        assert day["lo"] <= day["hi"] and day["wid"] in CONDITIONS
        assert 0 <= day["pop"] <= 100 and day["windDir"] in COMPASS
        assert ISO_OFFSET.match(day["sunrise"]) and day["sunrise"] < day["sunset"]
    times = [datetime.fromisoformat(h["time"]) for h in hourly]
    assert times[0] <= moment < times[0] + timedelta(hours=1)
    assert all(b - a == timedelta(hours=1) for a, b in zip(times, times[1:], strict=False))
    for hour in hourly:
        assert ISO_OFFSET.match(hour["time"]) and hour["wid"] in CONDITIONS
        assert hour["dn"] in ("d", "n") and 0 <= hour["pop"] <= 100


def check_aqi(aqi: dict[str, Any]) -> None:
    assert set(aqi) == {"date_time", "date_time_at", "aqi_score", "aqi_adjective", "color",
                        "main_pollutant"}
    measured = datetime.fromisoformat(aqi["date_time_at"])
    assert aqi["date_time"].startswith(f"{measured:%m/%d/%Y} {measured.hour % 12 or 12}:")
    assert re.match(r"^\d\d/\d\d/\d{4} \d{1,2}:\d\d [AP]M E[SD]T$", aqi["date_time"])
    band = band_of(aqi["aqi_score"])
    assert (aqi["aqi_adjective"], aqi["color"]) == (band.adjective, band.color_text)
    assert re.match(r"^\(\d+,\d+,\d+\)$", aqi["color"])


def check_moon(moon: dict[str, Any]) -> None:
    assert 0 <= moon["phase"] <= 99 and isinstance(moon["phase"], int)
    assert re.match(r"^\d{1,3}\.\d%$", moon["illumstr"])
    assert re.match(r"^(Sunrise:  |Sunset:   )\d\d:\d\d [AP]M$", moon["sunevent"])
    assert re.match(r"^(Moonrise: |Moonset:  )\d\d:\d\d [AP]M$", moon["moonevent"])
    for key in ("sunevent", "moonevent"):  # the moment beside the text, ISO with offset
        at = datetime.fromisoformat(moon[key + "_at"])
        assert at.utcoffset() is not None and moon[key].endswith(f"{at:%I:%M %p}")


def check_calendar(entries: list[Any], moment: datetime) -> None:
    if entries == ["No events"]:
        return
    assert 1 <= len(entries) <= 20
    for summary, start, end in entries:
        assert isinstance(summary, str) and summary
        if DATE.match(start):
            assert DATE.match(end) and start < end
        else:
            assert ISO_OFFSET.match(start) and ISO_OFFSET.match(end)
            assert datetime.fromisoformat(end) > moment  # only what is not over
    starts = [e[1][:10] for e in entries]
    assert starts == sorted(starts)


def check_family(entries: list[Any], moment: datetime) -> None:
    events = Events.parse(entries)
    assert len(events.family) == len(entries) >= len(FAMILY_NAMES)  # every birthday
    birthdays = [e for e in events.family if e.event == "Birthday"]
    assert {e.name for e in birthdays} == set(FAMILY_NAMES)
    for event in events.family:
        assert event.next_on(moment.date()) is not None
        if event.recurring:
            assert event.year is not None and event.year < moment.year
        else:
            end = event.end
            assert end is not None and (end > moment if isinstance(end, datetime)
                                        else end > moment.date())


def check_github(github: dict[str, Any], moment: datetime) -> None:
    view = GitHub.parse(github)
    assert re.match(r"^[0-9a-f]{7}$", github["latest_commit"])
    assert re.match(r"^[0-9a-f]{7}$", github["last_successful_commit"])
    assert github["commit_message"] and view.date is not None and view.date <= moment
    assert github["status"] in ("success", "failure", "pending")
    if github["status"] == "success":
        assert github["latest_commit"] == github["last_successful_commit"]
    else:
        assert github["latest_commit"] != github["last_successful_commit"]


def check_team(team: dict[str, Any]) -> None:
    assert set(team) == {"team", "name", "score", "record"}
    assert isinstance(team["score"], int) and team["score"] >= 0
    assert re.match(r"^\d+-\d+$", team["record"])


def check_mlb(game: dict[str, Any]) -> None:
    (view,) = parse_games([game])
    assert game["detail"] in ("Scheduled", "Pre-Game", "Warmup", "In Progress", "Final",
                              "Postponed", "Delayed")
    assert view.start is not None and game["venue"]
    check_team(game["away"])
    check_team(game["home"])
    if game["detail"] == "In Progress":
        assert game["status"] == "in" and 1 <= game["inning"] <= 9
        assert game["inningState"] in ("Top", "Bot") and 0 <= game["outs"] <= 2
    elif game["detail"] == "Final":
        assert game["status"] == "post" and game["awayScore"] != game["homeScore"]
    else:
        assert game["status"] == "pre" and "inning" not in game


def check_nfl(game: dict[str, Any]) -> None:
    (view,) = Week.parse({"events": [game]}).games
    assert game["state"] in ("pre", "in", "post")
    assert isinstance(game["id"], str) and ISO_OFFSET.match(game["start"])
    check_team(game["away"])
    check_team(game["home"])
    if game["state"] == "in":
        assert view.period is not None and 1 <= view.period <= 4
        assert game["detail"] == "Halftime" or re.match(r"^(1st|2nd|3rd|4th) \d+:\d\d$",
                                                        game["detail"])
        assert game.get("possession") in (game["awayabrv"], game["homeabrv"], None)
    elif game["state"] == "post":
        assert game["detail"] == "Final"
    else:
        assert "period" not in game and game["awayscore"] == "0"


def test_it_changes_over_time_smoothly() -> None:
    world = DemoWorld(1)
    temps = [world.temperature(NOON + timedelta(minutes=m)) for m in range(0, 24 * 60, 10)]
    assert max(temps) - min(temps) > 5  # a daily cycle
    steps = [abs(b - a) for a, b in zip(temps, temps[1:], strict=False)]
    assert max(steps) < 1.5  # no jumps between 10-minute samples
    week = {json.dumps(world.messages(NOON + timedelta(days=d))["Weather"]["current"])
            for d in range(7)}
    assert len(week) == 7
    aqi = {world.aqi(NOON + timedelta(hours=h))["aqi_score"] for h in range(24)}
    assert len(aqi) > 5
    commits = {world.github(NOON + timedelta(hours=h))["latest_commit"] for h in range(24)}
    assert 5 <= len(commits) <= 10  # about one every three hours


def test_games_progress_and_scores_only_grow() -> None:
    world = DemoWorld(5)
    day = at("2026-11-26T00:00")
    mlb_states: dict[str, list[str]] = {}
    nfl_states: dict[str, list[str]] = {}
    last_scores: dict[Any, tuple[int, int]] = {}
    for minutes in range(0, 24 * 60, 5):
        moment = day + timedelta(minutes=minutes)
        for game in world.mlb(moment):
            mlb_states.setdefault(game["id"], []).append(game["detail"])
            score = (game["away"]["score"], game["home"]["score"])
            held = last_scores.get(game["id"], (0, 0))
            assert score[0] >= held[0] and score[1] >= held[1], game
            last_scores[game["id"]] = score
        for game in world.nfl(moment)["events"]:
            nfl_states.setdefault(game["id"], []).append(game["state"])
            score = (game["away"]["score"], game["home"]["score"])
            held = last_scores.get(game["id"], (0, 0))
            assert score[0] >= held[0] and score[1] >= held[1], game
            last_scores[game["id"]] = score
    played = [s for s in mlb_states.values() if "Postponed" not in s]
    assert played and all(s[0] == "Scheduled" for s in played)
    assert any("In Progress" in s and s[-1] == "Final" for s in played)
    assert any(s[0] == "pre" and "in" in s and s[-1] == "post" for s in nfl_states.values())
    for states in nfl_states.values():  # pre -> in -> post, never back
        order = [("pre", "in", "post").index(s) for s in states]
        assert order == sorted(order)


def test_moon_and_sun_follow_the_sky() -> None:
    world = DemoWorld(1)
    full = world.moon(at("2026-11-24T21:00"))  # full moon of November 2026
    assert 45 <= full["phase"] <= 55 and float(full["illumstr"][:-1]) > 97
    new = world.moon(at("2026-12-09T12:00"))  # new moon
    assert new["phase"] <= 4 or new["phase"] >= 96
    assert float(new["illumstr"][:-1]) < 3
    assert world.moon(at("2026-11-26T03:00"))["sunevent"].startswith("Sunrise:")
    assert world.moon(at("2026-11-26T12:00"))["sunevent"].startswith("Sunset:")
    # Another place, another sky: Sydney is in summer in November.
    sydney = DemoWorld(1, Place("Sydney", -33.87, 151.21, "Australia/Sydney"))
    nov = datetime(2026, 11, 26, 12, tzinfo=ZoneInfo("Australia/Sydney"))
    assert sydney.temperature(nov) > world.temperature(NOON)
    assert abs(sydney.moon(nov)["phase"] - world.moon(NOON)["phase"]) <= 3  # one moon


def test_demo_process_publishes_every_type(tmp_path: Path, valkey: EmbeddedValkey) -> None:
    collector = Subscriber(valkey.url)
    runs: list[dict[str, Any]] = []
    try:
        for run in range(2):
            proc = Child(python_module("server.producers", "demo", "--once", "--redis-url",
                                       valkey.url, "--seed", "11", "--start-time",
                                       "2026-11-26T19:30:00-05:00", "--speed", "0.000001"),
                         tmp_path / f"demo-{run}.log")
            assert proc.process.wait(30) == 0, proc.log()
            wait_for(lambda run=run: len(collector.all()) >= 9 * (run + 1), 10,
                     "all demo types")
            runs.append({m["type"]: m for m in collector.all()[9 * run:9 * (run + 1)]})
    finally:
        collector.close()
    assert set(runs[0]) == {*DEMO_TYPES, "Demo-Server"}
    for kind in DEMO_TYPES:  # same seed and clock: same data
        assert runs[0][kind]["values"] == runs[1][kind]["values"], kind
        assert runs[0][kind]["updated"] == "11/26/2026 7:30 PM -0500"
