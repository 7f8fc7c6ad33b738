"""Weather: now, 8 days and 48 hours, in the original's fields with our extensions.

Original fields (what the original clients read) are written with their
original names, types and formats; extensions are added beside them. Read
from either ecosystem: ``high``/``hi``, ``feel``/``fl``, ``hour``/``time``.
``nwid`` is the original's owfont code point of a condition; our earlier
shape used it for the next hour's condition id (a value below 1000), which
is read as ``next_wid``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from glanceboard.payloads.read import (
    compact,
    first,
    integer,
    mapping,
    number,
    sequence,
    string,
    truncate,
)
from glanceboard.payloads.times import parse_any, parse_clock, parse_date

FORECAST_DAYS = 8
HOURS = 48
COMPASS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
           "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
GLYPH_BASE = 60000  # owfont: code point = 60000 + OWM id (day) or 61000 + id (night)
_NIGHT_GLYPHS = frozenset({800, 801, 802, 951})


UNITS = ("imperial", "metric")


def units_of(value: Any) -> str | None:
    """``imperial`` or ``metric``; anything else is None (not said: imperial)."""
    return value if value in UNITS else None


def compass(degrees: float) -> str:
    """Where the wind comes from, on 16 points; halves round up."""
    return COMPASS[int(degrees % 360 / 22.5 + 0.5) % 16]


def glyph(wid: int | None, night: bool | None) -> int | None:
    """The owfont code point of a condition, as the original ``nwid``."""
    if wid is None:
        return None
    return wid + (GLYPH_BASE + 1000 if night and wid in _NIGHT_GLYPHS else GLYPH_BASE)


def wid_of_glyph(code: int) -> int:
    return code - GLYPH_BASE - (1000 if code >= GLYPH_BASE + 1000 else 0)


def _condition(data: Any) -> tuple[int | None, bool | None, int | None]:
    """(wid, night, next-hour wid of our older shape) from a ``wid``/``dn``/``nwid`` trio."""
    wid = integer(data.get("wid"), 0, 999)
    dn = data.get("dn")
    night = True if dn == "n" else False if dn == "d" else None
    nwid = integer(data.get("nwid"), 0, 70000)
    older_next = None
    if nwid is not None and nwid >= GLYPH_BASE:
        wid = wid if wid is not None else wid_of_glyph(nwid)
        if night is None and nwid >= GLYPH_BASE + 1000:
            night = True
    elif nwid is not None and nwid < 1000:
        older_next = nwid
    return wid, night, older_next


def _dn(night: bool | None) -> str | None:
    return None if night is None else "n" if night else "d"


@dataclass(frozen=True, slots=True)
class Current:
    temp: float | None = None
    feels: float | None = None
    humid: int | None = None
    wind_dir: str | None = None
    wind_speed: float | None = None
    wind_gust: float | None = None
    desc: str | None = None
    night: bool | None = None
    wid: int | None = None
    next_wid: int | None = None  # extension: the next hour's condition

    @classmethod
    def parse(cls, value: Any) -> Current:
        data = mapping(value)
        wid, night, older_next = _condition(data)
        return cls(
            temp=number(data.get("temp")),
            feels=number(data.get("fl")),
            humid=integer(data.get("humid")),
            wind_dir=string(data.get("windDir"), 8),
            wind_speed=number(data.get("windSpeed")),
            wind_gust=number(data.get("windGust")),
            desc=string(data.get("desc"), 200),
            night=night,
            wid=wid,
            next_wid=first(integer(data.get("next_wid"), 0, 999), older_next),
        )

    def to_values(self) -> dict[str, Any]:
        return compact({
            "temp": self.temp,
            "fl": self.feels,
            "humid": self.humid,
            "windDir": self.wind_dir,
            "windSpeed": self.wind_speed,
            "windGust": self.wind_gust if self.wind_gust is not None else 0.0,
            "desc": self.desc,
            "dn": _dn(self.night),
            "wid": self.wid,
            "nwid": glyph(self.wid, self.night),
            "next_wid": self.next_wid,
        })


@dataclass(frozen=True, slots=True)
class Day:
    day: date | None = None
    label: str | None = None  # the original's TOD / TOM / TUE
    weekday: str | None = None  # ours: Thu
    high: float | None = None
    low: float | None = None
    wid: int | None = None
    desc: str | None = None
    pop: int | None = None
    humid: int | None = None
    wind_speed: float | None = None
    wind_dir: str | None = None
    sunrise: datetime | None = None
    sunset: datetime | None = None

    @classmethod
    def parse(cls, value: Any) -> Day:
        data = mapping(value)
        wid, _, _ = _condition(data)
        return cls(
            day=parse_date(data.get("date")),
            label=string(data.get("dow"), 12),
            weekday=string(data.get("day"), 40),
            high=number(first(data.get("hi"), data.get("high"))),
            low=number(first(data.get("lo"), data.get("low"))),
            wid=wid,
            desc=string(data.get("desc"), 200),
            pop=integer(data.get("pop")),
            humid=integer(data.get("humid")),
            wind_speed=number(data.get("windSpeed")),
            wind_dir=string(data.get("windDir"), 8),
            sunrise=parse_any(data.get("sunrise")),
            sunset=parse_any(data.get("sunset")),
        )

    def name(self) -> str | None:
        """A short day name for a page: ``Thu``, else the original's ``TUE`` as ``Tue``."""
        if self.weekday:
            return self.weekday
        if self.label in ("TOD", "TOM"):
            return {"TOD": "Today", "TOM": "Tmrw"}[self.label]
        return self.label.title() if self.label else None

    def to_values(self, today: date | None = None) -> dict[str, Any]:
        return compact({
            "dow": dow(self.day, today) if self.day else self.label,
            "dn": "d",
            "wid": self.wid,
            "nwid": glyph(self.wid, False),
            "high": truncate(self.high),
            "low": truncate(self.low),
            "date": self.day.isoformat() if self.day else None,
            "day": self.day.strftime("%a") if self.day else self.weekday,
            "hi": self.high,
            "lo": self.low,
            "desc": self.desc,
            "pop": self.pop,
            "humid": self.humid,
            "windSpeed": self.wind_speed,
            "windDir": self.wind_dir,
            "sunrise": self.sunrise.isoformat() if self.sunrise else None,
            "sunset": self.sunset.isoformat() if self.sunset else None,
        })


def dow(day: date, today: date | None) -> str:
    """The original's day label: ``TOD``, ``TOM``, then ``TUE``..."""
    if today is not None and day == today:
        return "TOD"
    if today is not None and day == today + timedelta(days=1):
        return "TOM"
    return day.strftime("%a").upper()


@dataclass(frozen=True, slots=True)
class Hour:
    time: datetime | None = None
    clock: tuple[int, int] | None = None  # (hour, minute) of the original's "14:00"
    temp: float | None = None
    feels: float | None = None
    humid: int | None = None
    pop: int | None = None
    wid: int | None = None
    night: bool | None = None
    desc: str | None = None
    wind_speed: float | None = None
    wind_dir: str | None = None

    @classmethod
    def parse(cls, value: Any) -> Hour:
        data = mapping(value)
        wid, night, _ = _condition(data)
        raw_time = data.get("time")
        moment = parse_any(raw_time) if raw_time is not None else None
        return cls(
            time=moment,
            clock=(moment.hour, moment.minute) if moment else parse_clock(data.get("hour")),
            temp=number(data.get("temp")),
            feels=number(first(data.get("fl"), data.get("feel"))),
            humid=integer(data.get("humid")),
            pop=integer(data.get("pop")),
            wid=wid,
            night=night,
            desc=string(data.get("desc"), 200),
            wind_speed=number(data.get("windSpeed")),
            wind_dir=string(data.get("windDir"), 8),
        )

    def to_values(self) -> dict[str, Any]:
        clock = (self.time.hour, self.time.minute) if self.time else self.clock
        return compact({
            "hour": f"{clock[0]:02d}:{clock[1]:02d}" if clock else None,
            "dn": _dn(self.night),
            "wid": self.wid,
            "nwid": glyph(self.wid, self.night),
            "temp": truncate(self.temp),
            "feel": truncate(self.feels),
            "time": self.time.isoformat() if self.time else None,
            "fl": self.feels,
            "humid": self.humid,
            "pop": self.pop,
            "desc": self.desc,
            "windSpeed": self.wind_speed,
            "windDir": self.wind_dir,
        })


def _dated(days: tuple[Day, ...], at: datetime | None) -> tuple[Day, ...]:
    """Date the original's days (``TOD``, ``TOM``, ``TUE``...): the list starts today,
    the day of ``at``."""
    if at is None or any(d.day is not None for d in days):
        return days
    return tuple(replace(d, day=at.date() + timedelta(days=i)) if d.label else d
                 for i, d in enumerate(days))


def _timed(hours: tuple[Hour, ...], at: datetime | None) -> tuple[Hour, ...]:
    """Date the hours that carry only a clock: the run of hours that starts at the hour
    of ``at`` (the original's list begins with the current hour)."""
    if at is None or all(h.time is not None or h.clock is None for h in hours):
        return hours
    previous = at.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    out = []
    for hour in hours:
        if hour.time is None and hour.clock is not None:
            moment = previous.replace(hour=hour.clock[0], minute=hour.clock[1])
            while moment <= previous:
                moment += timedelta(days=1)
            hour = replace(hour, time=moment)
        if hour.time is not None:
            previous = hour.time
        out.append(hour)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Weather:
    current: Current = Current()
    forecast: tuple[Day, ...] = ()
    hourly: tuple[Hour, ...] = ()
    readable: bool = True  # False when ``values`` was not an object at all
    # Extension: "imperial" (°F, mph) or "metric" (°C, km/h); None when the message does
    # not say, which means imperial (what the original ecosystem assumes).
    units: str | None = None

    @classmethod
    def parse(cls, values: Any, at: datetime | None = None) -> Weather:
        """``at``: when the message was made (its ``updated``), which dates the original's
        bare ``14:00`` hours."""
        data = mapping(values)
        return cls(
            current=Current.parse(data.get("current")),
            forecast=_dated(tuple(Day.parse(d) for d in sequence(data.get("forecast"), 31)
                                  if isinstance(d, dict) and d), at),
            hourly=_timed(tuple(Hour.parse(h) for h in sequence(data.get("hourly"), 240)
                                if isinstance(h, dict) and h), at),
            readable=isinstance(values, dict),
            units=units_of(data.get("units")),
        )

    @property
    def next_wid(self) -> int | None:
        """The condition expected next: the extension, else the second hour's."""
        if self.current.next_wid is not None:
            return self.current.next_wid
        return self.hourly[1].wid if len(self.hourly) > 1 else None

    @property
    def metric(self) -> bool:
        """Temperatures in °C and speeds in km/h (else °F and mph)."""
        return self.units == "metric"

    def to_values(self) -> dict[str, Any]:
        today = self.forecast[0].day if self.forecast else None
        return compact({
            "current": self.current.to_values(),
            "forecast": [d.to_values(today) for d in self.forecast],
            "hourly": [h.to_values() for h in self.hourly],
            "units": self.units,
        })
