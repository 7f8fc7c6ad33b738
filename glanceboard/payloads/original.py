"""What the original ecosystem's clients expect of each type: field, JSON type, format.

Written from the field tables of the original payloads (what the original Pi
client and web display read). :func:`problems` lists every way a message
falls short, so a producer test or the compatibility check can name them;
an empty list means the original clients can draw it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from glanceboard.payloads import names

Check = Callable[[Any], bool]

_UPDATED = "%m/%d/%Y %I:%M %p %z"
_VALID = "%m/%d/%Y %I:%M:%S %p %z"
_HOUR12 = re.compile(r"^(1[0-2]|[1-9]):")  # arrow's 'h': no leading zero
_COMPASS = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W",
            "WNW", "NW", "NNW"}


def _strict(fmt: str, text: Any, unpadded_at: int | None = None) -> bool:
    """``text`` parses with ``fmt`` and writes back identically (as arrow's strict parse)."""
    if not isinstance(text, str):
        return False
    try:
        moment = datetime.strptime(text, fmt)
    except ValueError:
        return False
    if unpadded_at is not None:
        rebuilt = moment.strftime(fmt.replace("%I", str(moment.hour % 12 or 12)))
        return rebuilt == text
    return True


def updated_text(text: Any) -> bool:
    """``MM/DD/YYYY h:mm A Z``, as the original Pi client's Uptime page parses it."""
    return _strict(_UPDATED, text, 11)


def valid_text(text: Any) -> bool:
    return _strict(_VALID, text, 11)


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def is_str(v: Any) -> bool:
    return isinstance(v, str)


def is_bool(v: Any) -> bool:
    return isinstance(v, bool)


def pattern(regex: str) -> Check:
    compiled = re.compile(regex)
    return lambda v: isinstance(v, str) and compiled.fullmatch(v) is not None


def one_of(*choices: Any) -> Check:
    return lambda v: v in choices


def int_in(low: int, high: int) -> Check:
    return lambda v: is_int(v) and low <= v <= high


HEX6 = pattern(r"[0-9A-Fa-f]{6}")
HASH_HEX6 = pattern(r"#[0-9A-Fa-f]{6}")
DIGITS = pattern(r"\d+")
SHA7 = pattern(r"[0-9a-f]{7}")
RGB_TEXT = pattern(r"\(\d{1,3},\d{1,3},\d{1,3}\)")
ISO_OFFSET = pattern(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d")
# The Pi client's arrow.get() also reads a bare date (as midnight UTC): our all-day entries.
AGENDA_TIME = pattern(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d)?")
COMPASS = one_of(*_COMPASS)
MLB_START = updated_text

Fields = Mapping[str, Check]

WEATHER_CURRENT: Fields = {
    "temp": is_num, "fl": is_num, "humid": is_int, "windDir": COMPASS, "windSpeed": is_num,
    "windGust": is_num, "desc": is_str, "dn": one_of("d", "n"), "wid": int_in(200, 999),
    "nwid": int_in(60200, 61999),
}
WEATHER_DAY: Fields = {
    "dow": pattern(r"TOD|TOM|MON|TUE|WED|THU|FRI|SAT|SUN"), "dn": one_of("d", "n"),
    "wid": int_in(200, 999), "nwid": int_in(60200, 61999), "high": is_int, "low": is_int,
}
WEATHER_HOUR: Fields = {
    "hour": pattern(r"[0-2]\d:[0-5]\d"), "dn": one_of("d", "n"), "wid": int_in(200, 999),
    "nwid": int_in(60200, 61999), "temp": is_int, "feel": is_int,
}
AQI: Fields = {
    "date_time": is_str, "aqi_score": int_in(0, 500),
    "aqi_adjective": one_of("Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy",
                            "Very Unhealthy", "Hazardous"),
    "color": one_of("(0,228,0)", "(255,255,0)", "(255,126,0)", "(255,0,0)", "(143,63,151)",
                    "(126,0,35)"),
    "main_pollutant": one_of("Ozone", "Particulate Matter (2.5 microns)",
                             "Particulate Matter (10 microns)", "Carbon Monoxide",
                             "Sulfur Dioxide", "Nitrogen Dioxide"),
}
MOON: Fields = {
    "phase": int_in(0, 99), "illumstr": pattern(r"\d{1,3}\.\d%"),
    "sunevent": pattern(r"(Sunrise:  |Sunset:   )(\d\d:\d\d [AP]M|\d\d:\d\d|--:--)"),
    "moonevent": pattern(r"(Moonrise: |Moonset:  )(\d\d:\d\d [AP]M|\d\d:\d\d|--:--)"),
}
FAMILY_EVENT: Fields = {
    "name": is_str, "event": is_str, "month": int_in(1, 12), "day": int_in(1, 31),
    "year": int_in(1, 9999),
}
GITHUB: Fields = {
    "latest_commit": SHA7, "last_successful_commit": SHA7, "commit_message": is_str,
    "date": pattern(r"\d{4}-\d\d-\d\d (0\d|1[0-2]):\d\d:\d\d [AP]M [A-Z]{2,5}"),
}
MLB_ALWAYS: Fields = {
    "id": DIGITS, "startTime": MLB_START, "seasonType": is_str,
    "awayAbbreviation": pattern(r"[A-Z]{2,3}"), "homeAbbreviation": pattern(r"[A-Z]{2,3}"),
    "awayColor": HEX6, "homeColor": HEX6, "awayRecord": is_str, "homeRecord": is_str,
    "awayLogo": is_str, "homeLogo": is_str, "status": one_of("pre", "in", "post"),
}
MLB_PLAYED: Fields = {
    "awayScore": DIGITS, "homeScore": DIGITS, "awayHits": is_int, "homeHits": is_int,
    "awayErrors": is_int, "homeErrors": is_int,
}
MLB_LIVE: Fields = {"inning": int_in(1, 99), "inningState": is_str, "lastPlay": is_str}
MLB_BATTING: Fields = {
    "balls": int_in(0, 4), "strikes": int_in(0, 3), "outs": int_in(0, 3),
    "onFirst": is_bool, "onSecond": is_bool, "onThird": is_bool,
}
NFL_WEEK: Fields = {"seasontype": is_str, "weekname": is_str, "weekdates": is_str}
NFL_GAME: Fields = {
    "date": pattern(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (1[0-2]|[1-9]):[0-5]\d [AP]M"),
    "fulldate": pattern(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ"), "week": is_int,
    "state": one_of("pre", "in", "post"),
    "homeabrv": pattern(r"[A-Z]{2,3}"), "awayabrv": pattern(r"[A-Z]{2,3}"),
    "homeid": is_str, "awayid": is_str, "homecolor": HASH_HEX6, "awaycolor": HASH_HEX6,
    "homelogo": is_str, "awaylogo": is_str, "homerecord": is_str, "awayrecord": is_str,
    "homescore": DIGITS, "awayscore": DIGITS,
}
NFL_LIVE: Fields = {
    "period": one_of("1st Qtr", "2nd Qtr", "3rd Qtr", "4th Qtr", "OT", "Halftime"),
    "clock": is_str,
}
NFL_POSSESSION: Fields = {"position": is_str, "downandyardage": is_str, "lastplay": is_str}
TRACK: Fields = {
    "Time": lambda v: _strict("%m/%d/%Y %I:%M:%S %p", v), "Name": is_str,
    "Latitude": pattern(r"-?\d+(\.\d+)?"), "Longitude": pattern(r"-?\d+(\.\d+)?"),
    "Velocity": is_num, "Course": COMPASS, "Valid GPS Fix": one_of("True", "False"),
}
SERVER: Fields = {"message": is_str}


def _fields(data: Any, fields: Fields, where: str) -> list[str]:
    if not isinstance(data, dict):
        return [f"{where} is {type(data).__name__}, expected an object"]
    out = []
    for name, check in fields.items():
        if name not in data:
            out.append(f"{where}.{name} is missing")
        elif not check(data[name]):
            out.append(f"{where}.{name} = {data[name]!r:.60} has the wrong type or format")
    return out


def _list(data: Any, where: str) -> list[Any] | None:
    return data if isinstance(data, list) else None


def _weather(values: Any) -> list[str]:
    out = _fields(values, {"current": lambda v: True, "forecast": lambda v: True,
                           "hourly": lambda v: True}, "values")
    if out:
        return out
    out += _fields(values["current"], WEATHER_CURRENT, "values.current")
    for key, fields, least in (("forecast", WEATHER_DAY, 5), ("hourly", WEATHER_HOUR, 3)):
        items = _list(values[key], key)
        if items is None or len(items) < least:
            out.append(f"values.{key} should be a list of at least {least}")
            continue
        for i, item in enumerate(items):
            out += _fields(item, fields, f"values.{key}[{i}]")
    return out


def _calendar(values: Any) -> list[str]:
    if values == ["No events"]:
        return []
    if not isinstance(values, list) or not values:
        return ["values should be a non-empty list (or [\"No events\"])"]
    out = []
    for i, entry in enumerate(values):
        if not (isinstance(entry, list) and len(entry) == 3 and is_str(entry[0])
                and AGENDA_TIME(entry[1]) and AGENDA_TIME(entry[2])):
            out.append(f"values[{i}] = {entry!r:.60} is not [summary, RFC 3339, RFC 3339]")
    return out


def _events(values: Any) -> list[str]:
    if not isinstance(values, list) or not values:
        return ["values should be a non-empty list of family events"]
    out = []
    for i, entry in enumerate(values):
        out += _fields(entry, FAMILY_EVENT, f"values[{i}]")
    return out


def _mlb_game(game: Any, where: str) -> list[str]:
    out = _fields(game, MLB_ALWAYS, where)
    if not isinstance(game, dict):
        return out
    status = game.get("status")
    if status in ("in", "post"):
        out += _fields(game, MLB_PLAYED, where)
    if status == "in":
        out += _fields(game, MLB_LIVE, where)
        if game.get("inningState") in ("Top", "Bot"):
            out += _fields(game, MLB_BATTING, where)
    return out


def _mlb(values: Any) -> list[str]:
    if not isinstance(values, list):
        return ["values should be a list of games"]
    return [p for i, g in enumerate(values) for p in _mlb_game(g, f"values[{i}]")]


def _nfl(values: Any) -> list[str]:
    out = _fields(values, {**NFL_WEEK, "events": lambda v: isinstance(v, list) and bool(v)},
                  "values")
    if out:
        return out
    for i, game in enumerate(values["events"]):
        where = f"values.events[{i}]"
        found = _fields(game, NFL_GAME, where)
        if isinstance(game, dict) and game.get("state") == "in":
            found += _fields(game, NFL_LIVE, where)
            if "possession" in game:
                found += _fields(game, NFL_POSSESSION, where)
        out += found
    return out


_BY_TYPE: dict[str, Callable[[Any], list[str]]] = {
    names.WEATHER: _weather,
    names.AQI: lambda v: _fields(v, AQI, "values"),
    names.MOON: lambda v: _fields(v, MOON, "values"),
    names.CALENDAR: _calendar,
    names.EVENTS: _events,
    names.GITHUB: lambda v: _fields(v, GITHUB, "values"),
    names.MLB: _mlb,
    names.NFL: _nfl,
    names.TRACK: lambda v: _fields(v, TRACK, "values"),
}


def values_problems(kind: str, values: Any) -> list[str]:
    """Every way ``values`` of ``kind`` falls short of what the original clients read."""
    if names.is_server_type(kind):
        return _fields(values, SERVER, "values")
    check = _BY_TYPE.get(kind)
    return check(values) if check is not None else []


def problems(envelope: Mapping[str, Any]) -> list[str]:
    """Every way ``envelope`` falls short of what the original clients read."""
    kind = envelope.get("type")
    if kind == names.CONTROL:
        from glanceboard.payloads.control import ORIGINAL_COMMANDS

        command = envelope.get("command")
        return [] if command in ORIGINAL_COMMANDS else [f"command {command!r} is not one of "
                                                        f"{', '.join(ORIGINAL_COMMANDS)}"]
    out = []
    if not updated_text(envelope.get("updated")):
        out.append(f"updated = {envelope.get('updated')!r} is not 'MM/DD/YYYY h:mm A Z'")
    if not valid_text(envelope.get("valid")):
        out.append(f"valid = {envelope.get('valid')!r} is not 'MM/DD/YYYY h:mm:ss A Z'")
    if not isinstance(kind, str):
        return [*out, f"type {kind!r} is not a string"]
    return out + values_problems(kind, envelope.get("values"))
