"""Today's games of one MLB team from the public MLB Stats API (schedule + linescore).

While a game is live the period shrinks to ``--live-period`` (default 30 s);
before a game it wakes at first pitch at the latest.
"""

from __future__ import annotations

import argparse
from typing import Any

from server.producers.base import require
from server.producers.place import add_zone_argument, local_zone
from server.producers.shape import Field
from server.producers.sports import GameProducer

DEFAULT_TEAM = 147  # New York Yankees
LIVE_STATE = "Live"


def _side(game: Field, which: str) -> dict[str, Any]:
    side = game.key("teams").key(which)
    team = side.key("team")
    record = side.opt("leagueRecord")
    score = side.opt("score")
    return {
        "team": team.key("abbreviation").str(),
        "name": team.key("name").str(),
        "score": score.int() if score is not None else 0,
        "record": (f"{record.key('wins').int()}-{record.key('losses').int()}"
                   if record is not None else ""),
    }


def map_game(game: Field, zone: Any) -> dict[str, Any]:
    status = game.key("status")
    state = status.key("abstractGameState").str()
    line = game.opt("linescore")
    inning = line.opt("currentInning") if line is not None else None
    entry: dict[str, Any] = {
        "id": game.key("gamePk").int(),
        "start": game.key("gameDate").time(zone).isoformat(),
        "status": status.key("detailedState").str(),
        "state": state,
        "away": _side(game, "away"),
        "home": _side(game, "home"),
        "inning": inning.int() if inning is not None else None,
        "half": None,
        "inning_state": None,
        "outs": None,
        "balls": None,
        "strikes": None,
        "bases": None,
        "venue": game.key("venue").key("name").str(),
    }
    if state == LIVE_STATE and line is not None:
        # Middle/End are the breaks between halves: no half is being played.
        inning_state = line.key("inningState").str()
        entry["inning_state"] = inning_state
        entry["half"] = {"Top": "top", "Bottom": "bottom"}.get(inning_state)
        entry["outs"] = line.key("outs").int()
        for count in ("balls", "strikes"):
            value = line.opt(count)
            entry[count] = value.int() if value is not None else None
        offense = line.opt("offense")
        entry["bases"] = [offense is not None and offense.opt(base) is not None
                          for base in ("first", "second", "third")]
    return entry


def map_schedule(answer: Any, zone: Any) -> list[dict[str, Any]]:
    """MLB Stats API schedule JSON -> the ``MLB`` values of docs/payloads.md (start order)."""
    raw = Field(answer, "MLB")
    games = [map_game(game, zone) for day in raw.key("dates").items()
             for game in day.key("games").items()]
    return sorted(games, key=lambda g: g["start"])


class MLB(GameProducer):
    name = "MLB"
    type = "MLB"
    default_period = 600
    base_url = "https://statsapi.mlb.com/api/v1/"
    description = "today's games of one team from the MLB Stats API; faster while live"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--team", type=int, default=None,
                            help=f"MLB team id, e.g. 147 Yankees, 111 Red Sox, 121 Mets "
                            f"(env MLB_TEAM; default {DEFAULT_TEAM})")
        cls.add_live_period_argument(parser)
        add_zone_argument(parser)

    def fetch(self) -> list[dict[str, Any]]:
        team = self.setting("team", DEFAULT_TEAM, env="MLB_TEAM")
        zone = local_zone(self)
        now = self.now().astimezone(zone)
        self.fetched_at = now
        answer = self.get_json("schedule", params={
            "sportId": 1,
            "teamId": team,
            "date": now.date().isoformat(),
            "hydrate": "linescore,team",
        })
        return map_schedule(answer, zone)

    def games(self, values: Any) -> list[dict[str, Any]]:
        return values or []

    def is_live(self, game: dict[str, Any]) -> bool:
        return game.get("state") == LIVE_STATE

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "", list, where=kind)
        for i in range(len(values)):
            require(values, f"[{i}].id", int, where=kind)
            require(values, f"[{i}].away.score", int, where=kind)
            require(values, f"[{i}].home.score", int, where=kind)


PRODUCER = MLB
