"""Every MLB game of the day from the public MLB Stats API (schedule + linescore), in
the original's flat ESPN-style keys with our extensions (glanceboard.payloads.mlb).

While a game is live the period shrinks to ``--live-period`` (default 30 s);
before a game it wakes at first pitch at the latest.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from glanceboard.payloads.mlb import Game, Team, parse_games, write_games
from glanceboard.payloads.read import hex_color
from glanceboard.payloads.teams import (
    MLB_COLORS,
    MLB_TEAM_IDS,
    UnknownTeam,
    espn_mlb,
    mlb_logo,
    mlb_team,
)
from server.producers.base import ConfigError, option
from server.producers.place import add_zone_argument, local_zone
from server.producers.shape import Field, require_original_shape
from server.producers.sports import GameProducer

LIVE_STATE = "Live"
STATES = {"Preview": "pre", "Live": "in", "Final": "post"}
# MLB Stats gameType -> ESPN's season slug, as the original writes seasonType.
SEASON_TYPES = {"S": "preseason", "E": "preseason", "R": "regular-season", "A": "all-star"}
HALVES = {"Top": "Top", "Bottom": "Bot", "Middle": "Mid", "End": "End"}


def _side(game: Field, which: str, line: Field | None) -> Team:
    side = game.key("teams").key(which)
    team = side.key("team")
    record = side.opt("leagueRecord")
    score = side.opt("score")
    totals = line.opt("teams") if line is not None else None
    totals = totals.opt(which) if totals is not None else None
    abbreviation = espn_mlb(team.key("abbreviation").str())
    color = MLB_COLORS.get(abbreviation)

    def total(name: str) -> int | None:
        value = totals.opt(name) if totals is not None else None
        return value.int() if value is not None else None

    return Team(
        abbreviation=abbreviation,
        name=team.key("name").str(),
        score=score.int() if score is not None else 0,
        record=(f"{record.key('wins').int()}-{record.key('losses').int()}"
                if record is not None else ""),
        color=hex_color(color) if color else None,
        logo=mlb_logo(abbreviation),
        hits=total("hits"),
        errors=total("errors"),
    )


def map_game(game: Field, zone: Any) -> Game:
    status = game.key("status")
    abstract = status.key("abstractGameState").str()
    line = game.opt("linescore")
    inning = line.opt("currentInning") if line is not None else None
    kind = game.opt("gameType")
    fields: dict[str, Any] = {}
    if abstract == LIVE_STATE and line is not None:
        half = HALVES.get(line.key("inningState").str(), line.key("inningState").str())
        fields["half"] = half
        fields["outs"] = line.key("outs").int()
        for count in ("balls", "strikes"):
            value = line.opt(count)
            fields[count] = value.int() if value is not None else None
        offense = line.opt("offense")
        fields["bases"] = tuple(offense is not None and offense.opt(base) is not None
                                for base in ("first", "second", "third"))
    return Game(
        id=str(game.key("gamePk").int()),
        start=game.key("gameDate").time(zone),
        season_type=SEASON_TYPES.get(kind.str(), "post-season") if kind is not None else None,
        state=STATES.get(abstract, "pre"),
        detail=status.key("detailedState").str(),
        away=_side(game, "away", line),
        home=_side(game, "home", line),
        inning=inning.int() if inning is not None else None,
        venue=game.key("venue").key("name").str(),
        **fields,
    )


def map_schedule(answer: Any, zone: Any) -> list[dict[str, Any]]:
    """MLB Stats API schedule JSON -> the ``MLB`` values: every game, by start."""
    raw = Field(answer, "MLB")
    games = [map_game(game, zone) for day in raw.key("dates").items()
             for game in day.key("games").items()]
    games.sort(key=lambda g: g.start or datetime.max.replace(tzinfo=UTC))
    return write_games(games)


class MLB(GameProducer):
    name = "MLB"
    type = "MLB"
    default_period = 600
    base_url = "https://statsapi.mlb.com/api/v1/"
    description = "every game of the day from the MLB Stats API; faster while one is live"
    household = {"mlb_teams": "team", "timezone": "timezone"}  # the first favourite team

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--team", env="MLB_TEAM",
               help="only this team's games, by abbreviation (NYY, BOS; ESPN's or MLB's "
               "spelling) or MLB team id (147, 111) (default every game of the day, as the "
               "original clients expect: the page picks the favourite)")
        cls.add_live_period_argument(parser)
        add_zone_argument(parser)

    def fetch(self) -> list[dict[str, Any]]:
        team = self.team_id()
        zone = local_zone(self)
        now = self.now().astimezone(zone)
        self.fetched_at = now
        params: dict[str, Any] = {"sportId": 1, "date": now.date().isoformat(),
                                  "hydrate": "linescore,team"}
        if team is not None:
            params["teamId"] = team
        return map_schedule(self.get_json("schedule", params=params), zone)

    def team_id(self) -> int | None:
        """The MLB Stats id of the team setting (abbreviation or id), None for every game."""
        raw, origin = self.setting_origin("team", None, env="MLB_TEAM")
        if raw is None or str(raw).strip() == "":
            return None
        try:
            return MLB_TEAM_IDS[mlb_team(raw)]
        except UnknownTeam as exc:
            raise ConfigError(f"MLB: team ({origin}): {exc}") from None

    def games(self, values: Any) -> tuple[Game, ...]:
        return parse_games(values)

    def check_shape(self, kind: str, values: Any) -> None:
        require_original_shape(kind, values)


PRODUCER = MLB
