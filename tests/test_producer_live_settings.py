"""Producers follow the household settings live: the document in a real Valkey, the version
published on the settings channel as the API server does, and the producers' next messages."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from glanceboard.payloads.weather import Weather as WeatherView
from server.keys import settings_channel, settings_key, settings_sources_key
from server.producers.base import ConfigError
from server.producers.calendar import Calendar
from server.producers.demo import DemoProducer
from server.producers.demo_data import DemoWorld
from server.producers.github import GitHub
from server.producers.live_follow import HOUSEHOLD, SettingsFollower, parse_document
from server.producers.mlb import MLB
from server.producers.moon import Moon
from server.producers.nfl import NFL
from server.producers.place import place_of
from server.producers.weather import Weather, map_forecast
from server.settings import RedisSettings
from tests.fuzzing import _nested, fuzz_examples, strict_json
from tests.producer_support import (
    InProcess,
    RecordedServer,
    Subscriber,
    dead_port_url,
    make_producer,
    producer_process,
    recorded,
    recorded_json,
    stop_process,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
    wait_until,
)

NY = ZoneInfo("America/New_York")
FORECAST = "/forecast"
REDIS = RedisSettings()  # the default names: state, control
FAST = 3.0  # seconds: "at once", well below any period used here


def write_settings(url: str, version: int, values: dict[str, Any], publish: bool = True
                   ) -> None:
    """What the API server does after a change: store the document, publish its version."""
    client = redis.Redis.from_url(url)
    try:
        client.set(settings_key(REDIS), json.dumps(
            {"version": version, "updated": "2026-12-02T08:00:00Z", "values": values}))
        if publish:
            client.publish(settings_channel(REDIS), str(version))
    finally:
        client.close()


def subscribed(url: str) -> bool:
    """Whether a producer listens on the settings channel yet."""
    client = redis.Redis.from_url(url)
    try:
        return dict(client.pubsub_numsub(settings_channel(REDIS)))[
            settings_channel(REDIS).encode()] >= 1
    finally:
        client.close()


def sources(url: str) -> dict[str, dict[str, Any]]:
    client = redis.Redis.from_url(url)
    try:
        return {k.decode(): json.loads(v)
                for k, v in client.hgetall(settings_sources_key(REDIS)).items()}
    finally:
        client.close()


def weather(url: str, *extra: str) -> Weather:
    return make_producer(Weather, ["--base-url", url, *extra])


def units_asked(upstream: RecordedServer) -> str:
    return upstream.seen[-1].query["temperature_unit"][0]


# --- a change arrives at once ------------------------------------------------------------

def test_a_published_change_is_fetched_at_once_not_a_period_later(
        upstream: RecordedServer, valkey) -> None:
    upstream.serve(FORECAST, recorded("open_meteo_forecast.json"))
    with Subscriber(valkey.url) as sub, InProcess(weather(upstream.url), valkey.url, 600):
        first = sub.wait_for("Weather")[0]
        assert first["values"]["units"] == "imperial"
        wait_until(lambda: subscribed(valkey.url), 10, "the settings subscription")
        changed_at = time.monotonic()
        write_settings(valkey.url, 1, {"units": "metric", "latitude": 52.52})
        second = sub.wait_for("Weather", count=2, timeout=10)[1]
        took = time.monotonic() - changed_at
    assert took < FAST, f"the change took {took:.1f} s (the period is 600 s)"
    assert second["values"]["units"] == "metric"
    assert units_asked(upstream) == "celsius"
    assert upstream.seen[-1].query["latitude"] == ["52.52"]


def test_a_change_that_does_not_concern_a_producer_does_not_refetch(
        upstream: RecordedServer, valkey) -> None:
    upstream.serve(FORECAST, recorded("open_meteo_forecast.json"))
    with Subscriber(valkey.url) as sub, InProcess(weather(upstream.url), valkey.url, 600):
        sub.wait_for("Weather")
        wait_until(lambda: subscribed(valkey.url), 10, "the settings subscription")
        asked = upstream.hits(FORECAST)
        write_settings(valkey.url, 1, {"wifi_qr": "WIFI:S:home;;", "nfl_teams": ["KC"]})
        time.sleep(1.5)
        assert upstream.hits(FORECAST) == asked
        write_settings(valkey.url, 2, {"units": "metric"})  # and this one does
        sub.wait_for("Weather", count=2, timeout=FAST)


def test_settings_stored_before_the_start_are_used_from_the_first_message(
        upstream: RecordedServer, valkey) -> None:
    upstream.serve(FORECAST, recorded("open_meteo_forecast.json"))
    write_settings(valkey.url, 4, {"units": "metric"}, publish=False)
    with Subscriber(valkey.url) as sub, InProcess(weather(upstream.url), valkey.url, 600):
        assert sub.wait_for("Weather")[0]["values"]["units"] == "metric"


# --- bad values, a corrupt document, Redis away -----------------------------------------

def test_a_bad_live_value_is_refused_logged_once_and_the_last_good_stays(
        upstream: RecordedServer, valkey, caplog: pytest.LogCaptureFixture) -> None:
    upstream.serve(FORECAST, recorded("open_meteo_forecast.json"))
    caplog.set_level(logging.INFO, logger="glanceboard.producer.settings")
    running = InProcess(weather(upstream.url), valkey.url, 600)
    with Subscriber(valkey.url) as sub, running:
        sub.wait_for("Weather")
        wait_until(lambda: subscribed(valkey.url), 10, "the settings subscription")
        write_settings(valkey.url, 1, {"units": "metric"})
        sub.wait_for("Weather", count=2, timeout=FAST)
        write_settings(valkey.url, 2, {"units": "kelvin", "latitude": 91})
        write_settings(valkey.url, 3, {"units": "kelvin", "latitude": 91, "longitude": 13.4})
        third = sub.wait_for("Weather", count=3, timeout=FAST)[2]
        assert running.thread.is_alive() and running.error is None
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 2, refusals  # one line per bad value, not one per read
    assert any("'units'" in line and "kelvin" in line for line in refusals)
    assert any("'latitude'" in line and "outside -90..90" in line for line in refusals)
    # The last good units stay; the good new longitude is taken, the bad latitude is not.
    assert third["values"]["units"] == "metric"
    query = upstream.seen[-1].query
    assert query["temperature_unit"] == ["celsius"] and query["longitude"] == ["13.4"]
    assert query["latitude"] == ["40.7128"]  # the configured default, not 91


def test_a_corrupt_document_keeps_the_last_good_settings(
        caplog: pytest.LogCaptureFixture) -> None:
    producer = make_producer(Weather, [])
    follower = SettingsFollower(producer, REDIS, "weather")
    good = json.dumps({"version": 2, "values": {"units": "metric"}})
    assert follower.apply(good) is True
    for corrupt in (b"{not json", b"[1, 2]", json.dumps({"version": "two", "values": {}}),
                    json.dumps({"version": 3, "values": ["units"]}), b"\xff\xfe"):
        assert follower.apply(corrupt) is False
        assert producer.setting("units", "imperial", env="UNITS") == "metric"
    warnings = [r for r in caplog.records if "cannot read the live settings" in r.getMessage()]
    assert len(warnings) == 1  # once per outage
    assert follower.apply(json.dumps({"version": 4, "values": {}})) is True  # units unset
    assert producer.setting("units", "imperial", env="UNITS") == "imperial"


NASTY = [float("nan"), float("inf"), 10 ** 5000, "America", "../../etc/passwd", "\x00",
         "x" * 100_000, ["NYY"] * 9, [["NYY"]], [{"team": "NYY"}], "Europe/Berlin ",
         _nested(200), {"latitude": 1}, True, -0.0, "webcal:", "javascript:alert(1)", None]
HOSTILE = st.one_of(strict_json, st.sampled_from(NASTY))


@pytest.mark.parametrize("name", sorted(HOUSEHOLD))
def test_each_nasty_value_of_each_setting_is_refused_or_taken_never_raised(name: str) -> None:
    producer = make_producer(DemoProducer, [])
    follower = SettingsFollower(producer, REDIS, "demo")
    for value in NASTY:
        try:
            raw = json.dumps({"version": 1, "values": {name: value}})
        except ValueError:  # 10 ** 5000 has no JSON form here: sent as its digits
            digits = "9" * 5000
            raw = f'{{"version": 1, "values": {{"{name}": {digits}}}}}'
        follower.apply(raw)
        producer.settings_changed()  # the demo takes whatever got through


@settings(max_examples=fuzz_examples(200), deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(HOUSEHOLD)), HOSTILE, max_size=6),
       st.sampled_from([Weather, DemoProducer, MLB, NFL, Moon, Calendar, GitHub]))
def test_no_document_stops_a_producer_or_reaches_it_unchecked(values: dict[str, Any],
                                                              cls: type) -> None:
    producer = make_producer(cls, [])
    follower = SettingsFollower(producer, REDIS, cls.name.lower())
    try:
        raw = json.dumps({"version": 1, "values": values})
    except (ValueError, RecursionError):
        raw = '{"version": 1, "values": {"units": ' + "[" * 5000 + "]" * 5000 + "}}"
    follower.apply(raw)  # never raises
    json.loads(json.dumps(follower.sources()))  # and what it reports is JSON
    # Whatever got through is a value the producer takes without a ConfigError.
    if "latitude" in cls.household:
        place_of(producer, env_prefix="DEMO_" if cls is DemoProducer else "")
    if cls is MLB:
        producer.team_id()
    if cls is NFL:
        producer.team()
    if cls is DemoProducer:
        producer.settings_changed()


def test_parse_document_names_what_is_wrong() -> None:
    assert parse_document(None) == (0, {})
    assert parse_document('{"version": 7, "values": {"units": "metric"}}') == (
        7, {"units": "metric"})
    with pytest.raises(ValueError, match="'version' is -1"):
        parse_document('{"version": -1, "values": {}}')
    with pytest.raises(ValueError, match="not JSON"):
        parse_document("nope")


def test_redis_away_keeps_the_last_good_settings_and_the_producer_runs(
        upstream: RecordedServer, valkey, caplog: pytest.LogCaptureFixture) -> None:
    upstream.serve(FORECAST, recorded("open_meteo_forecast.json"))
    write_settings(valkey.url, 1, {"units": "metric"}, publish=False)
    producer = weather(upstream.url)
    running = InProcess(producer, valkey.url, 1)
    with running:
        wait_until(lambda: upstream.hits(FORECAST) >= 1 and units_asked(upstream) == "celsius",
                   10, "a metric fetch")
        valkey.kill()
        asked = upstream.hits(FORECAST)
        wait_until(lambda: upstream.hits(FORECAST) >= asked + 3, 20, "fetches without Redis")
        assert units_asked(upstream) == "celsius"
        assert producer.setting("units", "imperial", env="UNITS") == "metric"
        assert running.error is None and running.thread.is_alive()
    said = [r for r in caplog.records if "cannot read the live settings" in r.getMessage()]
    assert len(said) == 1, [r.getMessage() for r in said]


def test_without_redis_from_the_start_the_bootstrap_settings_count() -> None:
    producer = make_producer(Weather, ["--units", "imperial"])
    follower = SettingsFollower(producer, RedisSettings(url=dead_port_url().replace(
        "http", "redis")), "weather")
    assert asyncio.run(follower.refresh()) is False
    assert producer.setting("units", env="UNITS") == "imperial"


def test_a_failing_fetch_is_retried_at_once_when_the_settings_fix_it(
        upstream: RecordedServer, valkey, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = "octo-org/glance"
    upstream.serve(f"/repos/{repo}/commits", recorded("github_commits.json"))
    upstream.serve(f"/repos/{repo}/actions/runs", recorded("github_runs.json"),
                   query={"status": "success"})
    upstream.serve(f"/repos/{repo}/actions/runs", recorded("github_runs_head.json"),
                   query={"head_sha": "9fceb02d0ae598e95dc970b74767f19372d61af8"})
    monkeypatch.setenv("GITHUB_REPO", "octo-org/gone")  # 404: the bootstrap is wrong
    github = make_producer(GitHub, ["--base-url", upstream.url])
    running = InProcess(github, valkey.url, 600)
    running.runner._fetch_backoff.base = 300.0  # a retry would come minutes later
    with Subscriber(valkey.url) as sub, running:
        wait_until(lambda: running.runner.fetch_failures >= 1, 10, "the failed fetch")
        wait_until(lambda: subscribed(valkey.url), 10, "the settings subscription")
        write_settings(valkey.url, 1, {"github_repo": repo})
        message = sub.wait_for("GitHub", timeout=FAST)[0]
    assert message["values"]["repo"] == repo


# --- the sources hash --------------------------------------------------------------------

def test_sources_hash_says_what_is_used_from_where_and_a_flag_locks_and_wins(
        upstream: RecordedServer, valkey, monkeypatch: pytest.MonkeyPatch) -> None:
    upstream.serve(FORECAST, recorded("open_meteo_forecast.json"))
    monkeypatch.setenv("LATITUDE", "48.1")
    monkeypatch.delenv("LONGITUDE", raising=False)
    write_settings(valkey.url, 3, {"units": "metric", "timezone": "Europe/Berlin"},
                   publish=False)
    with Subscriber(valkey.url) as sub, InProcess(weather(upstream.url, "--units", "imperial"),
                                                  valkey.url, 600):
        message = sub.wait_for("Weather")[0]
        wait_until(lambda: len(sources(valkey.url)) == 4, 10, "the sources entries")
        found = sources(valkey.url)
        wait_until(lambda: subscribed(valkey.url), 10, "the settings subscription")
        write_settings(valkey.url, 4, {"units": "metric", "timezone": "Asia/Tokyo"})
        wait_until(lambda: sources(valkey.url)["weather/timezone"]["value"] == "Asia/Tokyo",
                   FAST, "the sources rewritten after the change")
        after = sources(valkey.url)
    assert message["values"]["units"] == "imperial"  # the flag wins over the live setting
    assert units_asked(upstream) == "fahrenheit"
    units = found["weather/units"]
    assert units["part"] == "weather" and units["setting"] == "units"
    assert (units["value"], units["origin"], units["locked"]) == ("imperial", "flag --units",
                                                                   True)
    assert (found["weather/latitude"]["value"], found["weather/latitude"]["origin"]) == (
        "48.1", "env LATITUDE")
    assert found["weather/latitude"]["locked"] is False
    assert found["weather/longitude"]["origin"] == "default"
    zone = found["weather/timezone"]
    assert (zone["value"], zone["origin"], zone["locked"]) == ("Europe/Berlin", "live v3",
                                                               False)
    assert abs(zone["at"] - time.time() * 1000) < 60_000
    assert after["weather/timezone"]["origin"] == "live v4"


def test_a_secret_source_is_masked_in_the_sources_hash(tmp_path) -> None:
    producer = make_producer(Calendar, [])
    follower = SettingsFollower(producer, REDIS, "calendar")
    follower.apply(json.dumps({"version": 1, "values": {
        "calendar_source": "https://example.org/private/abc123/basic.ics"}}))
    entry = json.loads(follower.sources()["calendar/calendar_source"])
    assert entry["value"] == "***" and entry["origin"] == "live v1"
    assert "abc123" not in json.dumps(follower.sources())
    assert producer.sources() == ["https://example.org/private/abc123/basic.ics"]
    follower.apply(json.dumps({"version": 2, "values": {"calendar_source": "ftp://x/y"}}))
    assert producer.sources() == ["https://example.org/private/abc123/basic.ics"]


# --- each producer's mapping -------------------------------------------------------------

def test_weather_messages_say_their_units() -> None:
    raw = recorded_json("open_meteo_forecast.json")
    assert map_forecast(raw)["units"] == "imperial"
    metric = map_forecast(raw, "metric")
    assert metric["units"] == "metric"
    assert WeatherView.parse(metric).metric and WeatherView.parse(metric).units == "metric"
    older = {k: v for k, v in metric.items() if k != "units"}  # an older producer's message
    assert WeatherView.parse(older).units is None and not WeatherView.parse(older).metric
    assert WeatherView.parse({**older, "units": "kelvin"}).units is None


def test_moon_follows_the_clock_and_place(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="glanceboard.producer.settings")
    moon = make_producer(Moon, [], now=datetime(2026, 11, 26, 15, 0, tzinfo=NY))
    follower = SettingsFollower(moon, REDIS, "moon")
    assert ("AM" in moon.fetch()["sunevent"]) or ("PM" in moon.fetch()["sunevent"])
    follower.apply(json.dumps({"version": 1, "values": {"clock": "24h", "latitude": 52.52,
                                                       "longitude": 13.405,
                                                       "timezone": "Europe/Berlin"}}))
    text = moon.fetch()["sunevent"]
    assert "AM" not in text and "PM" not in text
    assert json.loads(follower.sources()["moon/clock"])["value"] == "24h"
    assert "following live settings v1: latitude=52.52, longitude=13.405, " \
        "timezone=Europe/Berlin, clock=24h" in caplog.text


@pytest.mark.parametrize(("team", "team_id"), [("NYY", "147"), ("bos", "111"),
                                               ("CWS", "145"), ("147", "147")])
def test_mlb_team_by_abbreviation_or_id(upstream: RecordedServer, team: str,
                                        team_id: str) -> None:
    upstream.serve("/schedule", recorded("mlb_schedule_live.json"))
    made = make_producer(MLB, ["--base-url", upstream.url, "--team", team, "--timezone",
                               "America/New_York"])
    made.fetch()
    assert upstream.seen[-1].query["teamId"] == [team_id]


def test_a_bad_team_setting_names_the_team_and_where() -> None:
    with pytest.raises(ConfigError, match=r"MLB: team \(flag --team\): 'XYZ' is not an MLB"):
        make_producer(MLB, ["--team", "XYZ"]).team_id()
    with pytest.raises(ConfigError, match=r"NFL: team \(flag --team\): 'XYZ' is not an NFL"):
        make_producer(NFL, ["--team", "XYZ"]).team()
    assert make_producer(NFL, ["--team", "was"]).team() == "WSH"


def test_the_first_favourite_team_is_the_producers_team() -> None:
    mlb = make_producer(MLB, [])
    follower = SettingsFollower(mlb, REDIS, "mlb")
    follower.apply(json.dumps({"version": 1, "values": {"mlb_teams": ["bos", "NYY"]}}))
    assert mlb.team_id() == 111
    assert json.loads(follower.sources()["mlb/mlb_teams"])["value"] == "BOS"
    follower.apply(json.dumps({"version": 2, "values": {"mlb_teams": ["NYY", "Rockets"]}}))
    assert mlb.team_id() == 111  # refused as a whole: the last good list stays
    follower.apply(json.dumps({"version": 3, "values": {"mlb_teams": []}}))
    assert mlb.team_id() is None  # no favourite: every game
    nfl = make_producer(NFL, ["--team", "DET"])
    SettingsFollower(nfl, REDIS, "nfl").apply(json.dumps({"version": 1, "values": {
        "nfl_teams": ["KC"]}}))
    assert nfl.team() == "DET"  # the flag wins


def test_mlb_process_follows_a_favourite_team_change(upstream: RecordedServer,
                                                     valkey) -> None:
    upstream.serve("/schedule", recorded("mlb_schedule_live.json"))
    with Subscriber(valkey.url) as sub:
        proc = producer_process("mlb", ["--base-url", upstream.url, "--period", "600"],
                                valkey.url, env={"MLB_TEAM": "NYY",
                                                 "TIMEZONE": "America/New_York"})
        try:
            sub.wait_for("MLB", proc=proc)
            assert upstream.seen[-1].query["teamId"] == ["147"]
            wait_until(lambda: subscribed(valkey.url), 15, "the settings subscription")
            changed_at = time.monotonic()
            write_settings(valkey.url, 1, {"mlb_teams": ["BOS"]})
            sub.wait_for("MLB", count=2, timeout=10, proc=proc)
            assert time.monotonic() - changed_at < FAST
            assert upstream.seen[-1].query["teamId"] == ["111"]
            entry = sources(valkey.url)["mlb/mlb_teams"]
            assert (entry["value"], entry["origin"], entry["locked"]) == ("BOS", "live v1",
                                                                           False)
        finally:
            stop_process(proc)


# --- the demo ----------------------------------------------------------------------------

def test_demo_metric_weather_is_celsius_and_kmh_consistently() -> None:
    noon = datetime(2026, 11, 26, 12, 0, tzinfo=NY)
    imperial = DemoWorld(3).weather(noon)
    metric = DemoWorld(3, units="metric").weather(noon)
    assert (imperial["units"], metric["units"]) == ("imperial", "metric")

    def c(f: float) -> float:
        return round((f - 32) * 5 / 9, 1)

    def kmh(mph: float) -> float:
        return round(mph * 1.609344, 1)

    assert metric["current"]["temp"] == c(imperial["current"]["temp"])
    assert metric["current"]["fl"] == c(imperial["current"]["fl"])
    assert metric["current"]["windSpeed"] == kmh(imperial["current"]["windSpeed"])
    for i, f in zip(metric["forecast"], imperial["forecast"], strict=True):
        assert (i["hi"], i["lo"], i["windSpeed"]) == (c(f["hi"]), c(f["lo"]),
                                                     kmh(f["windSpeed"]))
    for i, f in zip(metric["hourly"], imperial["hourly"], strict=True):
        assert (i["fl"], i["windSpeed"]) == (c(f["fl"]), kmh(f["windSpeed"]))
    assert metric["current"]["wid"] == imperial["current"]["wid"]  # the same sky


def test_demo_favourite_teams_play() -> None:
    noon = datetime(2026, 11, 26, 12, 0, tzinfo=NY)
    for team in ("NYY", "SEA", "CHW"):
        games = DemoWorld(3, mlb_teams=(team,)).mlb(noon)
        assert any(team in (g["awayAbbreviation"], g["homeAbbreviation"]) for g in games), team
    week = DemoWorld(3, nfl_teams=("GB",)).nfl(noon)
    assert any("GB" in (e["awayabrv"], e["homeabrv"]) for e in week["events"])


def test_demo_rebuilds_its_world_when_the_settings_change(valkey) -> None:
    demo = make_producer(DemoProducer, ["--seed", "3", "--place", "Home"])
    with Subscriber(valkey.url) as sub, InProcess(demo, valkey.url, 600):
        first = sub.wait_for("Weather")[0]
        assert first["values"]["units"] == "imperial"
        assert ("AM" in sub.of("Moon")[0]["values"]["sunevent"]
                or "PM" in sub.of("Moon")[0]["values"]["sunevent"])
        wait_until(lambda: subscribed(valkey.url), 10, "the settings subscription")
        changed_at = time.monotonic()
        write_settings(valkey.url, 1, {
            "units": "metric", "clock": "24h", "timezone": "Europe/Berlin", "latitude": 52.52,
            "longitude": 13.405, "place": "Berlin", "mlb_teams": ["SEA"], "nfl_teams": ["GB"]})
        second = sub.wait_for("Weather", count=2, timeout=10)[1]
        took = time.monotonic() - changed_at
        sub.drain()
        moon = sub.of("Moon")[-1]["values"]["sunevent"]
        mlb = sub.of("MLB")[-1]["values"]
        nfl = sub.of("NFL")[-1]["values"]
        found = sources(valkey.url)
    assert took < FAST
    assert second["values"]["units"] == "metric"
    assert "AM" not in moon and "PM" not in moon
    assert demo.world.place.timezone == "Europe/Berlin"
    assert demo.world.place.name == "Home"  # --place is a flag: it wins
    assert found["demo/place"]["locked"] is True
    assert any("SEA" in (g["awayAbbreviation"], g["homeAbbreviation"]) for g in mlb)
    assert any("GB" in (e["awayabrv"], e["homeabrv"]) for e in nfl["events"])
    assert second["values"]["hourly"][0]["time"].endswith("+01:00")  # Berlin in December


def test_show_settings_names_the_live_settings(valkey) -> None:
    write_settings(valkey.url, 5, {"units": "metric", "latitude": 91, "timezone": "Asia/Tokyo"},
                   publish=False)
    proc = producer_process("weather", ["--show-settings", "--timezone", "Europe/Paris"],
                            valkey.url)
    try:
        out, err = proc.communicate(timeout=30)
    finally:
        stop_process(proc)
    assert proc.returncode == 0, err
    rows = {line.split()[0]: line.split()[1:] for line in out.decode().splitlines()[2:]
            if line.strip()}
    assert rows["units"] == ["metric", "live", "valkey", "v5"]
    assert rows["latitude"][-1] == "default"  # 91 is refused
    assert rows["timezone"] == ["Europe/Paris", "flag", "--timezone"]
    assert sources(valkey.url) == {}  # showing writes nothing


def test_help_names_the_household_settings_a_producer_follows() -> None:
    from server.producers.base import build_parser
    from server.producers.host import HostStatus

    text = " ".join(build_parser(MLB, "mlb").format_help().split())
    assert "follows the household settings mlb_teams (as team), timezone" in text
    assert "abbreviation (NYY, BOS" in text
    assert "household" not in build_parser(HostStatus, "host").format_help()


def test_on_a_cluster_the_settings_are_followed_by_sharded_pub_sub(tmp_path) -> None:
    from tests.cluster_support import valkey_cluster

    with valkey_cluster(tmp_path / "cluster", nodes=1) as cluster:
        url = cluster.url(0)
        owner = redis.Redis.from_url(url)
        proc = producer_process("demo", ["--cluster", "--period", "600"], url)
        try:
            def units() -> str | None:
                held = owner.hget("{glanceboard}state", "Weather")
                return json.loads(held)["values"].get("units") if held else None

            wait_until(lambda: units() == "imperial", 20, "the first Weather")
            wait_until(lambda: owner.execute_command(
                "PUBSUB", "SHARDNUMSUB", "{glanceboard}control:settings")[1] >= 1, 15,
                "the sharded settings subscription")
            owner.set("{glanceboard}state:settings",
                      json.dumps({"version": 1, "values": {"units": "metric"}}))
            changed_at = time.monotonic()
            owner.execute_command("SPUBLISH", "{glanceboard}control:settings", "1")
            wait_until(lambda: units() == "metric", 10, "the metric Weather")
            assert time.monotonic() - changed_at < FAST
            entry = json.loads(owner.hget("{glanceboard}state:settings-sources", "demo/units"))
            assert entry["origin"] == "live v1"
        finally:
            stop_process(proc)
            owner.close()
