"""MLB: every game of the day, in the original's flat ESPN-style keys.

Which keys a game has depends on ``status`` (``pre``/``in``/``post``):
scores (as strings), hits and errors once it has begun; inning and the
half-inning word (``Top``/``Bot``/``Mid``/``End``) while live; the count and
the runners only in a ``Top``/``Bot`` half. Extensions: ``away``/``home``
objects (``team``, ``name``, ``score`` as an integer, ``record``), ``detail``
(the source's words: ``Warmup``, ``Postponed``...) and ``venue``. Our
earlier nested shape is read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard.payloads.read import (
    RGB,
    compact,
    first,
    flag,
    hex_color,
    integer,
    mapping,
    sequence,
    string,
)
from glanceboard.payloads.teams import MLB_COLORS, mlb_logo
from glanceboard.payloads.times import parse_any, stamp_minutes

MAX_GAMES = 40
STATES = ("pre", "in", "post")
HALVES = ("Top", "Bot", "Mid", "End")
# Our earlier words -> the original's state.
_STATE_OF_WORDS = {
    "in progress": "in", "live": "in", "manager challenge": "in",
    "final": "post", "game over": "post", "completed early": "post",
    "scheduled": "pre", "pre-game": "pre", "warmup": "pre", "preview": "pre",
    "postponed": "pre", "delayed": "pre", "delayed start": "pre", "suspended": "pre",
}
_HALF_OF_WORDS = {"top": "Top", "bottom": "Bot", "bot": "Bot", "middle": "Mid", "mid": "Mid",
                  "end": "End"}


@dataclass(frozen=True, slots=True)
class Team:
    abbreviation: str | None = None
    name: str | None = None
    score: int | None = None
    record: str | None = None
    color: RGB | None = None
    logo: str | None = None
    hits: int | None = None
    errors: int | None = None

    @classmethod
    def parse(cls, game: Any, side: str) -> Team:
        data = mapping(game)
        nested = mapping(data.get(side))
        return cls(
            abbreviation=string(first(data.get(f"{side}Abbreviation"), nested.get("team")), 12),
            name=string(first(data.get(f"{side}Name"), nested.get("name")), 100),
            score=integer(first(data.get(f"{side}Score"), nested.get("score")), 0, 999),
            record=string(first(data.get(f"{side}Record"), nested.get("record")), 20),
            color=hex_color(data.get(f"{side}Color")),
            logo=string(data.get(f"{side}Logo"), 300),
            hits=integer(data.get(f"{side}Hits"), 0, 999),
            errors=integer(data.get(f"{side}Errors"), 0, 999),
        )


@dataclass(frozen=True, slots=True)
class Game:
    id: str | None = None
    start: datetime | None = None
    season_type: str | None = None
    state: str | None = None  # pre, in, post
    detail: str | None = None  # the source's own words
    away: Team = Team()
    home: Team = Team()
    inning: int | None = None
    half: str | None = None  # Top, Bot, Mid, End (or the source's text during delays)
    balls: int | None = None
    strikes: int | None = None
    outs: int | None = None
    bases: tuple[bool | None, bool | None, bool | None] = (None, None, None)
    last_play: str | None = None
    venue: str | None = None

    @property
    def live(self) -> bool:
        return self.state == "in"

    @property
    def final(self) -> bool:
        return self.state == "post"

    @property
    def batting(self) -> bool:
        """A half-inning is being played (not the break between halves)."""
        return self.half in ("Top", "Bot")

    @classmethod
    def parse(cls, value: Any) -> Game:
        data = mapping(value)
        status = string(data.get("status"), 40)
        words = status if status not in STATES else None
        state = status if status in STATES else None
        if state is None:
            coarse = string(data.get("state"), 20)
            state = {"Live": "in", "Final": "post", "Preview": "pre"}.get(coarse or "") \
                or _STATE_OF_WORDS.get((words or "").lower())
        half_raw = string(first(data.get("inningState"), data.get("half"),
                                data.get("inning_state")), 20)
        half = _HALF_OF_WORDS.get((half_raw or "").lower(), half_raw)
        if data.get("half") is None and data.get("inning_state") is not None:
            half = _HALF_OF_WORDS.get(str(data.get("inning_state")).lower(), half)
        bases_list = sequence(data.get("bases"), 3)
        bases = tuple(
            flag(first(data.get(key), bases_list[i] if i < len(bases_list) else None))
            for i, key in enumerate(("onFirst", "onSecond", "onThird"))
        )
        ident = data.get("id")
        return cls(
            id=str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool)
            else None,
            start=parse_any(first(data.get("startTime"), data.get("start"))),
            season_type=string(data.get("seasonType"), 40),
            state=state,
            detail=string(first(data.get("detail"), words), 80),
            away=Team.parse(data, "away"),
            home=Team.parse(data, "home"),
            inning=integer(data.get("inning"), 1, 99),
            half=half,
            balls=integer(data.get("balls"), 0, 4),
            strikes=integer(data.get("strikes"), 0, 3),
            outs=integer(data.get("outs"), 0, 3),
            bases=bases,  # type: ignore[arg-type]
            last_play=string(data.get("lastPlay"), 500),
            venue=string(data.get("venue"), 100),
        )

    def to_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id or "",
            "startTime": stamp_minutes(self.start) if self.start else "",
            "seasonType": self.season_type or "regular-season",
        }
        for side, team in (("away", self.away), ("home", self.home)):
            abbreviation = team.abbreviation or ""
            color = team.color
            out[f"{side}Abbreviation"] = abbreviation
            out[f"{side}Color"] = ("{:02x}{:02x}{:02x}".format(*color) if color
                                   else MLB_COLORS.get(abbreviation, "000000"))
            out[f"{side}Record"] = team.record or ""
            out[f"{side}Logo"] = team.logo or (mlb_logo(abbreviation) if abbreviation else "")
        out["status"] = self.state or "pre"
        if self.state in ("in", "post"):
            for side, team in (("away", self.away), ("home", self.home)):
                out[f"{side}Score"] = str(team.score or 0)
            for side, team in (("away", self.away), ("home", self.home)):
                out[f"{side}Hits"] = team.hits or 0
            for side, team in (("away", self.away), ("home", self.home)):
                out[f"{side}Errors"] = team.errors or 0
        if self.state == "in":
            out["inning"] = self.inning or 1
            out["inningState"] = self.half or "Top"
            if self.batting:
                out["balls"] = self.balls or 0
                out["strikes"] = self.strikes or 0
                out["outs"] = self.outs or 0
                for key, on in zip(("onFirst", "onSecond", "onThird"), self.bases, strict=True):
                    out[key] = bool(on)
            out["lastPlay"] = self.last_play or ""
        for side, team in (("away", self.away), ("home", self.home)):
            out[side] = compact({"team": team.abbreviation, "name": team.name,
                                 "score": team.score or 0, "record": team.record})
        out.update(compact({"detail": self.detail, "venue": self.venue}))
        return out


def parse_games(values: Any) -> tuple[Game, ...]:
    """The day's games; entries that are not objects are dropped."""
    return tuple(Game.parse(g) for g in sequence(values, MAX_GAMES) if isinstance(g, dict))


def write_games(games: tuple[Game, ...] | list[Game]) -> list[dict[str, Any]]:
    return [g.to_values() for g in games]
