"""What the MLB and NFL pages share: reading games, choosing which to show, and
the two team rows of a scoreboard.

A favourite team's game is shown when there is one (live first); otherwise the
page cycles through the day's games by the clock, so it stays a pure function
of time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PIL import Image

from matrix_client.pages.base import PageContext
from matrix_client.pages.common import (
    PLACEHOLDER,
    clock_label,
    items,
    local,
    mapping,
    text,
    when,
    whole,
)
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.layout import fill, line_text

CYCLE_SECONDS = 10.0
MAX_GAMES = 40


@dataclass(frozen=True)
class Side:
    team: str  # abbreviation, or a placeholder
    name: str
    score: int | None
    record: str


def side(value: Any) -> Side:
    data = mapping(value)
    team = text(data.get("team"), 8).upper() or PLACEHOLDER
    score = whole(data.get("score"))
    if score is not None and not 0 <= score <= 999:
        score = None
    return Side(team, text(data.get("name"), 60), score, text(data.get("record"), 12))


def games_of(values: Any) -> list[dict]:
    """The game dicts of an MLB list or an NFL ``{"events": [...]}``; junk entries dropped."""
    if isinstance(values, dict):
        values = values.get("events")
    return [dict(g) for g in items(values, MAX_GAMES) if isinstance(g, dict)]


def pick(
    games: Sequence[dict],
    favourites: Sequence[str],
    now: datetime,
    is_live: Any,
) -> tuple[int, list[int], float]:
    """(index to show, indices in the cycle, seconds until the choice can change)."""
    wanted = {f.upper() for f in favourites if isinstance(f, str)}
    chosen = [
        i
        for i, g in enumerate(games)
        if wanted & {side(g.get("away")).team, side(g.get("home")).team}
    ]
    live = [i for i in chosen if is_live(games[i])]
    pool = live or chosen or list(range(len(games)))
    if len(pool) == 1:
        return pool[0], pool, float("inf")
    t = now.timestamp()
    slot = int(t // CYCLE_SECONDS) % len(pool)
    return pool[slot], pool, max(0.001, CYCLE_SECONDS - t % CYCLE_SECONDS)


def start_label(game: dict, ctx: PageContext) -> str:
    start = when(game.get("start"))
    return clock_label(local(start, ctx), ctx) if start else PLACEHOLDER


def team_row(
    image: Image.Image,
    box: tuple[int, int, int, int],
    team: Side,
    name_font: Font,
    score_font: Font,
    score_width: int,
    dim: bool,
    marker: colors.Color | None = None,
) -> None:
    """One scoreboard row: abbreviation left, score right-aligned in ``score_width`` px."""
    x, y, w, h = box
    color = colors.SOFT if dim else colors.WHITE
    mark_w = 0
    if marker is not None:
        mark = max(2, name_font.ascent // 3)
        fill(image, (x, y + (name_font.ascent - mark) // 2 + 1, mark, mark), marker)
        mark_w = mark + 2
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
        (
            x + mark_w,
            y + (h - name_font.height) // 2 + 1,
            w - score_width - mark_w - 2,
            name_font.height,
        ),
        team.team,
        name_font,
        color,
    )


def counter(
    image: Image.Image, box: tuple[int, int, int, int], index: int, pool: list[int], fnt: Font
) -> None:
    """'2/3' when the page cycles through games."""
    if len(pool) > 1:
        label = f"{pool.index(index) + 1}/{len(pool)}"
        line_text(image, box, label, fnt, colors.DIM_TEXT, align="right")
