"""Sample state at a frozen moment: what goldens, the contact sheet and the bench render.

Shapes follow docs/payloads.md. Besides the normal sample there are cases that
pages must survive: no data, stale data, missing fields, malformed fields and
overlong text. Everything is built from constants, so every run draws the
same pixels.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from glanceboard.payloads import names
from matrix_client.pages.base import PageContext, PageSettings
from matrix_client.pages.live_settings import merge_settings

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 26, 16, 55, 8, tzinfo=ZONE)  # a Thursday afternoon
STARTED = NOW - timedelta(days=2, hours=3, minutes=17)
SIZES: tuple[tuple[int, int], ...] = ((64, 32), (128, 32), (64, 64), (128, 64))
CASES: tuple[str, ...] = ("", "nodata", "stale", "missing", "malformed", "long")

SETTINGS = PageSettings(
    favorite_mlb=("BOS",),
    favorite_nfl=("KC",),
    garbage_weekday=3,  # Thursday: tonight
    wifi_qr="WIFI:T:WPA;S:Glance-Home;P:correct horse battery;;",
)

LONG = (
    "An extraordinarily long piece of text that no panel could ever show on one line, "
    "repeated to make the point " * 4
)


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _envelope(kind: str, values: Any, stale: bool = False, age_minutes: float = 5) -> dict:
    updated = NOW - timedelta(minutes=age_minutes)
    valid = NOW - timedelta(minutes=1) if stale else NOW + timedelta(minutes=55)
    return {
        "type": kind,
        "values": values,
        "updated": _iso(updated),
        "valid": _iso(valid),
        "ts": int(updated.timestamp() * 1000),
    }


_DAYS = ("Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed", "Thu")
_FORECAST = (
    (52, 41, 500, "light rain", 80),
    (48, 35, 803, "broken clouds", 10),
    (44, 30, 800, "clear sky", 0),
    (39, 28, 601, "snow", 70),
    (45, 33, 802, "scattered clouds", 20),
    (51, 40, 211, "thunderstorm", 60),
    (55, 42, 741, "fog", 10),
    (49, 37, 804, "overcast clouds", 20),
)


def weather() -> dict:
    start = NOW.replace(minute=0, second=0)
    hourly = []
    for i in range(48):
        at = start + timedelta(hours=i)
        hour = at.hour
        night = hour < 7 or hour >= 17
        temp = 40 + 7 * math.cos((hour - 15) / 24 * 2 * math.pi) + (i // 24) * 2
        wid = (500, 803, 802, 800, 800, 801, 804, 600)[(i // 2) % 8]
        hourly.append(
            {
                "time": _iso(at),
                "temp": round(temp, 1),
                "fl": round(temp - 4, 1),
                "humid": 60 + i % 20,
                "pop": (80, 30, 10, 0, 0, 5, 20, 60)[(i // 2) % 8],
                "wid": wid,
                "dn": "n" if night else "d",
                "desc": "light rain",
                "windSpeed": 10,
                "windDir": "NW",
            }
        )
    forecast = []
    for i, (hi, lo, wid, desc, pop) in enumerate(_FORECAST):
        day = NOW.date() + timedelta(days=i)
        forecast.append(
            {
                "date": day.isoformat(),
                "day": _DAYS[i],
                "hi": hi,
                "lo": lo,
                "wid": wid,
                "desc": desc,
                "pop": pop,
                "humid": 70,
                "windSpeed": 14,
                "windDir": "W",
                "sunrise": f"{day.isoformat()}T07:02:00-05:00",
                "sunset": f"{day.isoformat()}T16:31:00-05:00",
            }
        )
    return {
        "current": {
            "temp": 47.3,
            "fl": 43.1,
            "humid": 62,
            "windDir": "NW",
            "windSpeed": 12,
            "windGust": 21,
            "desc": "light rain",
            "dn": "d",
            "wid": 500,
            "nwid": 803,
        },
        "forecast": forecast,
        "hourly": hourly,
    }


def aqi() -> dict:
    return {
        "date_time": "11/26/2026 4:00 PM -0500",
        "aqi_score": 42,
        "aqi_adjective": "Good",
        "color": "(0,228,0)",
        "main_pollutant": "Ozone",
    }


def moon() -> dict:
    return {
        "phase": 37,
        "illumstr": "62.3%",
        "sunevent": "Sunset:   04:31 PM",
        "moonevent": "Moonrise: 01:12 PM",
    }


def calendar() -> list:
    return [
        ["Thanksgiving dinner", "2026-11-26T17:30:00-05:00", "2026-11-26T21:00:00-05:00"],
        ["Black Friday shift", "2026-11-27T09:30:00-05:00", "2026-11-27T14:00:00-05:00"],
        ["Leftovers party", "2026-11-28", "2026-11-29"],
        ["Dentist", "2026-12-01T10:00:00-05:00", "2026-12-01T11:00:00-05:00"],
        ["Book club", "2026-12-02T19:00:00-05:00", "2026-12-02T21:00:00-05:00"],
        ["Piano lesson", "2026-12-08T16:00:00-05:00", "2026-12-08T17:00:00-05:00"],
    ]


def events() -> list:
    return [
        ["Grandma's birthday", "2026-11-29", "2026-11-30"],
        ["School concert", "2026-12-04T18:30:00-05:00", "2026-12-04T20:00:00-05:00"],
    ]


def github() -> dict:
    return {
        "latest_commit": "9b13a4e",
        "last_successful_commit": "3f5713a",
        "commit_message": "Fix the moon page at night",
        "date": "2026-11-26T15:02:11-05:00",
        "repo": "glanceboard/glanceboard",
        "status": "pending",
    }


def _team(team: str, name: str, score: int, record: str) -> dict:
    return {"team": team, "name": name, "score": score, "record": record}


def mlb() -> list:
    return [
        {
            "id": 745123,
            "start": "2026-11-26T13:05:00-05:00",
            "status": "In Progress",
            "away": _team("NYY", "New York Yankees", 3, "88-70"),
            "home": _team("BOS", "Boston Red Sox", 2, "80-78"),
            "inning": 6,
            "half": "top",
            "outs": 1,
            "balls": 2,
            "strikes": 1,
            "bases": [True, False, True],
            "venue": "Fenway Park",
        },
        {
            "id": 745124,
            "start": "2026-11-26T19:10:00-05:00",
            "status": "Scheduled",
            "away": _team("LAD", "Los Angeles Dodgers", 0, "95-63"),
            "home": _team("SF", "San Francisco Giants", 0, "77-81"),
            "inning": None,
            "half": None,
            "outs": None,
            "venue": "Oracle Park",
        },
        {
            "id": 745125,
            "start": "2026-11-26T12:10:00-05:00",
            "status": "Final",
            "away": _team("CHC", "Chicago Cubs", 5, "83-75"),
            "home": _team("STL", "St. Louis Cardinals", 7, "79-79"),
            "inning": 9,
            "half": None,
            "outs": None,
            "venue": "Busch Stadium",
        },
    ]


def nfl() -> dict:
    return {
        "events": [
            {
                "id": "401671789",
                "start": "2026-11-26T16:30:00-05:00",
                "state": "in",
                "detail": "3rd 4:12",
                "period": 3,
                "clock": "4:12",
                "away": _team("BUF", "Buffalo Bills", 17, "8-3"),
                "home": _team("KC", "Kansas City Chiefs", 14, "9-2"),
                "possession": "KC",
                "venue": "Arrowhead Stadium",
                "broadcast": "CBS",
            },
            {
                "id": "401671790",
                "start": "2026-11-26T20:20:00-05:00",
                "state": "pre",
                "detail": "Thu 8:20 PM",
                "period": None,
                "clock": None,
                "away": _team("GB", "Green Bay Packers", 0, "7-4"),
                "home": _team("DET", "Detroit Lions", 0, "10-1"),
                "possession": None,
                "venue": "Ford Field",
                "broadcast": "NBC",
            },
        ]
    }


def track() -> dict:
    return {
        "Time": "11/26/2026 4:40:00 PM",
        "Name": "Ryan Smith",
        "Latitude": "44.270500",
        "Longitude": "-71.303600",
        "Velocity": 1.61,
        "Course": "NNE",
        "Valid GPS Fix": "True",
    }


def servers() -> dict:
    ages = {"Weather": 3, "AQI": 40, "Moon": 200, "Calendar": 600, "GitHub": 2000, "MLB": 30}
    return {
        f"{name}-Server": _envelope(
            f"{name}-Server", {"message": f"{name} started."}, age_minutes=minutes
        )
        for name, minutes in ages.items()
    }


# A 12x12 washing machine (PNG): an app's own picture, as PUT /apps/{name} takes it.
WASHER_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAwAAAAMCAYAAABWdVznAAAAd0lEQVR42p2PsRGDMBAEF40iinARiolVxEfEVOIKFDlw"
    "dEVQBC3ZEQyCl4194Wn39d8BlPJ8cSHTNHah9ahhBsAe96qPGyAdDBBC/Q0kzKwW1uJb3JWUMkr5mrAHPSm04FYX+DGV"
    "YMt8Ao5d+AR4A6L3rQf+fcMb+OAfcNqNWn4AAAAASUVORK5CYII="
)


def apps() -> dict:
    """The live apps (docs/apps.md): one, so it is the one on screen at NOW. It expires in
    2100, not soon after NOW: an API server given this state must not prune it by its clock."""
    at = int(NOW.timestamp() * 1000)
    return {"apps": [{"name": "laundry", "text": "Laundry done in 25 min", "image": WASHER_PNG,
                      "color": "#3cc8e6", "progress": 60, "duration": 8,
                      "expires": 4_102_444_800_000, "updated": at - 300_000}]}


_CELSIUS = frozenset({"temp", "fl", "feel", "hi", "lo", "high", "low"})
_KMH = frozenset({"windSpeed", "windGust"})


def _metric(value: Any) -> Any:
    """The sample weather as a producer set to metric sends it: °C and km/h."""
    if isinstance(value, list):
        return [_metric(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key in _CELSIUS and isinstance(v, int | float):
            out[key] = round((v - 32) * 5 / 9, 1)
        elif key in _KMH and isinstance(v, int | float):
            out[key] = round(v * 1.609344, 1)
        else:
            out[key] = _metric(v)
    return out


def metric_weather() -> dict:
    return {**_metric(weather()), "units": "metric"}


# The household's settings (the Settings envelope the API server publishes) in cases of
# their own: the pages they change, at the sizes drawn.
HOUSEHOLD_CASES: dict[str, tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {
    "metric-24h": (("weather", "hourly", "clock"), ((64, 32), (128, 64))),
}
HOUSEHOLD = {"version": 4, "units": "metric", "clock": "24h"}


def household_state() -> dict[str, dict]:
    """The normal state from metric producers, with the household's settings in it."""
    state = normal_state()
    state["Weather"] = _envelope("Weather", metric_weather())
    state[names.SETTINGS] = _envelope(names.SETTINGS, HOUSEHOLD)
    return state


def normal_state() -> dict[str, dict]:
    state = {
        "Weather": _envelope("Weather", weather()),
        "AQI": _envelope("AQI", aqi()),
        "Moon": _envelope("Moon", moon()),
        "Calendar": _envelope("Calendar", calendar()),
        "Events": _envelope("Events", events()),
        "GitHub": _envelope("GitHub", github()),
        "MLB": _envelope("MLB", mlb()),
        "NFL": _envelope("NFL", nfl()),
        "Track": _envelope("Track", track()),
        "Apps": _envelope("Apps", apps()),
    }
    state.update(servers())
    return state


def _missing_values(kind: str, values: Any) -> Any:
    """Each payload with its inner fields removed, as a half-broken producer might send."""
    if kind == "Weather":
        return {"current": {"temp": 47.3}, "forecast": [{"day": "Thu"}], "hourly": [{}]}
    if kind in ("Calendar", "Events"):
        return [["Untimed entry"], ["No dates", None, None]]
    if kind == "MLB":
        return [{"status": "In Progress"}]
    if kind == "NFL":
        return {"events": [{"state": "in"}]}
    if names.is_server_type(kind):
        return {}
    return {}


def _malformed_values(kind: str, values: Any) -> Any:
    """Wrong types everywhere: strings for numbers, numbers for strings, nulls, nesting."""
    junk: dict[str, Any] = {
        "Weather": {
            "current": {
                "temp": "warm",
                "fl": None,
                "humid": [],
                "windDir": 7,
                "windSpeed": {},
                "desc": 12,
                "dn": None,
                "wid": "x",
                "nwid": True,
            },
            "forecast": [None, 3, "Thu", {"day": 5, "hi": "hot", "lo": None, "wid": []}],
            "hourly": {"not": "a list"},
        },
        "AQI": {
            "aqi_score": "bad",
            "aqi_adjective": None,
            "color": "(300,a,1)",
            "main_pollutant": 5,
        },
        "Moon": {"phase": "full", "illumstr": 62, "sunevent": None, "moonevent": ["x"]},
        "Calendar": [[1, 2, 3], "loose string", None, ["Party", "not a date", 5]],
        "Events": {"what": "not a list"},
        "GitHub": {
            "latest_commit": 123,
            "last_successful_commit": None,
            "commit_message": ["x"],
            "date": "yesterday",
        },
        "MLB": {"games": "not a list"},
        "NFL": {"events": [None, {"away": "BUF", "home": 3, "period": "x", "clock": 9}]},
    }
    return junk.get(kind, "garbage")


def _long_values(kind: str, values: Any) -> Any:
    if kind == "Weather":
        values["current"]["desc"] = LONG
        values["current"]["windDir"] = "NNW" * 20
        values["current"]["temp"] = -123.4
        values["current"]["humid"] = 100
        for day in values["forecast"]:
            day["day"] = "Wednesday" * 3
            day["hi"], day["lo"] = 123, -45
        for hour in values["hourly"]:
            hour["temp"], hour["pop"] = -100, 100
        return values
    if kind == "AQI":
        return {**values, "aqi_score": 512, "aqi_adjective": LONG, "main_pollutant": LONG}
    if kind == "Moon":
        return {
            **values,
            "illumstr": "100.0%",
            "sunevent": "Sunrise:  " + LONG,
            "moonevent": "Moonset:  " + LONG,
        }
    if kind in ("Calendar", "Events"):
        return [[LONG, "2026-11-26T18:00:00-05:00", "2026-11-26T19:00:00-05:00"]] * 25
    if kind == "GitHub":
        return {**values, "commit_message": LONG, "repo": LONG, "latest_commit": "f" * 40}
    if kind == "MLB":
        for game in values:
            game["away"]["team"] = "LONGNAME" * 3
            game["home"]["score"] = 123
        return values
    if kind == "Track":
        return {**values, "Name": LONG, "Course": "NNW" * 10, "Velocity": 12345.678}
    if kind == "Apps":
        return {"apps": [{**app, "text": LONG} for app in values["apps"]]}
    if kind == "NFL":
        for event in values["events"]:
            event["detail"] = LONG
            event["home"]["team"] = "TOOLONG" * 3
            event["away"]["score"] = 188
        return values
    return values


@dataclass(frozen=True)
class LegacyCase:
    """Original producers' samples (tests/fixtures/legacy) shown at a moment they are fresh."""

    now: datetime
    samples: tuple[str, ...]
    pages: tuple[str, ...]


_EDT = timezone(timedelta(hours=-4))
LEGACY_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "legacy"
LEGACY_SETTINGS = PageSettings(favorite_mlb=("BOS",), favorite_nfl=("NE",))
LEGACY_CASES: dict[str, LegacyCase] = {
    "legacy": LegacyCase(
        datetime(2025, 9, 14, 14, 35, 50, tzinfo=_EDT),
        ("Weather", "AQI", "Moon", "GitHub", "MLB_live", "NFL_live", "Track"),
        ("weather", "hourly", "forecast", "moon", "github", "mlb", "nfl", "track"),
    ),
    "legacy-pregame": LegacyCase(
        datetime(2025, 9, 14, 11, 41, tzinfo=_EDT), ("MLB_pregame",), ("mlb",)
    ),
    "legacy-final": LegacyCase(
        datetime(2025, 9, 14, 22, 41, tzinfo=_EDT), ("MLB_final",), ("mlb",)
    ),
    "legacy-week": LegacyCase(
        datetime(2025, 9, 10, 10, 0, 30, tzinfo=_EDT), ("NFL_pregame",), ("nfl",)
    ),
    "legacy-morning": LegacyCase(
        datetime(2025, 9, 14, 6, 3, tzinfo=_EDT), ("Events", "Weather-Server"), ("events", "uptime")
    ),
    "legacy-calendar": LegacyCase(
        datetime(2025, 9, 15, 9, 13, tzinfo=_EDT), ("Calendar",), ("calendar",)
    ),
    "legacy-noevents": LegacyCase(
        datetime(2025, 9, 13, 10, 6, tzinfo=_EDT), ("Calendar_no_events",), ("calendar",)
    ),
}


def legacy_state(case: LegacyCase) -> dict[str, dict]:
    state = {}
    for name in case.samples:
        envelope = json.loads((LEGACY_DIR / f"{name}.json").read_text(encoding="utf-8"))
        state[envelope["type"]] = envelope
    return state


def state_for(case: str, page: str | None = None) -> dict[str, dict]:
    """The whole state for a case name from :data:`CASES` or :data:`LEGACY_CASES`; for a
    plugin ``page``, with its own samples (:func:`plugin_samples`) added."""
    extra = plugin_samples(page)
    if case in LEGACY_CASES:
        return legacy_state(LEGACY_CASES[case])
    if case in HOUSEHOLD_CASES:
        return household_state()
    if case and case in extra:
        # A case the plugin spells out: its messages as given, fresh, over the normal state.
        state = normal_state()
        state.update((k, _envelope(k, v)) for k, v in extra[case].items())
        return state
    if case == "nodata":
        return {}
    state = normal_state()
    state.update((k, _envelope(k, v)) for k, v in extra.get("", {}).items())
    if case == "":
        return state
    if case == "stale":
        return {k: {**v, "valid": _iso(NOW - timedelta(minutes=1))} for k, v in state.items()}
    change = {"missing": _missing_values, "malformed": _malformed_values, "long": _long_values}[
        case
    ]
    return {k: {**v, "values": change(k, v["values"])} for k, v in state.items()}


def plugin_samples(page: str | None) -> Mapping[str, Mapping[str, Any]]:
    """A plugin page's samples (case -> type -> values), deep-copied so that the case
    derivations may change them; nothing for a built-in page."""
    if page is None:
        return {}
    from matrix_client.pages import plugin_pages

    plugin = plugin_pages().get(page)
    return copy.deepcopy(dict(plugin.page.samples)) if plugin else {}


def cases_for(page: str) -> tuple[str, ...]:
    """The sample cases ``page`` is drawn in: every case of :data:`CASES`, then a plugin's
    own cases."""
    return CASES + tuple(case for case in plugin_samples(page) if case not in CASES)


def settings_for(case: str) -> PageSettings:
    if case in LEGACY_CASES:
        return LEGACY_SETTINGS
    if case == "long":
        return PageSettings(
            favorite_mlb=SETTINGS.favorite_mlb,
            favorite_nfl=SETTINGS.favorite_nfl,
            garbage_weekday=3,
            wifi_qr="WIFI:T:WPA;S:" + "VeryLongNetworkName" * 4 + ";P:" + "p" * 60 + ";;",
        )
    if case in ("nodata", "missing"):
        return PageSettings()
    if case == "malformed":
        # Settings come from a validated config; a user BDF that is broken is the worst case.
        return PageSettings(garbage_weekday=3, fonts={"small": "/nonexistent/font.bdf"})
    return SETTINGS


def context(case: str, size: tuple[int, int], now: datetime | None = None,
            page: str | None = None) -> PageContext:
    if now is None:
        now = LEGACY_CASES[case].now if case in LEGACY_CASES else NOW
    state = state_for(case, page)
    return PageContext(
        state=state,
        now=now,
        width=size[0],
        height=size[1],
        # As the loop does: the household's settings, where the state has them, win.
        settings=merge_settings(settings_for(case), state.get(names.SETTINGS)),
        started=now - (NOW - STARTED),
    )
