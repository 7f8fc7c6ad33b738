"""The NFL page on small panels: a scheduled game shows no 0-0 but its kickoff, the
start time is not cut at 64x32, and the line under the rows never repeats the game
clock beside them."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from glanceboard.payloads.nfl import Game
from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext
from matrix_client.pages.nfl import LAYOUT, extra_line, status_line
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


@pytest.mark.parametrize("size", [(64, 32), (128, 32), (64, 64), (128, 64)])
def test_a_scheduled_game_shows_no_score(size: tuple[int, int]) -> None:
    page = get_page("nfl")
    nil, seven = (page.render(scheduled_context(size, s)).image for s in (0, 7))
    assert nil.tobytes() == seven.tobytes()  # the scores are not drawn at all
    yellow = {colors.YELLOW, colors.dimmed(colors.YELLOW, 0.6)}
    assert not yellow & {c for _, c in nil.getcolors(size[0] * size[1])}
    # A game under way shows its score.
    live = page.render(context("", size)).image
    assert yellow & {c for _, c in live.getcolors(size[0] * size[1])}


def test_a_scheduled_game_at_64x64_shows_its_kickoff_once() -> None:
    ctx = scheduled_context((64, 64), 0)
    game = ctx.view("NFL").games[0]
    lines = LAYOUT.for_size((64, 64)).lines
    assert "broadcast" in lines.show  # the network has a line of its own...
    assert status_line(game, "8:20 PM", "NBC", ctx, lines) == "Thu 8:20 PM"  # ...not twice
    wide = dataclasses.replace(lines, show=("status",))
    assert status_line(game, "8:20 PM", "NBC", ctx, wide) == "Thu 8:20 PM NBC"
    image = get_page("nfl").render(ctx).image
    amber = [y for y in range(64) for x in range(64) if image.getpixel((x, y)) == colors.AMBER]
    assert amber and min(amber) >= 30 and max(amber) < 50  # the kickoff under the rows


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
