"""Weather from Open-Meteo's forecast API (no key), in the shape of docs/payloads.md.

Open-Meteo reports WMO weather codes; the displays draw OpenWeatherMap
condition ids (``wid``), so :data:`WMO_CONDITIONS` translates each code to an
id and a short lower-case description.
"""

from __future__ import annotations

import argparse
from typing import Any

from server.producers.base import ConfigError, Producer, require
from server.producers.place import add_place_arguments, place_of
from server.producers.shape import Field, UpstreamShapeError, columns

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

COMPASS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
           "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")

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


def compass(degrees: float) -> str:
    """16-point compass name of a direction in degrees (where the wind comes from)."""
    return COMPASS[int(degrees % 360 / 22.5 + 0.5) % 16]


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


def map_forecast(answer: Any) -> dict[str, Any]:
    """Open-Meteo forecast JSON -> the ``Weather`` values of docs/payloads.md."""
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
    current = {
        "temp": _round(cur.key("temperature_2m").number()),
        "fl": _round(cur.key("apparent_temperature").number()),
        "humid": round(cur.key("relative_humidity_2m").number()),
        "windDir": compass(cur.key("wind_direction_10m").number()),
        "windSpeed": _round(cur.key("wind_speed_10m").number()),
        "windGust": _round(gusts.number()) if (gusts := cur.opt("wind_gusts_10m")) else 0,
        "desc": desc,
        "dn": "d" if cur.key("is_day").int() else "n",
        "wid": wid,
        "nwid": condition(h("weather_code", start + 1))[0],
    }
    hourly_out = []
    for i in range(start, start + HOURS):
        hwid, hdesc = condition(h("weather_code", i))
        hourly_out.append({
            "time": times[i].isoformat(),
            "temp": _round(h("temperature_2m", i).number()),
            "fl": _round(h("apparent_temperature", i).number()),
            "humid": round(h("relative_humidity_2m", i).number()),
            "pop": round(h("precipitation_probability", i).number()),
            "wid": hwid,
            "dn": "d" if h("is_day", i).int() else "n",
            "desc": hdesc,
            "windSpeed": _round(h("wind_speed_10m", i).number()),
            "windDir": compass(h("wind_direction_10m", i).number()),
        })
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
        forecast.append({
            "date": day.isoformat(),
            "day": day.strftime("%a"),
            "hi": _round(d("temperature_2m_max", i).number()),
            "lo": _round(d("temperature_2m_min", i).number()),
            "wid": dwid,
            "desc": ddesc,
            "pop": round(d("precipitation_probability_max", i).number()),
            "humid": round(d("relative_humidity_2m_mean", i).number()),
            "windSpeed": _round(d("wind_speed_10m_max", i).number()),
            "windDir": compass(d("wind_direction_10m_dominant", i).number()),
            "sunrise": d("sunrise", i).time(zone).isoformat(),
            "sunset": d("sunset", i).time(zone).isoformat(),
        })
    if len(forecast) < FORECAST_DAYS:
        raise UpstreamShapeError("Weather", "daily.time",
                                 f"has {len(forecast)} days from {today}, expected "
                                 f"{FORECAST_DAYS}")
    return {"current": current, "forecast": forecast, "hourly": hourly_out}


class Weather(Producer):
    name = "Weather"
    type = "Weather"
    default_period = 900
    base_url = "https://api.open-meteo.com/v1/"
    description = "current conditions, 8-day and 48-hour forecast from Open-Meteo (no key)"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        add_place_arguments(parser)
        parser.add_argument("--units", choices=sorted(UNITS), default=None,
                            help="imperial (°F, mph; what the displays assume) or metric "
                            "(°C, km/h) (env UNITS; default imperial)")

    def fetch(self) -> dict[str, Any]:
        place = place_of(self)
        units = str(self.setting("units", "imperial", env="UNITS"))
        if units not in UNITS:
            raise ConfigError(f"Weather: units {units!r} is not one of {sorted(UNITS)} "
                              "(--units, env UNITS)")
        answer = self.get_json("forecast", params=forecast_params(
            place.latitude, place.longitude, place.timezone, units))
        return map_forecast(answer)

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "current.temp", (int, float), where=kind)
        require(values, "current.wid", int, where=kind)
        require(values, f"forecast[{FORECAST_DAYS - 1}].hi", (int, float), where=kind)
        require(values, f"hourly[{HOURS - 1}].temp", (int, float), where=kind)


PRODUCER = Weather
