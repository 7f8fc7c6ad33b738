"""Weather from Open-Meteo's forecast API (no key): the original's fields and ours
(docs/payloads.md), written by glanceboard.payloads.weather.

Open-Meteo reports WMO weather codes; the displays draw OpenWeatherMap
condition ids (``wid``), so :data:`WMO_CONDITIONS` translates each code to an
id and a short lower-case description.
"""

from __future__ import annotations

import argparse
from typing import Any

from glanceboard.payloads.weather import Current, Day, Hour, compass
from glanceboard.payloads.weather import Weather as WeatherView
from server.producers.base import ConfigError, Producer, option, require
from server.producers.place import add_place_arguments, place_of
from server.producers.shape import Field, UpstreamShapeError, columns, require_original_shape

# WMO code -> (OpenWeatherMap condition id, description).
WMO_CONDITIONS: dict[int, tuple[int, str]] = {
    0: (800, "clear sky"),
    1: (801, "mainly clear"),
    2: (802, "partly cloudy"),
    3: (804, "overcast"),
    45: (741, "fog"),
    48: (741, "freezing fog"),
    51: (300, "light drizzle"),
    53: (301, "drizzle"),
    55: (302, "heavy drizzle"),
    56: (511, "light freezing drizzle"),
    57: (511, "freezing drizzle"),
    61: (500, "light rain"),
    63: (501, "moderate rain"),
    65: (502, "heavy rain"),
    66: (511, "light freezing rain"),
    67: (511, "freezing rain"),
    71: (600, "light snow"),
    73: (601, "snow"),
    75: (602, "heavy snow"),
    77: (600, "snow grains"),
    80: (520, "light rain showers"),
    81: (521, "rain showers"),
    82: (522, "heavy rain showers"),
    85: (620, "light snow showers"),
    86: (622, "heavy snow showers"),
    95: (211, "thunderstorm"),
    96: (201, "thunderstorm with light hail"),
    99: (202, "thunderstorm with heavy hail"),
}

CURRENT = ["temperature_2m", "apparent_temperature", "relative_humidity_2m", "is_day",
           "weather_code", "wind_speed_10m", "wind_direction_10m", "wind_gusts_10m"]
HOURLY = ["temperature_2m", "apparent_temperature", "relative_humidity_2m",
          "precipitation_probability", "weather_code", "is_day", "wind_speed_10m",
          "wind_direction_10m"]
DAILY = ["weather_code", "temperature_2m_max", "temperature_2m_min",
         "precipitation_probability_max", "relative_humidity_2m_mean", "wind_speed_10m_max",
         "wind_direction_10m_dominant", "sunrise", "sunset"]
FORECAST_DAYS = 8
HOURS = 48
UNITS = {"imperial": {"temperature_unit": "fahrenheit", "wind_speed_unit": "mph"},
         "metric": {"temperature_unit": "celsius", "wind_speed_unit": "kmh"}}


def condition(code: Field) -> tuple[int, str]:
    """(wid, desc) of a WMO code; an unknown code is an upstream change, named."""
    wmo = code.int()
    if wmo not in WMO_CONDITIONS:
        raise UpstreamShapeError(code.source, code.path, f"has unknown WMO weather code {wmo}")
    return WMO_CONDITIONS[wmo]


def forecast_params(latitude: float, longitude: float, timezone: str, units: str
                    ) -> dict[str, Any]:
    return {
        "latitude": latitude,
        "longitude": longitude,
        "timezone": timezone,
        "current": ",".join(CURRENT),
        "hourly": ",".join(HOURLY),
        "daily": ",".join(DAILY),
        "forecast_days": FORECAST_DAYS + 1,  # 48 hours from late evening reach day 3
        **UNITS[units],
    }


def _round(value: float) -> float:
    return round(value, 1)


def map_forecast(answer: Any, units: str = "imperial") -> dict[str, Any]:
    """Open-Meteo forecast JSON (asked in ``units``) -> the ``Weather`` values of
    docs/payloads.md, which say their units."""
    raw = Field(answer, "Weather")
    zone = raw.key("timezone").zone()
    cur = raw.key("current")
    now = cur.key("time").time(zone)
    hourly = raw.key("hourly")
    hours = columns(hourly, ["time", *HOURLY])
    times = [Field(t, "Weather", f"hourly.time[{i}]").time(zone)
             for i, t in enumerate(hours["time"])]
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    start = next((i for i, t in enumerate(times) if t >= this_hour), None)
    if start is None or len(times) - start < HOURS + 1:
        raise UpstreamShapeError("Weather", "hourly.time",
                                 f"has no {HOURS + 1} hours from {this_hour.isoformat()}")

    def h(name: str, i: int) -> Field:
        return Field(hours[name][i], "Weather", f"hourly.{name}[{i}]")

    wid, desc = condition(cur.key("weather_code"))
    gusts = cur.opt("wind_gusts_10m")
    current = Current(
        temp=_round(cur.key("temperature_2m").number()),
        feels=_round(cur.key("apparent_temperature").number()),
        humid=round(cur.key("relative_humidity_2m").number()),
        wind_dir=compass(cur.key("wind_direction_10m").number()),
        wind_speed=_round(cur.key("wind_speed_10m").number()),
        wind_gust=_round(gusts.number()) if gusts else 0.0,
        desc=desc,
        night=not cur.key("is_day").int(),
        wid=wid,
        next_wid=condition(h("weather_code", start + 1))[0],
    )
    hourly_out = []
    for i in range(start, start + HOURS):
        hwid, hdesc = condition(h("weather_code", i))
        hourly_out.append(Hour(
            time=times[i],
            temp=_round(h("temperature_2m", i).number()),
            feels=_round(h("apparent_temperature", i).number()),
            humid=round(h("relative_humidity_2m", i).number()),
            pop=round(h("precipitation_probability", i).number()),
            wid=hwid,
            night=not h("is_day", i).int(),
            desc=hdesc,
            wind_speed=_round(h("wind_speed_10m", i).number()),
            wind_dir=compass(h("wind_direction_10m", i).number()),
        ))
    daily = raw.key("daily")
    days = columns(daily, ["time", *DAILY])
    today = now.date().isoformat()
    first = days["time"].index(today) if today in days["time"] else 0

    def d(name: str, i: int) -> Field:
        return Field(days[name][i], "Weather", f"daily.{name}[{i}]")

    forecast = []
    for i in range(first, min(first + FORECAST_DAYS, len(days["time"]))):
        day = d("time", i).time(zone).date()
        dwid, ddesc = condition(d("weather_code", i))
        forecast.append(Day(
            day=day,
            high=_round(d("temperature_2m_max", i).number()),
            low=_round(d("temperature_2m_min", i).number()),
            wid=dwid,
            desc=ddesc,
            pop=round(d("precipitation_probability_max", i).number()),
            humid=round(d("relative_humidity_2m_mean", i).number()),
            wind_speed=_round(d("wind_speed_10m_max", i).number()),
            wind_dir=compass(d("wind_direction_10m_dominant", i).number()),
            sunrise=d("sunrise", i).time(zone),
            sunset=d("sunset", i).time(zone),
        ))
    if len(forecast) < FORECAST_DAYS:
        raise UpstreamShapeError("Weather", "daily.time",
                                 f"has {len(forecast)} days from {today}, expected "
                                 f"{FORECAST_DAYS}")
    return WeatherView(current, tuple(forecast), tuple(hourly_out), units=units).to_values()


class Weather(Producer):
    name = "Weather"
    type = "Weather"
    default_period = 900
    base_url = "https://api.open-meteo.com/v1/"
    description = "current conditions, 8-day and 48-hour forecast from Open-Meteo (no key)"
    household = {"latitude": "latitude", "longitude": "longitude", "timezone": "timezone",
                 "units": "units"}

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        add_place_arguments(parser)
        option(parser, "--units", choices=sorted(UNITS), env="UNITS", default="imperial",
               help="imperial (°F, mph) or metric (°C, km/h); every message says which in "
               "'units', and the displays draw it so")

    def fetch(self) -> dict[str, Any]:
        place = place_of(self)
        units = str(self.setting("units", "imperial", env="UNITS"))
        if units not in UNITS:
            raise ConfigError(f"Weather: units {units!r} is not one of {sorted(UNITS)} "
                              "(--units, env UNITS)")
        answer = self.get_json("forecast", params=forecast_params(
            place.latitude, place.longitude, place.timezone, units))
        return map_forecast(answer, units)

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, f"forecast[{FORECAST_DAYS - 1}].hi", (int, float), where=kind)
        require(values, f"hourly[{HOURS - 1}].temp", (int, float), where=kind)
        require_original_shape(kind, values)


PRODUCER = Weather
