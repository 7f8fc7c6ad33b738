"""What the MLB and NFL pages share: reading games, choosing which to show, and
the parts of a scoreboard (the two team rows, the venue line, the game counter).

A favourite team's game is shown when there is one (live first); otherwise the
page cycles through the day's games by the clock, so it stays a pure function
of time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from glanceboard.payloads.teams import UnknownTeam, mlb_team, nfl_team
from matrix_client.pages.base import PageContext
from matrix_client.pages.common import (
    PLACEHOLDER,
    clock_label,
    local,
    no_data,
    notice,
    text,
)
from matrix_client.render import colors
from matrix_client.render.widgets import (
    Box,
    Column,
    Picture,
    Scene,
    Stack,
    Text,
    Widget,
)
from matrix_client.render.widgets.scoreline import ScoreLine
from matrix_client.render.widgets.tables import FontRole

CYCLE_SECONDS = 10.0
MAX_GAMES = 40

class Game(Protocol):
    """What the MLB and NFL views of a game share (glanceboard.payloads.mlb / .nfl)."""

    @property
    def away(self) -> Any: ...
    @property
    def home(self) -> Any: ...
    @property
    def start(self) -> datetime | None: ...
    @property
    def venue(self) -> str | None: ...
    @property
    def live(self) -> bool: ...
    @property
    def final(self) -> bool: ...


G = TypeVar("G", bound=Game)


@dataclass(frozen=True)
class Side:
    team: str  # abbreviation, or a placeholder
    name: str
    score: int | None
    record: str


def side(team: Any) -> Side:
    """The displayable parts of a team view (``abbreviation``, ``name``, ``score``, ``record``)."""
    abbreviation = text(team.abbreviation, 8).upper() or PLACEHOLDER
    return Side(abbreviation, text(team.name, 60), team.score, text(team.record, 12))


def _league(normalise: Callable[[str], str]) -> Callable[[str], str]:
    def same(team: str) -> str:
        try:
            return normalise(team)
        except UnknownTeam:  # not a team of the league: compared as written
            return team.strip().upper()
    return same


# A team in one spelling, the ESPN abbreviation (MLB's own "CWS" and its ids, "WAS"...).
same_mlb = _league(mlb_team)
same_nfl = _league(nfl_team)


def pick(games: Sequence[Game], favourites: Sequence[str], now: datetime,
         same: Callable[[str], str] = str.upper) -> tuple[int, list[int], float]:
    """(index to show, indices in the cycle, seconds until the choice can change).
    ``same`` spells a team one way (the league's ESPN abbreviation), so that a favourite
    written "CWS" finds a game of "CHW"."""
    wanted = {same(f) for f in favourites if isinstance(f, str)}
    chosen = [i for i, g in enumerate(games)
              if wanted & {same(side(g.away).team), same(side(g.home).team)}]
    live = [i for i in chosen if games[i].live]
    pool = live or chosen or list(range(len(games)))
    if len(pool) == 1:
        return pool[0], pool, float("inf")
    t = now.timestamp()
    slot = int(t // CYCLE_SECONDS) % len(pool)
    return pool[slot], pool, max(0.001, CYCLE_SECONDS - t % CYCLE_SECONDS)


@dataclass(frozen=True)
class Matchup(Generic[G]):
    """The game a scoreboard page shows, with what every layout of it needs."""

    game: G
    index: int  # of ``game`` in the day's games
    pool: list[int]  # the games the page cycles through
    ttl: float  # seconds until another game may be chosen
    away: Side
    home: Side
    dim_away: bool  # lost a finished game: drawn dimmer
    dim_home: bool


def matchup(ctx: PageContext, kind: str, games: Sequence[G] | None, favourites: Sequence[str],
            same: Callable[[str], str] = str.upper) -> Matchup[G] | Scene:
    """The game to draw now, or the page's scene when there is none (no data, no games)."""
    if games is None:
        return Scene(Picture(no_data(ctx, kind).image))
    games = games[:MAX_GAMES]
    if not games:
        return Scene(Picture(notice(ctx, kind, ["No games today", "No games"])))
    index, pool, ttl = pick(games, favourites, ctx.now, same)
    game = games[index]
    away, home = side(game.away), side(game.home)
    final = game.final and away.score is not None and home.score is not None
    return Matchup(
        game,
        index,
        pool,
        ttl,
        away,
        home,
        dim_away=final and away.score < home.score,  # type: ignore[operator]
        dim_home=final and home.score < away.score,  # type: ignore[operator]
    )


def start_label(game: Game, ctx: PageContext) -> str:
    start = game.start
    return clock_label(local(start, ctx), ctx) if start else PLACEHOLDER


@dataclass(frozen=True)
class TeamsLayout:
    """The two team rows of a scoreboard (a sub-table of the MLB and NFL layouts)."""

    width: int = field(metadata={"min": 0, "max": 256})  # 0: all the width there is
    row_height: int = field(metadata={"min": 1, "max": 64})
    name_font: FontRole = "small"
    score_font: FontRole = "small"
    score_width: int = field(default=17, metadata={"min": 0, "max": 64})
    top: int = field(default=0, metadata={"min": 0, "max": 16})  # above the first row
    row_gap: int = field(default=0, metadata={"min": 0, "max": 16})
    name_drop: int = field(default=1, metadata={"min": 0, "max": 16})  # row top to name
    score_drop: int = field(default=1, metadata={"min": 0, "max": 16})  # row top to score
    gap: int = field(default=2, metadata={"min": 0, "max": 16})  # between name and score
    tag_gap: int = field(default=2, metadata={"min": 0, "max": 16})  # between name and its mark


def team_row(
    team: Side, dim: bool, lay: TeamsLayout, tag: Widget | None = None, scores: bool = True
) -> Widget:
    """One scoreboard row: abbreviation left (then ``tag``, if any), score right-aligned
    (none without ``scores``)."""
    score = str(team.score) if team.score is not None else PLACEHOLDER
    return ScoreLine(
        team.team,
        score if scores else "",
        lay.row_height,
        lay.name_font,
        lay.score_font,
        lay.score_width,
        name_color=colors.SOFT if dim else colors.WHITE,
        score_color=colors.dimmed(colors.YELLOW, 0.6) if dim else colors.YELLOW,
        name_drop=lay.name_drop,
        score_drop=lay.score_drop,
        gap=lay.gap,
        tag=tag,
        tag_gap=lay.tag_gap,
    )


def team_rows(
    match: Matchup,
    lay: TeamsLayout,
    tags: Sequence[Widget | None] = (None, None),
    scores: bool = True,
) -> Widget:
    """The away team's row above the home team's, ``lay.width`` wide."""
    rows = [
        team_row(team, dim, lay, tag, scores)
        for team, dim, tag in zip(
            (match.away, match.home), (match.dim_away, match.dim_home), tags, strict=True
        )
    ]
    return Box(
        Column(rows, gap=lay.row_gap, cross_align="stretch"),
        width=lay.width or None,
        padding=(0, lay.top, 0, 0),
    )


def counter(match: Matchup, width: int) -> Widget | None:
    """'2/3' in the bottom right corner, ``width`` px for it, when the page cycles games."""
    if len(match.pool) <= 1:
        return None
    label = f"{match.pool.index(match.index) + 1}/{len(match.pool)}"
    return Box(
        Box(Text(label, "tiny", colors.DIM_TEXT, align="right"), width=width),
        halign="end",
        valign="end",
    )


def venue_line(game: Game, font: str, right: int = 0) -> Widget:
    """The venue in dim text, ``right`` px kept free after it (for the counter)."""
    return Box(Text(text(game.venue, 60), font, colors.DIM_TEXT), padding=(0, 0, right, 0))


def layers(*parts: Widget | None) -> Widget:
    """The parts over one another, each given the whole panel to place itself in."""
    return Stack([p for p in parts if p is not None], halign="stretch", valign="stretch")
