"""MLB: the favourite team's game (``PageSettings.favorite_mlb``) or each of the
day's games in turn: teams and score, inning and half, outs, bases, status.

Reads the ``MLB`` view (glanceboard.payloads.mlb): the original's flat games
and our earlier nested ones read the same. Drawn as a widget tree; what differs
between panel sizes is in ``layouts/mlb.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from glanceboard.payloads import names
from glanceboard.payloads.mlb import HALVES, Game
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import text, with_aware_times
from matrix_client.pages.games import (
    TeamsLayout,
    counter,
    layers,
    matchup,
    same_mlb,
    start_label,
    team_rows,
    venue_line,
)
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.widgets import Box, Column, Expand, Row, Scene, Widget
from matrix_client.render.widgets.fit import first_wording
from matrix_client.render.widgets.scoreboard import Bases, Dots, Pointer
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.MLB,)
BASE_ON = colors.YELLOW
BASE_OFF = (70, 70, 80)
OUT_ON = colors.RED
OUT_OFF = (60, 30, 30)

PREGAME_WORDS = ("scheduled", "pre-game", "warmup", "preview", "")

_PX = {"min": 0, "max": 128}


@dataclass(frozen=True)
class DiamondLayout:
    """Bases, outs and the count of a live game, top to bottom."""

    radius: int = field(metadata={"min": 1, "max": 8})
    top: int = field(default=0, metadata=_PX)  # above the bases
    left: int = field(default=0, metadata=_PX)  # before the bases when not centred
    centred: bool = True  # bases and outs centred in the panel's width
    outs_size: int = field(default=3, metadata={"min": 1, "max": 8})
    outs_gap: int = field(default=2, metadata={"min": 0, "max": 8})
    outs_top: int = field(default=1, metadata=_PX)  # between bases and outs
    count: bool = False  # the ball-strike count and outs in words under the dots
    count_top: int = field(default=2, metadata=_PX)


@dataclass(frozen=True)
class StatusLayout:
    """The inning (or start time, or final) line under the team rows."""

    top: int = field(metadata=_PX)  # from the panel's top
    font: FontRole = "small"
    # long: 'Top 6'; short: 'T6'; fit: the long one if it fits, else the short one.
    words: Literal["long", "short", "fit"] = "long"
    width: int = field(default=0, metadata=_PX)  # 0: the panel's width less ``right``
    right: int = field(default=0, metadata=_PX)  # kept free at the right (the counter)
    pointer_drop: int = field(default=2, metadata=_PX)  # line top to the half pointer
    pointer_gap: int = field(default=1, metadata=_PX)
    venue_gap: int = field(default=0, metadata=_PX)  # status line to venue (venue "status")


@dataclass(frozen=True)
class MlbLayout:
    teams: TeamsLayout
    diamond: DiamondLayout
    status: StatusLayout
    # Where the diamond goes: beside the team rows, or after the status line.
    panel: Literal["side", "status"] = "side"
    panel_gap: int = field(default=2, metadata=_PX)  # team rows to the side panel
    # Where the venue goes: nowhere, at the side panel's foot, at the panel's foot,
    # or under the status line.
    venue: Literal["none", "side", "bottom", "status"] = "none"
    venue_font: FontRole = "tiny"
    venue_right: int = field(default=12, metadata=_PX)
    counter_width: int = field(default=14, metadata=_PX)


LAYOUT = page_table("mlb", MlbLayout)


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


def diamond(game: Game, lay: DiamondLayout) -> Widget:
    """Bases, outs and (where the layout has room) the count, for a live game."""
    outs = game.outs or 0
    align = "center" if lay.centred else "start"
    parts: list[Widget] = [
        Box(Bases(game.bases, lay.radius, BASE_ON, BASE_OFF), padding=(0, lay.top, 0, 0)),
        Box(
            Dots(outs, 3, lay.outs_size, lay.outs_gap, OUT_ON, OUT_OFF),
            padding=(0, lay.outs_top, 0, 0),
            halign=align,
        ),
    ]
    if lay.count:
        words = [count_label(game, outs), f"{outs} out"]
        count = first_wording(words, "tiny", colors.SOFT, align="center")
        parts.append(Box(count, padding=(0, lay.count_top, 0, 0)))
    column = Column(parts, cross_align="stretch" if lay.centred else "start")
    return Box(column, padding=(lay.left, 0, 0, 0))


def status_line(game: Game, ctx: PageContext, lay: StatusLayout, after: Widget | None) -> Widget:
    """The half pointer and the status words, then ``after`` (the diamond, if it goes here)."""
    words = {
        "long": [status_label(game, ctx, short=False)],
        "short": [status_label(game, ctx, short=True)],
        "fit": [status_label(game, ctx, short=False), status_label(game, ctx, short=True)],
    }[lay.words]
    parts: list[Widget] = []
    half = {"Top": True, "Bot": False}.get(game.half or "") if game.live else None
    if half is not None:
        parts.append(Box(Pointer(half, colors.AMBER), padding=(0, lay.pointer_drop, 0, 0)))
    parts.append(Expand(first_wording(words, lay.font, colors.AMBER)))
    line: Widget = Row(parts, gap=lay.pointer_gap)
    if lay.width:
        line = Box(line, width=lay.width)
    if after is None:
        return line
    return Row([line, Expand(after)])


def tree(ctx: PageContext) -> Scene:
    match = matchup(ctx, "MLB", ctx.view("MLB"), ctx.settings.favorite_mlb, same_mlb)
    if isinstance(match, Scene):
        return match
    lay = LAYOUT.for_size(ctx.size)
    game = match.game
    panel = diamond(game, lay.diamond) if game.live else None
    venue = venue_line(game, lay.venue_font, lay.venue_right) if lay.venue != "none" else None

    side: list[Widget] = [team_rows(match, lay.teams)]
    if lay.panel == "side":
        column = [panel] if panel is not None else []
        if venue is not None and lay.venue == "side":
            column += [Expand(Box()), venue]  # the venue at the column's foot
        side.append(Expand(Column(column, cross_align="stretch")))
    status_parts: list[Widget] = [
        status_line(game, ctx, lay.status, panel if lay.panel == "status" else None)
    ]
    if venue is not None and lay.venue == "status":
        status_parts.append(Box(venue, padding=(0, lay.status.venue_gap, 0, 0)))
    status = Box(
        Column(status_parts, cross_align="stretch"),
        padding=(0, lay.status.top, lay.status.right, 0),
    )
    bottom = Box(venue, valign="end") if venue is not None and lay.venue == "bottom" else None
    root = layers(
        Row(side, gap=lay.panel_gap, cross_align="stretch"),
        status,
        bottom,
        counter(match, lay.counter_width),
    )
    return Scene(root, match.ttl)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="mlb", render=render, types=KINDS, title="MLB")
