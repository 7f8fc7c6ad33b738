"""MLB: the favourite team's game (``PageSettings.favorite_mlb``) or each of the
day's games in turn: teams and score, inning and half, outs, bases, status.

Reads the ``MLB`` view (glanceboard.payloads.mlb): the original's flat games
and our earlier nested ones read the same.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from glanceboard.payloads import names
from glanceboard.payloads.mlb import HALVES, Game
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    canvas,
    finish,
    first_fit,
    font,
    layout,
    text,
    with_aware_times,
)
from matrix_client.pages.games import counter, matchup, start_label, team_rows, venue_line
from matrix_client.render import colors
from matrix_client.render.layout import diamond, dots, line_text

KINDS = (names.MLB,)
BASE_ON = colors.YELLOW
BASE_OFF = (70, 70, 80)
OUT_ON = colors.RED
OUT_OFF = (60, 30, 30)


PREGAME_WORDS = ("scheduled", "pre-game", "warmup", "preview", "")


def inning_label(game: Game, short: bool) -> str:
    """'Top 6', 'Bot 6', 'Mid 6', 'End 6' (or '6' when the half is unknown)."""
    inning = game.inning
    if inning is None:
        return "Live"
    word = game.half if game.half in HALVES else ""
    if short and word in ("Top", "Bot"):
        return f"{word[0]}{inning}"
    return f"{word} {inning}".strip()


def status_label(game: Game, ctx: PageContext, short: bool) -> str:
    if game.live:
        return inning_label(game, short)
    if game.final:
        inning = game.inning
        return f"F/{inning}" if inning and inning != 9 else "Final"
    detail = text(game.detail, 40)
    if detail.lower() in PREGAME_WORDS:
        return start_label(game, ctx)
    return detail


def count_label(game: Game, outs: int) -> str:
    """'1 out', or '2-1, 1 out' with the ball-strike count when the producer sends it."""
    balls, strikes = game.balls, game.strikes
    label = f"{outs} out" if outs == 1 else f"{outs} outs"
    if balls is not None and strikes is not None:
        return f"{balls}-{strikes}, {label}"
    return label


def draw_bases(
    image: Image.Image, center: tuple[int, int], radius: int, bases: tuple[bool, bool, bool]
) -> None:
    """Second base on top, third left, first right, as seen from home plate."""
    cx, cy = center
    step = radius + 2  # one dark pixel between neighbouring bases
    spots = (
        (cx + step, cy + step, bases[0]),
        (cx, cy, bases[1]),
        (cx - step, cy + step, bases[2]),
    )
    for x, y, on in spots:
        diamond(image, (x, y), radius, BASE_ON if on else BASE_OFF, solid=on)


def _arrow(image: Image.Image, x: int, y: int, top: bool, color: colors.Color) -> None:
    draw = ImageDraw.Draw(image)
    if top:
        draw.polygon([(x, y + 2), (x + 4, y + 2), (x + 2, y)], fill=color)
    else:
        draw.polygon([(x, y), (x + 4, y), (x + 2, y + 2)], fill=color)


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    match = matchup(ctx, "MLB", ctx.view("MLB"), ctx.settings.favorite_mlb)
    if isinstance(match, PageFrame):
        return match
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, H = ctx.width, ctx.height
    game = match.game
    live = game.live
    outs = game.outs or 0
    bases = (game.bases[0] is True, game.bases[1] is True, game.bases[2] is True)
    half = {"Top": "top", "Bot": "bottom"}.get(game.half or "", "")

    if not lay.tall:
        name_font = medium if lay.wide else small
        rows_w = 72 if lay.wide else 42
        row_h = name_font.height + 1
        team_rows(
            image, match, (0, row_h), rows_w, row_h, name_font, name_font, 20 if lay.wide else 17
        )
        rx = rows_w + 2
        rw = W - rx
        radius = 3 if lay.wide else 2
        if live:
            draw_bases(image, (rx + rw // 2, 2 + radius), radius, bases)
            oy = 2 + 3 * radius + 4
            size = 3 if lay.wide else 2
            dots(
                image,
                (rx + (rw - (3 * size + 2 * 2)) // 2, oy),
                3,
                outs,
                size,
                OUT_ON,
                OUT_OFF,
                gap=2,
            )
            label = first_fit([count_label(game, outs), f"{outs} out"], tiny, rw)
            line_text(
                image,
                (rx, oy + size + 2, rw, tiny.height),
                label,
                tiny,
                colors.SOFT,
                align="center",
            )
        sy = 2 * row_h + 2
        status = status_label(game, ctx, short=not lay.wide)
        sx = 0
        if live and half in ("top", "bottom"):
            _arrow(image, 0, sy + 2, half == "top", colors.AMBER)
            sx = 6
            status = status.split()[-1] if not lay.wide else status
        line_text(image, (sx, sy, W - sx - 14, small.height), status, small, colors.AMBER)
        if lay.wide:
            venue_line(image, (rx, H - tiny.height, rw - 12, tiny.height), game, tiny)
        counter(image, match, tiny)
    else:
        row_h = 15
        rows_w = 74 if lay.wide else W
        team_rows(image, match, (1, 2 + row_h), rows_w, row_h, medium, font(ctx, "clock"), 24)
        y = 2 * row_h + 5
        status = status_label(game, ctx, short=False)
        if lay.wide:
            rx, rw = rows_w + 4, W - rows_w - 4
            if live:
                draw_bases(image, (rx + rw // 2, 4 + 4), 4, bases)
                dots(image, (rx + (rw - 17) // 2, 22), 3, outs, 3, OUT_ON, OUT_OFF, gap=4)
                line_text(
                    image,
                    (rx, 28, rw, tiny.height),
                    count_label(game, outs),
                    tiny,
                    colors.SOFT,
                    align="center",
                )
            sx = 0
            if live and half in ("top", "bottom"):
                _arrow(image, 0, y + 3, half == "top", colors.AMBER)
                sx = 7
            line_text(image, (sx, y, W - sx, medium.height), status, medium, colors.AMBER)
            venue_line(image, (0, y + 12, W - 16, small.height), game, small)
            counter(image, match, tiny, 16)
        else:
            sx = 0
            if live and half in ("top", "bottom"):
                _arrow(image, 0, y + 2, half == "top", colors.AMBER)
                sx = 6
            line_text(
                image,
                (sx, y, 40 - sx, small.height),
                first_fit([status, status_label(game, ctx, short=True)], small, 40 - sx),
                small,
                colors.AMBER,
            )
            if live:
                draw_bases(image, (W - 12, y + 3), 3, bases)
                dots(image, (W - 20, y + 14), 3, outs, 3, OUT_ON, OUT_OFF, gap=2)
            venue_line(image, (0, H - tiny.height, W - 14, tiny.height), game, tiny)
            counter(image, match, tiny)
    return finish(ctx, image, KINDS, match.ttl)


PAGE = PageSpec(name="mlb", render=render, types=KINDS, title="MLB")
