"""The NFL week from ESPN's public scoreboard JSON (no key), in the original's
flat keys with the week fields, plus our extensions (glanceboard.payloads.nfl).

Optionally only one team's games (``--team KC``). While a game is being
played the period shrinks to ``--live-period`` (default 30 s); before
kickoff it wakes at kickoff at the latest.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from glanceboard.payloads.nfl import Game, Team, Week
from glanceboard.payloads.read import hex_color
from glanceboard.payloads.teams import UnknownTeam, nfl_team
from glanceboard.payloads.times import weekday_clock
from server.producers.base import ConfigError, option, require
from server.producers.place import add_zone_argument, local_zone
from server.producers.shape import Field, UpstreamShapeError, require_original_shape
from server.producers.sports import GameProducer

STATES = ("pre", "in", "post")


def ordinal_period(period: int) -> str:
    if period >= 5:
        return "OT" if period == 5 else f"{period - 4}OT"
    return {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}[period]


def _side(competitor: Field) -> Team:
    team = competitor.key("team")
    records = competitor.opt("records")
    record = ""
    if records is not None:
        for item in records.items():
            kind = item.opt("type")
            if kind is None or kind.str() == "total":
                record = item.key("summary").str()
                break
    color, logo = team.opt("color"), team.opt("logo")
    return Team(
        abbreviation=team.key("abbreviation").str(),
        id=competitor.key("id").str(),
        name=team.key("displayName").str(),
        score=competitor.key("score").numeric_str(),
        record=record,
        color=hex_color(color.str()) if color is not None else None,
        logo=logo.str() if logo is not None else None,
    )


def detail_text(state: str, name: str, period: int, clock: str, short: str,
                start: datetime) -> str:
    """``Thu 4:30 PM``, ``3rd 4:12``, ``Halftime``, ``Final``, ``Final/OT``."""
    if state == "pre":
        return weekday_clock(start)
    if state == "post":
        return short
    if name == "STATUS_HALFTIME":
        return "Halftime"
    if name == "STATUS_END_PERIOD":
        return f"End {ordinal_period(period)}"
    return f"{ordinal_period(period)} {clock}"


def map_event(event: Field, zone: Any, week: int | None) -> Game:
    competition = event.key("competitions").index(0)
    status = event.key("status")
    kind = status.key("type")
    state = kind.key("state").str()
    if state not in STATES:
        raise UpstreamShapeError(kind.source, f"{kind.path}.state",
                                 f"is {state!r}, expected one of {', '.join(STATES)}")
    start = event.key("date").time(zone)
    sides: dict[str, Team] = {}
    for competitor in competition.key("competitors").items():
        sides[competitor.key("homeAway").str()] = _side(competitor)
    for where in ("away", "home"):
        if where not in sides:
            raise UpstreamShapeError(competition.source, f"{competition.path}.competitors",
                                     f"has no {where} team")
    ids = {team.id: team.abbreviation for team in sides.values()}
    period = status.key("period").int()
    clock = status.key("displayClock").str()
    drive: dict[str, Any] = {}
    situation = competition.opt("situation")
    if state == "in" and situation is not None and situation.opt("possession") is not None:
        # As the original: the four drive fields only when ESPN says who has the ball.
        last = situation.opt("lastPlay")
        last_type = last.opt("type") if last is not None else None
        text = last_type.opt("text") if last_type is not None else None
        position = situation.opt("possessionText")
        down = situation.opt("shortDownDistanceText")
        drive = {
            "possession": ids.get(situation.key("possession").str()),
            "position": position.str() if position is not None else "",
            "down_distance": down.str() if down is not None else "",
            "last_play": text.str() if text is not None else "",
        }
    event_week = event.opt("week")
    number = event_week.opt("number") if event_week is not None else None
    venue = competition.opt("venue")
    broadcasts = competition.opt("broadcasts")
    names = [n for b in (broadcasts.items() if broadcasts is not None else [])
             if (listed := b.opt("names")) is not None for n in listed.list()]
    return Game(
        id=event.key("id").str(),
        start=start,
        week=number.int() if number is not None else week,
        state=state,
        detail=detail_text(state, kind.key("name").str(), period, clock,
                           kind.key("shortDetail").str(), start),
        period=period if state != "pre" and period > 0 else None,
        clock=clock if state == "in" else None,
        away=sides["away"],
        home=sides["home"],
        venue=venue.key("fullName").str() if venue is not None else "",
        broadcast=", ".join(str(n) for n in names),
        **drive,
    )


def week_dates(games: list[Game]) -> str:
    """``Sep 10-16`` (or ``Nov 30-Dec 6``): the first and last game day of the week."""
    days = sorted(g.start.date() for g in games if g.start is not None)
    if not days:
        return ""
    first, last = days[0], days[-1]
    if first.month == last.month:
        return f"{first:%b} {first.day}-{last.day}" if first != last else f"{first:%b} {first.day}"
    return f"{first:%b} {first.day}-{last:%b} {last.day}"


def map_scoreboard(answer: Any, zone: Any, team: str | None = None) -> dict[str, Any]:
    """ESPN scoreboard JSON -> the ``NFL`` values: the week and its games (start order)."""
    raw = Field(answer, "NFL")
    week = raw.opt("week")
    number = week.opt("number") if week is not None else None
    week_number = number.int() if number is not None else None
    games = [map_event(event, zone, week_number) for event in raw.key("events").items()]
    if team:
        wanted = team.upper()
        games = [g for g in games if wanted in (g.away.abbreviation, g.home.abbreviation)]
    games.sort(key=lambda g: g.start or datetime.max.replace(tzinfo=UTC))
    season_type = ""
    leagues = raw.opt("leagues")
    if leagues is not None and leagues.list():
        season = leagues.index(0).opt("season")
        kind = season.opt("type") if season is not None else None
        label = kind.opt("name") if kind is not None else None
        season_type = label.str() if label is not None else ""
    return Week(
        season_type=season_type,
        name=f"Week {week_number}" if week_number is not None else "",
        dates=week_dates(games),
        games=tuple(games),
    ).to_values()


class NFL(GameProducer):
    name = "NFL"
    type = "NFL"
    default_period = 600
    base_url = "https://site.api.espn.com/apis/site/v2/sports/football/nfl/"
    description = "the NFL week's games from ESPN's public scoreboard; faster while live"
    household = {"nfl_teams": "team", "timezone": "timezone"}  # the first favourite team

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--team", env="NFL_TEAM",
               help="only this team's games, by ESPN abbreviation, e.g. KC (WAS, JAC and a "
               "few other spellings are read as ESPN's) (default every game of the week, as "
               "the original clients expect: the page picks the favourite)")
        cls.add_live_period_argument(parser)
        add_zone_argument(parser)

    def fetch(self) -> dict[str, Any]:
        zone = local_zone(self)
        now = self.now().astimezone(zone)
        self.fetched_at = now
        team = self.team()  # a bad setting is said before asking ESPN
        answer = self.get_json("scoreboard")  # no date: ESPN's current week
        return map_scoreboard(answer, zone, team)

    def team(self) -> str | None:
        """The team setting as ESPN's abbreviation, None for every game."""
        raw, origin = self.setting_origin("team", None, env="NFL_TEAM")
        if raw is None or str(raw).strip() == "":
            return None
        try:
            return nfl_team(str(raw))
        except UnknownTeam as exc:
            raise ConfigError(f"NFL: team ({origin}): {exc}") from None

    def games(self, values: Any) -> tuple[Game, ...]:
        return Week.parse(values).games

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "events", list, where=kind)
        if values["events"]:  # an empty week (the off-season) has nothing to check
            require_original_shape(kind, values)


PRODUCER = NFL
