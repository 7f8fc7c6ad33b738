"""The NFL page on a 64x32 panel: a scheduled game shows no 0-0 and its whole start
time, and the line under the rows never repeats the game clock beside them."""

from __future__ import annotations

import copy
import dataclasses

from glanceboard.payloads.nfl import Game
from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext
from matrix_client.pages.nfl import extra_line
from matrix_client.pages.samples import context
from matrix_client.render import colors


def scheduled_context(size: tuple[int, int], score: int) -> PageContext:
    ctx = context("", size)
    state = copy.deepcopy(dict(ctx.state))
    game = state["NFL"]["values"]["events"][1]  # GB at DET, Thu 8:20 PM, NBC
    for side in ("away", "home"):
        game[side]["score"] = score
    state["NFL"]["values"] = {"events": [game]}
    return dataclasses.replace(ctx, state=state)


def test_a_scheduled_game_shows_no_score_at_64x32() -> None:
    page = get_page("nfl")
    nil, seven = (page.render(scheduled_context((64, 32), s)).image for s in (0, 7))
    assert nil.tobytes() == seven.tobytes()  # the scores are not drawn at all
    yellow = {colors.YELLOW, colors.dimmed(colors.YELLOW, 0.6)}
    assert not yellow & {c for _, c in nil.getcolors(64 * 32)}
    # Where there is room for them, scores still show (the 0-0 of 64x64 is not this item).
    big = [page.render(scheduled_context((64, 64), s)).image.tobytes() for s in (0, 7)]
    assert big[0] != big[1]


def test_the_start_time_is_not_cut_at_64x32() -> None:
    image = get_page("nfl").render(scheduled_context((64, 32), 0)).image
    amber = [x for x in range(64) for y in range(10) if image.getpixel((x, y)) == colors.AMBER]
    assert max(amber) - min(amber) >= 30  # "8:20 PM" whole, not "8:2.."


def test_the_line_under_the_rows_does_not_repeat_the_clock() -> None:
    live = Game(state="in", detail="3rd 4:12", period=3, clock="4:12", venue="Arrowhead")
    ctx = context("", (64, 32))
    assert extra_line(live, "Q3", "4:12", ctx) == "Arrowhead"
    legacy = Game(state="in", period=2, clock="8:42", down_distance="2nd & 7",
                  position="MIA 34")
    assert extra_line(legacy, "Q2", "8:42", ctx) == "2nd & 7 MIA 34"
    news = Game(state="in", detail="Injury timeout", period=1, clock="1:00")
    assert extra_line(news, "Q1", "1:00", ctx) == "Injury timeout"
    pre = Game(state="pre", detail="Thu 8:20 PM", venue="Ford Field",
               start=ctx.now.replace(day=26, hour=20, minute=20))
    assert extra_line(pre, "8:20 PM", "NBC", ctx) == "Thu Ford Field"


def test_scores_clear_the_right_edge_at_64x64() -> None:
    for case in ("", "long"):
        image = get_page("nfl").render(context(case, (64, 64))).image
        edge = image.crop((62, 0, 64, 34))  # the score rows' last two columns
        assert edge.getbbox() is None, case
