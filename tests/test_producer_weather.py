"""Weather producer: Open-Meteo forecast answers replayed from tests/recorded over real HTTP."""

from __future__ import annotations

import pytest

from glanceboard.payloads import original
from server.producers.weather import WMO_CONDITIONS, Weather, compass, map_forecast
from tests.producer_support import (
    RecordedServer,
    check_names_field,
    check_process_publishes,
    make_producer,
    recorded,
    recorded_json,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.upstream_failures import UpstreamFailureTests

PATH = "/forecast"
FIXTURE = "open_meteo_forecast.json"


def producer(url: str, *extra: str) -> Weather:
    return make_producer(Weather, ["--base-url", url, "--latitude", "40.71", "--longitude",
                                   "-74.01", "--timezone", "America/New_York", *extra])


def test_mapping_follows_the_recorded_answer() -> None:
    raw = recorded_json(FIXTURE)
    values = map_forecast(raw)
    cur = values["current"]
    # current: 44.6 °F, feels 39.2, 61 %, wind 9.4 mph from 236° (SW), gusts 21.3, WMO 3.
    # nwid is the original's owfont glyph of the current condition; next_wid (ours) the
    # condition of the next hour.
    assert cur == {"temp": 44.6, "fl": 39.2, "humid": 61, "windDir": "SW", "windSpeed": 9.4,
                   "windGust": 21.3, "desc": "overcast", "dn": "d", "wid": 804, "nwid": 60804,
                   "next_wid": WMO_CONDITIONS[raw["hourly"]["weather_code"][17]][0]}
    assert original.values_problems("Weather", values) == []
    # hourly: 48 entries from the current hour (16:00 local, index 16 of the answer).
    assert len(values["hourly"]) == 48
    first = values["hourly"][0]
    assert first["time"] == "2026-11-26T16:00:00-05:00"
    assert first["hour"] == "16:00"
    assert first["temp"] == int(raw["hourly"]["temperature_2m"][16])  # the original's whole °F
    assert first["feel"] == int(raw["hourly"]["apparent_temperature"][16])
    assert first["fl"] == raw["hourly"]["apparent_temperature"][16]
    assert first["pop"] == raw["hourly"]["precipitation_probability"][16]
    assert (first["wid"], first["desc"]) == WMO_CONDITIONS[raw["hourly"]["weather_code"][16]]
    assert first["windDir"] == compass(raw["hourly"]["wind_direction_10m"][16])
    assert values["hourly"][-1]["time"] == "2026-11-28T15:00:00-05:00"
    assert [h["dn"] for h in values["hourly"][:2]] == ["d", "n"]  # is_day 1 at 16h, 0 at 17h
    # forecast: 8 days from today, with the day's numbers.
    assert [d["date"] for d in values["forecast"]] == raw["daily"]["time"]
    thu = values["forecast"][0]
    assert thu == {"dow": "TOD", "dn": "d", "nwid": 60804, "high": 47, "low": 33,
                   "date": "2026-11-26", "day": "Thu", "hi": 47.3, "lo": 33.8, "wid": 804,
                   "desc": "overcast", "pop": 10, "humid": 62, "windSpeed": 14.2,
                   "windDir": "SW", "sunrise": "2026-11-26T06:55:00-05:00",
                   "sunset": "2026-11-26T16:30:00-05:00"}
    assert values["forecast"][7]["wid"] == 211 and values["forecast"][7]["day"] == "Thu"
    assert [d["dow"] for d in values["forecast"][:3]] == ["TOD", "TOM", "SAT"]


def test_compass_points() -> None:
    assert [compass(d) for d in (0, 11, 12, 90, 180, 236, 348.75, 359)] == [
        "N", "N", "NNE", "E", "S", "SW", "N", "N"]


def test_fetch_sends_place_and_units(upstream: RecordedServer) -> None:
    upstream.serve(PATH, recorded(FIXTURE))
    values = producer(upstream.url).fetch()
    assert values["current"]["temp"] == 44.6
    query = upstream.seen[-1].query
    assert query["latitude"] == ["40.71"] and query["longitude"] == ["-74.01"]
    assert query["timezone"] == ["America/New_York"]
    assert query["temperature_unit"] == ["fahrenheit"] and query["wind_speed_unit"] == ["mph"]
    assert "wind_gusts_10m" in query["current"][0]
    producer(upstream.url, "--units", "metric").fetch()
    assert upstream.seen[-1].query["temperature_unit"] == ["celsius"]


def test_an_answer_that_is_not_json_names_the_url(upstream: RecordedServer) -> None:
    upstream.serve(PATH, "<html>Service Unavailable</html>", ctype="text/html")
    with pytest.raises(ValueError, match=r"/forecast\?latitude=40\.71&.* answer is not JSON "
                       r"\(text/html\)"):
        producer(upstream.url).fetch()


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda r: r["current"].pop("temperature_2m"), "current.temperature_2m"),
    (lambda r: r["current"].__setitem__("weather_code", "cloudy"), "current.weather_code"),
    (lambda r: r["current"].__setitem__("weather_code", 42), "current.weather_code"),
    (lambda r: r["hourly"]["apparent_temperature"].pop(), "hourly.apparent_temperature"),
    (lambda r: r["daily"].pop("sunrise"), "daily.sunrise"),
    (lambda r: r.pop("hourly"), "hourly"),
    (lambda r: r["daily"]["time"].__setitem__(0, "26/11/2026"), "daily.time[0]"),
    (lambda r: r.__setitem__("daily", {k: v[:7] for k, v in r["daily"].items()}), "daily.time"),
])
def test_changed_shape_names_the_field(mutate, field: str) -> None:
    raw = recorded_json(FIXTURE)
    mutate(raw)
    check_names_field(lambda: map_forecast(raw), field)


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "Weather", PATH, "current.relative_humidity_2m"

    def make(self, url: str) -> Weather:
        return producer(url)

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(PATH, recorded(FIXTURE))

    def serve_changed(self, upstream: RecordedServer) -> None:
        raw = recorded_json(FIXTURE)
        del raw["current"]["relative_humidity_2m"]
        upstream.serve(PATH, raw)


def test_process_publishes_with_period_as_validity(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded(FIXTURE))
    message = check_process_publishes("weather", ["--base-url", upstream.url], valkey.url,
                                      "Weather", env={"PERIOD": "123", "LATITUDE": "40.71",
                                                      "LONGITUDE": "-74.01",
                                                      "TIMEZONE": "America/New_York"})
    assert message["values"] == map_forecast(recorded_json(FIXTURE))
    assert seconds_valid(message) == 123
    assert upstream.seen[-1].query["latitude"] == ["40.71"]


def test_default_period_is_15_minutes(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded(FIXTURE))
    message = check_process_publishes("weather", ["--base-url", upstream.url], valkey.url,
                                      "Weather")
    assert seconds_valid(message) == 900
