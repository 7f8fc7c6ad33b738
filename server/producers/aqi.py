"""Air quality from Open-Meteo's air-quality API (no key), as the US EPA AQI.

The main pollutant is the one whose own sub-index (``us_aqi_<pollutant>``)
is highest: the overall US AQI is the maximum of those sub-indices.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from server.producers.base import Producer, require
from server.producers.place import add_place_arguments, place_of
from server.producers.shape import Field, UpstreamShapeError

# (upper bound of the band, adjective, EPA colour as the older displays write it)
AQI_BANDS: tuple[tuple[int, str, str], ...] = (
    (50, "Good", "(0,228,0)"),
    (100, "Moderate", "(255,255,0)"),
    (150, "Unhealthy for Sensitive Groups", "(255,126,0)"),
    (200, "Unhealthy", "(255,0,0)"),
    (300, "Very Unhealthy", "(143,63,151)"),
)
HAZARDOUS = ("Hazardous", "(126,0,35)")

# Open-Meteo sub-index field -> the pollutant's name on the displays.
POLLUTANTS: dict[str, str] = {
    "us_aqi_pm2_5": "PM2.5",
    "us_aqi_pm10": "PM10",
    "us_aqi_ozone": "Ozone",
    "us_aqi_nitrogen_dioxide": "Nitrogen Dioxide",
    "us_aqi_carbon_monoxide": "Carbon Monoxide",
    "us_aqi_sulphur_dioxide": "Sulfur Dioxide",
}
CURRENT = ["us_aqi", *POLLUTANTS, "pm2_5", "pm10", "ozone", "nitrogen_dioxide",
           "carbon_monoxide", "sulphur_dioxide"]


def aqi_band(score: int) -> tuple[str, str]:
    """(adjective, colour) of a US AQI score, per the EPA bands."""
    for upper, adjective, color in AQI_BANDS:
        if score <= upper:
            return adjective, color
    return HAZARDOUS


def legacy_time(moment: datetime) -> str:
    """``11/26/2026 4:00 PM -0500``: the older displays' text form."""
    hour = moment.strftime("%I").lstrip("0") or "12"
    return f"{moment:%m/%d/%Y} {hour}:{moment:%M %p %z}"


def map_air_quality(answer: Any) -> dict[str, Any]:
    """Open-Meteo air-quality JSON -> the ``AQI`` values of docs/payloads.md."""
    raw = Field(answer, "AQI")
    cur = raw.key("current")
    moment = cur.key("time").time(raw.key("timezone").zone())
    score = cur.key("us_aqi").int()
    if score < 0:
        raise UpstreamShapeError("AQI", "current.us_aqi", f"is negative: {score}")
    sub = {name: cur.key(key).number() for key, name in POLLUTANTS.items()}
    main = max(sub, key=lambda name: sub[name])
    adjective, color = aqi_band(score)
    return {
        "date_time": legacy_time(moment),
        "aqi_score": score,
        "aqi_adjective": adjective,
        "color": color,
        "main_pollutant": main,
    }


class AirQuality(Producer):
    name = "AQI"
    type = "AQI"
    default_period = 1800
    base_url = "https://air-quality-api.open-meteo.com/v1/"
    description = "US AQI and its main pollutant from Open-Meteo's air-quality API (no key)"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        add_place_arguments(parser)

    def fetch(self) -> dict[str, Any]:
        place = place_of(self)
        answer = self.get_json("air-quality", params={
            "latitude": place.latitude,
            "longitude": place.longitude,
            "timezone": place.timezone,
            "current": ",".join(CURRENT),
        })
        return map_air_quality(answer)

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "aqi_score", int, where=kind)
        require(values, "aqi_adjective", str, where=kind)
        require(values, "main_pollutant", str, where=kind)


PRODUCER = AirQuality
