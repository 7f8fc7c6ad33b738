"""AQI producer: Open-Meteo air-quality answers replayed from tests/recorded over real HTTP."""

from __future__ import annotations

import pytest

from glanceboard.payloads import original
from glanceboard.payloads.aqi import band_of
from server.producers.aqi import AirQuality, map_air_quality
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

PATH = "/air-quality"
FIXTURE = "open_meteo_air_quality.json"


def producer(url: str) -> AirQuality:
    return make_producer(AirQuality, ["--base-url", url, "--latitude", "40.71",
                                      "--longitude", "-74.01"])


def test_mapping_follows_the_recorded_answer() -> None:
    # us_aqi 72 (Moderate); PM2.5 has the highest sub-index (72 vs ozone 35, PM10 21...).
    # The original's forms: a zone abbreviation, the pollutant's long name.
    values = map_air_quality(recorded_json(FIXTURE))
    assert values == {
        "date_time": "11/26/2026 4:00 PM EST",
        "date_time_at": "2026-11-26T16:00:00-05:00",  # the same moment, ISO with offset
        "aqi_score": 72,
        "aqi_adjective": "Moderate",
        "color": "(255,255,0)",
        "main_pollutant": "Particulate Matter (2.5 microns)",
    }
    assert original.values_problems("AQI", values) == []


def test_main_pollutant_is_the_highest_sub_index() -> None:
    raw = recorded_json(FIXTURE)
    raw["current"].update({"us_aqi": 160, "us_aqi_ozone": 160, "us_aqi_pm2_5": 40,
                           "time": "2026-07-04T13:00"})
    values = map_air_quality(raw)
    assert values["main_pollutant"] == "Ozone"
    assert (values["aqi_adjective"], values["color"]) == ("Unhealthy", "(255,0,0)")
    assert values["date_time"] == "07/04/2026 1:00 PM EDT"  # summer time


@pytest.mark.parametrize(("score", "adjective", "color"), [
    (0, "Good", "(0,228,0)"), (50, "Good", "(0,228,0)"), (51, "Moderate", "(255,255,0)"),
    (100, "Moderate", "(255,255,0)"), (101, "Unhealthy for Sensitive Groups", "(255,126,0)"),
    (150, "Unhealthy for Sensitive Groups", "(255,126,0)"), (151, "Unhealthy", "(255,0,0)"),
    (200, "Unhealthy", "(255,0,0)"), (201, "Very Unhealthy", "(143,63,151)"),
    (300, "Very Unhealthy", "(143,63,151)"), (301, "Hazardous", "(126,0,35)"),
    (500, "Hazardous", "(126,0,35)"),
])
def test_epa_bands(score: int, adjective: str, color: str) -> None:
    band = band_of(score)
    assert (band.adjective, band.color_text) == (adjective, color)


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda r: r["current"].pop("us_aqi"), "current.us_aqi"),
    (lambda r: r["current"].__setitem__("us_aqi", None), "current.us_aqi"),
    (lambda r: r["current"].pop("us_aqi_ozone"), "current.us_aqi_ozone"),
    (lambda r: r["current"].__setitem__("time", 1764190800), "current.time"),
    (lambda r: r.pop("current"), "current"),
])
def test_changed_shape_names_the_field(mutate, field: str) -> None:
    raw = recorded_json(FIXTURE)
    mutate(raw)
    check_names_field(lambda: map_air_quality(raw), field)


def test_fetch_asks_for_every_sub_index(upstream: RecordedServer) -> None:
    upstream.serve(PATH, recorded(FIXTURE))
    assert producer(upstream.url).fetch()["aqi_score"] == 72
    asked = upstream.seen[-1].query["current"][0].split(",")
    assert {"us_aqi", "us_aqi_pm2_5", "us_aqi_ozone", "us_aqi_pm10"} <= set(asked)


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "AQI", PATH, "current.us_aqi"

    def make(self, url: str) -> AirQuality:
        return producer(url)

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(PATH, recorded(FIXTURE))

    def serve_changed(self, upstream: RecordedServer) -> None:
        raw = recorded_json(FIXTURE)
        raw["current"]["us_aqi"] = "72"
        upstream.serve(PATH, raw)


def test_process_publishes(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, recorded(FIXTURE))
    message = check_process_publishes("aqi", ["--base-url", upstream.url], valkey.url, "AQI")
    assert message["values"] == map_air_quality(recorded_json(FIXTURE))
    assert seconds_valid(message) == 1800  # default period: 30 minutes
