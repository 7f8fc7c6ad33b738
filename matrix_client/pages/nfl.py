"""NFL: the favourite team's game (``PageSettings.favorite_nfl``) or each of the
day's games in turn: teams and score, quarter and clock, possession, status.

Reads the ``NFL`` view (glanceboard.payloads.nfl): ``state`` is
``pre``/``in``/``post``; ``detail`` (ours) is the display-ready status, used
when the quarter and clock are missing; the original's games get one from
their down and distance.
"""

from __future__ import annotations

from PIL import Image

from glanceboard.payloads import names
from glanceboard.payloads.nfl import Game
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    canvas,
    finish,
    first_fit,
    font,
    layout,
    text,
    with_aware_times,
)
from matrix_client.pages.games import Matchup, counter, matchup, start_label, team_rows, venue_line
from matrix_client.render import colors
from matrix_client.render.fonts import Font
from matrix_client.render.icons import paste, sprite
from matrix_client.render.layout import line_text

KINDS = (names.NFL,)
BALL = (170, 90, 40)
_FOOTBALL = sprite((".###.", "#+#+#", ".###."), {"#": BALL, "+": (240, 240, 240)})


def quarter_label(game: Game) -> str:
    """'Q3', 'OT', '2OT' from the period; '' when unknown."""
    period = game.period
    if period is None:
        return ""
    if period <= 4:
        return f"Q{period}"
    return "OT" if period == 5 else f"{period - 4}OT"


def detail_of(game: Game) -> str:
    """The display-ready status line (the view makes one for the original's games)."""
    return text(game.status_text(), 80)


def status_lines(game: Game, ctx: PageContext) -> tuple[str, str]:
    """(main, secondary): ('Q3', '4:12'), ('Final', ''), ('8:20 PM', 'NBC')."""
    detail = detail_of(game)
    if game.live:
        quarter = quarter_label(game)
        clock = text(game.clock, 8)
        if game.halftime:
            return "Half", ""
        if quarter:
            return quarter, clock
        return detail or "Live", ""
    if game.final:
        return (detail if detail.lower().startswith("final") else "Final"), ""
    if game.state == "pre":
        return start_label(game, ctx), text(game.broadcast, 12)
    return detail or PLACEHOLDER, ""


def possession_mark(
    image: Image.Image,
    match: Matchup[Game],
    tops: tuple[int, int],
    name_font: Font,
    gap: int,
    max_x: int,
    dy: int,
) -> None:
    """In a live game, the football ``gap`` px after the name of the team that has the ball
    (no further right than ``max_x``, clear of the score), ``dy`` px below its row's top."""
    has_ball = text(match.game.possession, 8).upper() if match.game.live else ""
    for top, team in zip(tops, (match.away, match.home), strict=True):
        if has_ball and has_ball == team.team:
            x = min(name_font.width(team.team) + gap, max_x)
            paste(image, _FOOTBALL, (x, top + dy))


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    week = ctx.view("NFL")
    match = matchup(ctx, "NFL", week.games if week is not None else None,
                    ctx.settings.favorite_nfl)
    if isinstance(match, PageFrame):
        return match
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, H = ctx.width, ctx.height
    game = match.game
    main, secondary = status_lines(game, ctx)

    if not lay.tall:
        name_font = medium if lay.wide else small
        rows_w = 72 if lay.wide else 44
        row_h = name_font.height + 1
        score_w = 20 if lay.wide else 17
        tops = (0, row_h)
        team_rows(image, match, tops, rows_w - 3, row_h, name_font, name_font, score_w)
        max_x = rows_w - 3 - score_w - 6
        possession_mark(image, match, tops, name_font, 2, max_x, name_font.ascent // 2 - 1)
        rx = rows_w + 1
        rw = W - rx
        if lay.wide:
            line_text(image, (rx, 1, rw, medium.height), main, medium, colors.AMBER, align="center")
            line_text(
                image, (rx, 12, rw, small.height), secondary, small, colors.SOFT, align="center"
            )
            venue_line(image, (0, H - tiny.height, W - 14, tiny.height), game, tiny)
        else:
            shown = first_fit([main, main.replace(" PM", "p").replace(" AM", "a")], small, rw)
            line_text(image, (rx, 1, rw, small.height), shown, small, colors.AMBER, align="center")
            line_text(
                image, (rx, 10, rw, tiny.height), secondary, tiny, colors.SOFT, align="center"
            )
            detail = detail_of(game)
            line_text(image, (0, 2 * row_h + 2, W - 14, small.height), detail, small, colors.GREY)
        counter(image, match, tiny)
    else:
        row_h = 15
        rows_w = 70 if lay.wide else W
        tops = (1, 2 + row_h)
        team_rows(image, match, tops, rows_w, row_h, medium, font(ctx, "clock"), 24)
        possession_mark(image, match, tops, medium, 3, rows_w - 24 - 7, 5)
        y = 2 * row_h + 5
        if lay.wide:
            rx, rw = rows_w + 4, W - rows_w - 4
            line_text(image, (rx, 2, rw, medium.height), main, medium, colors.AMBER, align="center")
            line_text(
                image, (rx, 14, rw, medium.height), secondary, medium, colors.SOFT, align="center"
            )
            detail = detail_of(game)
            line_text(image, (0, y, W, small.height), detail, small, colors.GREY)
            venue_line(image, (0, y + 10, W - 16, small.height), game, small)
            counter(image, match, tiny, 16)
        else:
            status = f"{main} {secondary}".strip()
            line_text(image, (0, y, W, small.height), status, small, colors.AMBER)
            detail = text(game.broadcast, 20)
            line_text(image, (0, y + 10, W, small.height), detail, small, colors.SOFT)
            venue_line(image, (0, H - tiny.height, W - 14, tiny.height), game, tiny)
            counter(image, match, tiny)
    return finish(ctx, image, KINDS, match.ttl)


PAGE = PageSpec(name="nfl", render=render, types=KINDS, title="NFL")
