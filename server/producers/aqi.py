"""Air quality from Open-Meteo's air-quality API (no key), as the US EPA AQI.

The main pollutant is the one whose own sub-index (``us_aqi_<pollutant>``)
is highest: the overall US AQI is the maximum of those sub-indices.
"""

from __future__ import annotations

import argparse
from typing import Any

from glanceboard.payloads.aqi import Aqi
from server.producers.base import Producer
from server.producers.place import add_place_arguments, place_of
from server.producers.shape import Field, UpstreamShapeError, require_original_shape

# Open-Meteo sub-index field -> the pollutant's name as the original producer writes it.
POLLUTANTS: dict[str, str] = {
    "us_aqi_pm2_5": "Particulate Matter (2.5 microns)",
    "us_aqi_pm10": "Particulate Matter (10 microns)",
    "us_aqi_ozone": "Ozone",
    "us_aqi_nitrogen_dioxide": "Nitrogen Dioxide",
    "us_aqi_carbon_monoxide": "Carbon Monoxide",
    "us_aqi_sulphur_dioxide": "Sulfur Dioxide",
}
CURRENT = ["us_aqi", *POLLUTANTS, "pm2_5", "pm10", "ozone", "nitrogen_dioxide",
           "carbon_monoxide", "sulphur_dioxide"]


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
    return Aqi.of_score(score, main, moment).to_values()


class AirQuality(Producer):
    name = "AQI"
    type = "AQI"
    default_period = 1800
    base_url = "https://air-quality-api.open-meteo.com/v1/"
    description = "US AQI and its main pollutant from Open-Meteo's air-quality API (no key)"
    household = {"latitude": "latitude", "longitude": "longitude", "timezone": "timezone"}

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
        require_original_shape(kind, values)


PRODUCER = AirQuality
