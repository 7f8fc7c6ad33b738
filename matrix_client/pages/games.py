"""What the MLB and NFL pages share: reading games, choosing which to show, and
the parts of a scoreboard (the two team rows, the venue line, the game counter).

A favourite team's game is shown when there is one (live first); otherwise the
page cycles through the day's games by the clock, so it stays a pure function
of time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from PIL import Image

from matrix_client.pages.base import PageContext, PageFrame
from matrix_client.pages.common import (
    PLACEHOLDER,
    clock_label,
    finish,
    local,
    no_data,
    notice,
    text,
)
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.layout import Box, line_text

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


def pick(games: Sequence[Game], favourites: Sequence[str], now: datetime
         ) -> tuple[int, list[int], float]:
    """(index to show, indices in the cycle, seconds until the choice can change)."""
    wanted = {f.upper() for f in favourites if isinstance(f, str)}
    chosen = [i for i, g in enumerate(games) if wanted & {side(g.away).team, side(g.home).team}]
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


def matchup(ctx: PageContext, kind: str, games: Sequence[G] | None, favourites: Sequence[str]
            ) -> Matchup[G] | PageFrame:
    """The game to draw now, or the finished picture when there is none (no data, no games)."""
    if games is None:
        return no_data(ctx, kind)
    games = games[:MAX_GAMES]
    if not games:
        image = notice(ctx, kind, ["No games today", "No games"])
        return finish(ctx, image, (kind,), math.inf)
    index, pool, ttl = pick(games, favourites, ctx.now)
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


def team_row(
    image: Image.Image,
    box: Box,
    team: Side,
    name_font: Font,
    score_font: Font,
    score_width: int,
    dim: bool,
) -> None:
    """One scoreboard row: abbreviation left, score right-aligned in ``score_width`` px."""
    x, y, w, h = box
    score = str(team.score) if team.score is not None else PLACEHOLDER
    line_text(
        image,
        (x + w - score_width, y + (h - score_font.height) // 2 + 1, score_width, score_font.height),
        score,
        score_font,
        colors.dimmed(colors.YELLOW, 0.6) if dim else colors.YELLOW,
        align="right",
    )
    line_text(
        image,
        (x, y + (h - name_font.height) // 2 + 1, w - score_width - 2, name_font.height),
        team.team,
        name_font,
        colors.SOFT if dim else colors.WHITE,
    )


def counter(image: Image.Image, match: Matchup, fnt: Font, width: int = 14) -> None:
    """'2/3' in the bottom right corner when the page cycles through games."""
    if len(match.pool) > 1:
        label = f"{match.pool.index(match.index) + 1}/{len(match.pool)}"
        box = (image.width - width, image.height - fnt.height, width, fnt.height)
        line_text(image, box, label, fnt, colors.DIM_TEXT, align="right")


def team_rows(
    image: Image.Image,
    match: Matchup,
    tops: tuple[int, int],
    width: int,
    height: int,
    name_font: Font,
    score_font: Font,
    score_width: int,
) -> None:
    """The away team's row at ``tops[0]``, the home team's at ``tops[1]``, from x = 0."""
    for top, team, dim in zip(
        tops, (match.away, match.home), (match.dim_away, match.dim_home), strict=True
    ):
        team_row(image, (0, top, width, height), team, name_font, score_font, score_width, dim)


def venue_line(image: Image.Image, box: Box, game: Game, fnt: Font) -> None:
    line_text(image, box, text(game.venue, 60), fnt, colors.DIM_TEXT)
