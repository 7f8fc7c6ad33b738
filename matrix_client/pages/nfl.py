"""NFL: the favourite team's game (``PageSettings.favorite_nfl``) or each of the
day's games in turn: teams and score, quarter and clock, possession, status.

Reads ``NFL`` (``{"events": [...]}``, docs/payloads.md): ``state`` is
``pre``/``in``/``post``; ``detail`` is the display-ready status, used when
the quarter and clock are missing.
"""

from __future__ import annotations

import math

from PIL import Image

from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    canvas,
    finish,
    first_fit,
    font,
    layout,
    no_data,
    notice,
    text,
    whole,
    with_aware_times,
)
from matrix_client.pages.games import counter, games_of, pick, side, start_label, team_row
from matrix_client.render import colors
from matrix_client.render.icons import paste, sprite
from matrix_client.render.layout import line_text

KINDS = ("NFL",)
BALL = (170, 90, 40)
_FOOTBALL = sprite((".###.", "#+#+#", ".###."), {"#": BALL, "+": (240, 240, 240)})


def is_live(game: dict) -> bool:
    return text(game.get("state"), 10) == "in"


def quarter_label(game: dict) -> str:
    """'Q3', 'OT', '2OT' from the period; '' when unknown."""
    period = whole(game.get("period"))
    if period is None or not 0 < period < 20:
        return ""
    if period <= 4:
        return f"Q{period}"
    return "OT" if period == 5 else f"{period - 4}OT"


def status_lines(game: dict, ctx: PageContext) -> tuple[str, str]:
    """(main, secondary): ('Q3', '4:12'), ('Final', ''), ('8:20 PM', 'NBC')."""
    state = text(game.get("state"), 10)
    detail = text(game.get("detail"), 80)
    if state == "in":
        quarter = quarter_label(game)
        clock = text(game.get("clock"), 8)
        if "half" in detail.lower():
            return "Half", ""
        if quarter:
            return quarter, clock
        return detail or "Live", ""
    if state == "post":
        return (detail if detail.lower().startswith("final") else "Final"), ""
    if state == "pre":
        return start_label(game, ctx), text(game.get("broadcast"), 12)
    return detail or PLACEHOLDER, ""


def _possession_mark(image: Image.Image, x: int, y: int) -> None:
    paste(image, _FOOTBALL, (x, y))


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    values = ctx.values("NFL")
    if values is None:
        return no_data(ctx, "NFL")
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, H = ctx.width, ctx.height
    games = games_of(values)
    if not games:
        image = notice(ctx, "NFL", ["No games today", "No games"])
        return finish(ctx, image, KINDS, math.inf)
    index, pool, ttl = pick(games, ctx.settings.favorite_nfl, ctx.now, is_live)
    game = games[index]
    away, home = side(game.get("away")), side(game.get("home"))
    post = text(game.get("state"), 10) == "post"
    both = away.score is not None and home.score is not None
    dim_away = post and both and away.score < home.score  # type: ignore[operator]
    dim_home = post and both and home.score < away.score  # type: ignore[operator]
    has_ball = text(game.get("possession"), 8).upper() if is_live(game) else ""
    main, secondary = status_lines(game, ctx)

    if not lay.tall:
        name_font = medium if lay.wide else small
        rows_w = 72 if lay.wide else 44
        row_h = name_font.height + 1
        score_w = 20 if lay.wide else 17
        for i, team in enumerate((away, home)):
            y = i * row_h
            team_row(
                image,
                (0, y, rows_w - 3, row_h),
                team,
                name_font,
                name_font,
                score_w,
                dim_away if i == 0 else dim_home,
            )
            if has_ball and has_ball == team.team:
                bx = min(name_font.width(team.team) + 2, rows_w - 3 - score_w - 6)
                _possession_mark(image, bx, y + name_font.ascent // 2 - 1)
        rx = rows_w + 1
        rw = W - rx
        if lay.wide:
            line_text(image, (rx, 1, rw, medium.height), main, medium, colors.AMBER, align="center")
            line_text(
                image, (rx, 12, rw, small.height), secondary, small, colors.SOFT, align="center"
            )
            venue = text(game.get("venue"), 60)
            line_text(
                image, (0, H - tiny.height, W - 14, tiny.height), venue, tiny, colors.DIM_TEXT
            )
        else:
            shown = first_fit([main, main.replace(" PM", "p").replace(" AM", "a")], small, rw)
            line_text(image, (rx, 1, rw, small.height), shown, small, colors.AMBER, align="center")
            line_text(
                image, (rx, 10, rw, tiny.height), secondary, tiny, colors.SOFT, align="center"
            )
            detail = text(game.get("detail"), 80)
            line_text(image, (0, 2 * row_h + 2, W - 14, small.height), detail, small, colors.GREY)
        counter(image, (W - 14, H - tiny.height, 14, tiny.height), index, pool, tiny)
    else:
        big = font(ctx, "clock")
        row_h = 15
        rows_w = 70 if lay.wide else W
        for i, team in enumerate((away, home)):
            y = 1 + i * (row_h + 1)
            mark = has_ball and has_ball == team.team
            team_row(
                image,
                (0, y, rows_w, row_h),
                team,
                medium,
                big,
                24,
                dim_away if i == 0 else dim_home,
            )
            if mark:
                bx = min(medium.width(team.team) + 3, rows_w - 24 - 7)
                _possession_mark(image, bx, y + 5)
        y = 2 * row_h + 5
        if lay.wide:
            rx, rw = rows_w + 4, W - rows_w - 4
            line_text(image, (rx, 2, rw, medium.height), main, medium, colors.AMBER, align="center")
            line_text(
                image, (rx, 14, rw, medium.height), secondary, medium, colors.SOFT, align="center"
            )
            detail = text(game.get("detail"), 80)
            line_text(image, (0, y, W, small.height), detail, small, colors.GREY)
            venue = text(game.get("venue"), 60)
            line_text(image, (0, y + 10, W - 16, small.height), venue, small, colors.DIM_TEXT)
            counter(image, (W - 16, H - tiny.height, 16, tiny.height), index, pool, tiny)
        else:
            status = f"{main} {secondary}".strip()
            line_text(image, (0, y, W, small.height), status, small, colors.AMBER)
            detail = text(game.get("broadcast"), 20)
            line_text(image, (0, y + 10, W, small.height), detail, small, colors.SOFT)
            venue = text(game.get("venue"), 60)
            line_text(
                image, (0, H - tiny.height, W - 14, tiny.height), venue, tiny, colors.DIM_TEXT
            )
            counter(image, (W - 14, H - tiny.height, 14, tiny.height), index, pool, tiny)
    return finish(ctx, image, KINDS, ttl)


PAGE = PageSpec(name="nfl", render=render, types=KINDS, title="NFL")
