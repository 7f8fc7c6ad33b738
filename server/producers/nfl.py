"""The day's NFL games from ESPN's public scoreboard JSON (no key).

Optionally only one team's games (``--team KC``). While a game is being
played the period shrinks to ``--live-period`` (default 30 s); before
kickoff it wakes at kickoff at the latest.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from server.producers.base import require
from server.producers.place import add_zone_argument, local_zone
from server.producers.shape import Field, UpstreamShapeError
from server.producers.sports import GameProducer

STATES = ("pre", "in", "post")


def ordinal_period(period: int) -> str:
    if period >= 5:
        return "OT" if period == 5 else f"{period - 4}OT"
    return {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[period]


def _side(competitor: Field) -> dict[str, Any]:
    team = competitor.key("team")
    records = competitor.opt("records")
    record = ""
    if records is not None:
        for item in records.items():
            kind = item.opt("type")
            if kind is None or kind.str() == "total":
                record = item.key("summary").str()
                break
    return {
        "team": team.key("abbreviation").str(),
        "name": team.key("displayName").str(),
        "score": competitor.key("score").numeric_str(),
        "record": record,
    }


def detail_text(state: str, name: str, period: int, clock: str, short: str,
                start: datetime) -> str:
    """``Thu 4:30 PM``, ``3rd 4:12``, ``Halftime``, ``Final``, ``Final/OT``."""
    if state == "pre":
        hour = start.strftime("%I").lstrip("0") or "12"
        return f"{start:%a} {hour}:{start:%M %p}"
    if state == "post":
        return short
    if name == "STATUS_HALFTIME":
        return "Halftime"
    if name == "STATUS_END_PERIOD":
        return f"End {ordinal_period(period)}"
    return f"{ordinal_period(period)} {clock}"


def map_event(event: Field, zone: Any) -> dict[str, Any]:
    competition = event.key("competitions").index(0)
    status = event.key("status")
    kind = status.key("type")
    state = kind.key("state").str()
    if state not in STATES:
        raise UpstreamShapeError(kind.source, f"{kind.path}.state",
                                 f"is {state!r}, expected one of {', '.join(STATES)}")
    start = event.key("date").time(zone)
    sides: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    for competitor in competition.key("competitors").items():
        where = competitor.key("homeAway").str()
        sides[where] = _side(competitor)
        ids[competitor.key("id").str()] = sides[where]["team"]
    for where in ("away", "home"):
        if where not in sides:
            raise UpstreamShapeError(competition.source, f"{competition.path}.competitors",
                                     f"has no {where} team")
    period = status.key("period").int()
    clock = status.key("displayClock").str()
    possession = None
    situation = competition.opt("situation")
    if state == "in" and situation is not None and situation.opt("possession") is not None:
        possession = ids.get(situation.key("possession").str())
    venue = competition.opt("venue")
    broadcasts = competition.opt("broadcasts")
    names = [n for b in (broadcasts.items() if broadcasts is not None else [])
             if (listed := b.opt("names")) is not None for n in listed.list()]
    return {
        "id": event.key("id").str(),
        "start": start.isoformat(),
        "state": state,
        "detail": detail_text(state, kind.key("name").str(), period, clock,
                              kind.key("shortDetail").str(), start),
        "period": period if state != "pre" and period > 0 else None,
        "clock": clock if state == "in" else None,
        "away": sides["away"],
        "home": sides["home"],
        "possession": possession,
        "venue": venue.key("fullName").str() if venue is not None else "",
        "broadcast": ", ".join(str(n) for n in names),
    }


def map_scoreboard(answer: Any, zone: Any, team: str | None = None) -> dict[str, Any]:
    """ESPN scoreboard JSON -> the ``NFL`` values of docs/payloads.md (start order)."""
    raw = Field(answer, "NFL")
    games = [map_event(event, zone) for event in raw.key("events").items()]
    if team:
        wanted = team.upper()
        games = [g for g in games if wanted in (g["away"]["team"], g["home"]["team"])]
    games.sort(key=lambda g: g["start"])
    return {"events": games}


class NFL(GameProducer):
    name = "NFL"
    type = "NFL"
    default_period = 600
    base_url = "https://site.api.espn.com/apis/site/v2/sports/football/nfl/"
    description = "the day's NFL games from ESPN's public scoreboard; faster while live"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--team", default=None,
                            help="only this team's games, by abbreviation, e.g. KC "
                            "(env NFL_TEAM; default every game of the day)")
        cls.add_live_period_argument(parser)
        add_zone_argument(parser)

    def fetch(self) -> dict[str, Any]:
        zone = local_zone(self)
        now = self.now().astimezone(zone)
        self.fetched_at = now
        answer = self.get_json("scoreboard", params={"dates": now.strftime("%Y%m%d")})
        team = self.setting("team", None, env="NFL_TEAM")
        return map_scoreboard(answer, zone, str(team) if team else None)

    def games(self, values: Any) -> list[dict[str, Any]]:
        return (values or {}).get("events", [])

    def is_live(self, game: dict[str, Any]) -> bool:
        return game.get("state") == "in"

    def check_shape(self, kind: str, values: Any) -> None:
        events = require(values, "events", list, where=kind)
        for i in range(len(events)):
            require(values, f"events[{i}].id", str, where=kind)
            require(values, f"events[{i}].state", str, where=kind)
            require(values, f"events[{i}].away.score", int, where=kind)
            require(values, f"events[{i}].home.score", int, where=kind)


PRODUCER = NFL
