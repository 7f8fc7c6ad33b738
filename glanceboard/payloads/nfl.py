"""NFL: ESPN's current week, ``{seasontype, weekname, weekdates, events}``.

Each game has the original's flat keys (``homeabrv``, ``homescore`` as a
string, ``homecolor`` with ``#``...), with ``period``, ``clock`` and, when
ESPN knows who has the ball, ``possession``, ``position``, ``downandyardage``
and ``lastplay`` only while ``state`` is ``in``. Extensions: ``id``,
``start`` (ISO), ``detail``, ``venue``, ``broadcast`` and ``away``/``home``
objects (``team``, ``name``, ``score`` as an integer, ``record``). Our
earlier nested shape (``{"events": [...]}`` with integer ``period``) is read
too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard.payloads.read import (
    RGB,
    compact,
    first,
    hex_color,
    integer,
    mapping,
    sequence,
    string,
)
from glanceboard.payloads.teams import nfl_logo
from glanceboard.payloads.times import parse_any, stamp_espn, weekday_clock

MAX_GAMES = 40
# "Sun 1:00 PM" / "Sun 13:00": a kickoff written in the producer's zone.
_KICKOFF_WORDS = re.compile(r"[A-Z][a-z]{2} \d{1,2}:\d{2}(?: [AP]M)?")
STATES = ("pre", "in", "post")
_PERIOD_WORDS = {"1st Qtr": 1, "2nd Qtr": 2, "3rd Qtr": 3, "4th Qtr": 4, "OT": 5,
                 "Halftime": 2}


def period_text(period: int, clock: str | None) -> str:
    """The original's words: ``3rd Qtr``, ``OT``; ``Halftime`` at 0:00 of the 2nd."""
    if period == 2 and clock in ("0:00", "00:00"):
        return "Halftime"
    if period >= 5:
        return "OT"
    return {1: "1st Qtr", 2: "2nd Qtr", 3: "3rd Qtr", 4: "4th Qtr"}.get(period, "1st Qtr")


@dataclass(frozen=True, slots=True)
class Team:
    abbreviation: str | None = None
    id: str | None = None
    name: str | None = None
    score: int | None = None
    record: str | None = None
    color: RGB | None = None
    logo: str | None = None

    @classmethod
    def parse(cls, game: Any, side: str) -> Team:
        data = mapping(game)
        nested = mapping(data.get(side))
        ident = data.get(f"{side}id")
        return cls(
            abbreviation=string(first(data.get(f"{side}abrv"), nested.get("team")), 12),
            id=ident if isinstance(ident, str) else None,
            name=string(nested.get("name"), 100),
            score=integer(first(data.get(f"{side}score"), nested.get("score")), 0, 999),
            record=string(first(data.get(f"{side}record"), nested.get("record")), 20),
            color=hex_color(data.get(f"{side}color")),
            logo=string(data.get(f"{side}logo"), 300),
        )


@dataclass(frozen=True, slots=True)
class Game:
    id: str | None = None
    start: datetime | None = None
    date_text: str | None = None  # the original's "Sun 1:00 PM"
    week: int | None = None
    state: str | None = None
    detail: str | None = None
    period: int | None = None  # 1-4, 5+ overtime
    period_text: str | None = None  # as sent: "3rd Qtr", "Halftime"
    clock: str | None = None
    away: Team = Team()
    home: Team = Team()
    possession: str | None = None
    position: str | None = None
    down_distance: str | None = None
    last_play: str | None = None
    venue: str | None = None
    broadcast: str | None = None

    @property
    def live(self) -> bool:
        return self.state == "in"

    @property
    def final(self) -> bool:
        return self.state == "post"

    @property
    def halftime(self) -> bool:
        return self.period_text == "Halftime" or "half" in (self.detail or "").lower()

    @property
    def kickoff_text(self) -> bool:
        """The status is only the kickoff time as the producer's zone reads it
        (``Sun 1:00 PM``), which ``start`` says better: a display writes its own."""
        if self.state != "pre" or self.start is None:
            return False
        shown = self.detail if self.detail is not None else self.date_text
        return shown is not None and _KICKOFF_WORDS.fullmatch(shown) is not None

    def status_text(self) -> str:
        """Our display-ready status (``detail``); for the original's games, one made from
        their fields: down and distance while live, ``Final``, the kickoff text."""
        if self.detail is not None:
            return self.detail
        if self.live:
            return " ".join(p for p in (self.down_distance, self.position) if p)
        if self.final:
            return "Final"
        return self.date_text or ""

    @classmethod
    def parse(cls, value: Any) -> Game:
        data = mapping(value)
        raw_period = data.get("period")
        words = string(raw_period, 20)
        state = string(data.get("state"), 10)
        ident = data.get("id")
        return cls(
            id=ident if isinstance(ident, str) else None,
            start=parse_any(first(data.get("start"), data.get("fulldate"))),
            date_text=string(data.get("date"), 40),
            week=integer(data.get("week"), 0, 99),
            state=state if state in STATES else None,
            detail=string(data.get("detail"), 200),
            period=_PERIOD_WORDS.get(words) if words is not None
            else integer(raw_period, 1, 19),
            period_text=words,
            clock=string(data.get("clock"), 8),
            away=Team.parse(data, "away"),
            home=Team.parse(data, "home"),
            possession=string(data.get("possession"), 12),
            position=string(data.get("position"), 40),
            down_distance=string(data.get("downandyardage"), 40),
            last_play=string(data.get("lastplay"), 200),
            venue=string(data.get("venue"), 100),
            broadcast=string(data.get("broadcast"), 60),
        )

    def to_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.date_text or (weekday_clock(self.start) if self.start else ""),
            "fulldate": stamp_espn(self.start) if self.start else "",
            "week": self.week or 0,
            "state": self.state or "pre",
        }
        for side, team in (("home", self.home), ("away", self.away)):
            abbreviation = team.abbreviation or ""
            out[f"{side}abrv"] = abbreviation
            out[f"{side}id"] = team.id or ""
            out[f"{side}color"] = ("#{:02x}{:02x}{:02x}".format(*team.color) if team.color
                                   else "#FFFFFF")
            out[f"{side}logo"] = team.logo or (nfl_logo(abbreviation) if abbreviation else "")
            out[f"{side}record"] = team.record or ""
            out[f"{side}score"] = str(team.score or 0)
        if self.state == "in":
            out["period"] = self.period_text or period_text(self.period or 1, self.clock)
            out["clock"] = self.clock or "0:00"
            if self.possession:
                out["possession"] = self.possession
                out["position"] = self.position or ""
                out["downandyardage"] = self.down_distance or ""
                out["lastplay"] = self.last_play or ""
        out.update(compact({
            "id": self.id,
            "start": self.start.isoformat() if self.start else None,
            "detail": self.detail,
            "venue": self.venue,
            "broadcast": self.broadcast,
        }))
        for side, team in (("away", self.away), ("home", self.home)):
            out[side] = compact({"team": team.abbreviation, "name": team.name,
                                 "score": team.score or 0, "record": team.record})
        return out


@dataclass(frozen=True, slots=True)
class Week:
    season_type: str | None = None
    name: str | None = None  # "Week 2"
    dates: str | None = None  # "Sep 10-16"
    games: tuple[Game, ...] = ()
    readable: bool = True

    @classmethod
    def parse(cls, values: Any) -> Week:
        data = mapping(values)
        return cls(
            season_type=string(data.get("seasontype"), 40),
            name=string(data.get("weekname"), 40),
            dates=string(data.get("weekdates"), 40),
            games=tuple(Game.parse(g) for g in sequence(data.get("events"), MAX_GAMES)
                        if isinstance(g, dict)),
            readable=isinstance(values, dict),
        )

    def to_values(self) -> dict[str, Any]:
        return {
            "seasontype": self.season_type or "",
            "weekname": self.name or "",
            "weekdates": self.dates or "",
            "events": [g.to_values() for g in self.games],
        }
