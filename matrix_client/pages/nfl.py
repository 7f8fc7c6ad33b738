"""NFL: the favourite team's game (``PageSettings.favorite_nfl``) or each of the
day's games in turn: teams and score, quarter and clock, possession, status.

Reads the ``NFL`` view (glanceboard.payloads.nfl): ``state`` is
``pre``/``in``/``post``; ``detail`` (ours) is the display-ready status, used
when the quarter and clock are missing; the original's games get one from
their down and distance. Drawn as a widget tree; what differs between panel
sizes is in ``layouts/nfl.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from glanceboard.payloads import names
from glanceboard.payloads.nfl import Game
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import PLACEHOLDER, clock_label, local, text, with_aware_times
from matrix_client.pages.games import (
    Matchup,
    TeamsLayout,
    counter,
    layers,
    matchup,
    same_nfl,
    start_label,
    team_rows,
    venue_line,
)
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.icons import sprite
from matrix_client.render.widgets import (
    Box,
    Column,
    Expand,
    Marquee,
    Picture,
    Row,
    Scene,
    Text,
    Widget,
)
from matrix_client.render.widgets.fit import first_wording
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.NFL,)
BALL = (170, 90, 40)
_FOOTBALL = sprite((".###.", "#+#+#", ".###."), {"#": BALL, "+": (240, 240, 240)})


@dataclass(frozen=True)
class NflTeams(TeamsLayout):
    ball_drop: int = field(default=1, metadata={"min": 0, "max": 16})  # name top to football
    # Before kickoff, rows this wide and no scores (a 0-0 says nothing yet), leaving the
    # side panel the room for the start time; 0: as during the game.
    scheduled_width: int = field(default=0, metadata={"min": 0, "max": 256})


_PX = {"min": 0, "max": 128}


@dataclass(frozen=True)
class SideLayout:
    """The quarter and clock (or start time and network) beside the team rows."""

    top: int = field(default=0, metadata=_PX)
    gap: int = field(default=1, metadata=_PX)
    main_font: FontRole = "small"
    # long: as it is; fit: '8:20p' for '8:20 PM' where the long one does not fit.
    main_words: Literal["long", "fit"] = "long"
    secondary_font: FontRole = "tiny"


@dataclass(frozen=True)
class LinesLayout:
    """The lines under the team rows, in the order of ``show``."""

    top: int = field(metadata=_PX)  # from the panel's top
    # detail: the status text; extra: the status text where it adds to the side panel
    # (down and distance), else where and when (day and venue); status: quarter and
    # clock in one line; broadcast: the network.
    show: tuple[Literal["detail", "extra", "status", "broadcast"], ...] = ()
    font: FontRole = "small"
    scroll: bool = False  # lines too long scroll instead of being shortened
    gap: int = field(default=2, metadata=_PX)
    right: int = field(default=0, metadata=_PX)  # kept free at the right (the counter)


@dataclass(frozen=True)
class NflLayout:
    teams: NflTeams
    lines: LinesLayout
    side: SideLayout | None = None  # None: nothing beside the rows
    panel_gap: int = field(default=4, metadata=_PX)  # team rows to the side panel
    # Where the venue goes: nowhere, at the panel's foot, or after the lines.
    venue: Literal["none", "bottom", "lines"] = "none"
    venue_font: FontRole = "tiny"
    venue_right: int = field(default=14, metadata=_PX)
    counter_width: int = field(default=14, metadata=_PX)


LAYOUT = page_table("nfl", NflLayout)


def quarter_label(game: Game) -> str:
    """'Q3', 'OT', '2OT' from the period; '' when unknown."""
    period = game.period
    if period is None:
        return ""
    if period <= 4:
        return f"Q{period}"
    return "OT" if period == 5 else f"{period - 4}OT"


def detail_of(game: Game, ctx: PageContext) -> str:
    """The display-ready status line (the view makes one for the original's games); a
    kickoff is written again from ``start``, in the display's zone."""
    if game.kickoff_text and game.start is not None:
        kickoff = local(game.start, ctx)
        return f"{kickoff:%a} {clock_label(kickoff, ctx)}"
    return text(game.status_text(), 80)


def status_lines(game: Game, ctx: PageContext) -> tuple[str, str]:
    """(main, secondary): ('Q3', '4:12'), ('Final', ''), ('8:20 PM', 'NBC')."""
    detail = detail_of(game, ctx)
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


def possession(match: Matchup[Game], drop: int) -> list[Widget | None]:
    """The football for the row of the team that has the ball in a live game."""
    has_ball = text(match.game.possession, 8).upper() if match.game.live else ""
    return [
        Box(Picture(_FOOTBALL), padding=(0, drop, 0, 0)) if has_ball and has_ball == team.team
        else None
        for team in (match.away, match.home)
    ]


def extra_line(game: Game, main: str, secondary: str, ctx: PageContext,
               venue_shown: bool = False) -> str:
    """What the line under the rows adds to a side panel showing ``main`` and
    ``secondary``: the status text unless it repeats them (the game clock, the start
    time), then the down and distance, else the day and the venue (the date instead
    when the venue has a line of its own)."""
    detail = detail_of(game, ctx)
    shown = [part for part in (main, secondary, text(game.clock, 8)) if part]
    if detail and not any(part in detail for part in shown):
        return detail
    if game.live:
        play = " ".join(text(p, 40) for p in (game.down_distance, game.position) if p)
        if play:
            return play
    venue = "" if venue_shown else text(game.venue, 60)
    if game.state == "pre" and game.start is not None:
        start = local(game.start, ctx)
        if venue_shown:
            return f"{start:%A} {start:%b} {start.day}"
        return f"{start:%a} {venue}".strip()
    return venue


def scheduled(game: Game) -> bool:
    return game.state == "pre"


def status_line(game: Game, main: str, secondary: str, ctx: PageContext,
                lines: LinesLayout) -> str:
    """Quarter and clock in one line; before kickoff the day and time of the kickoff
    ('Thu 8:20 PM'), without the network when a line of its own shows it."""
    if scheduled(game) and game.start is not None:
        kickoff = local(game.start, ctx)
        main = f"{kickoff:%a} {clock_label(kickoff, ctx)}"
        if "broadcast" in lines.show:
            return main
    return f"{main} {secondary}".strip()


def side_panel(main: str, secondary: str, lay: SideLayout) -> Widget:
    words = [main]
    if lay.main_words == "fit":
        words.append(main.replace(" PM", "p").replace(" AM", "a"))
    return Box(
        Column(
            [
                first_wording(words, lay.main_font, colors.AMBER, align="center"),
                Text(secondary, lay.secondary_font, colors.SOFT, align="center"),
            ],
            gap=lay.gap,
            cross_align="stretch",
        ),
        padding=(0, lay.top, 0, 0),
    )


def tree(ctx: PageContext) -> Scene:
    week = ctx.view("NFL")
    match = matchup(ctx, "NFL", week.games if week is not None else None,
                    ctx.settings.favorite_nfl, same_nfl)
    if isinstance(match, Scene):
        return match
    lay = LAYOUT.for_size(ctx.size)
    game = match.game
    main, secondary = status_lines(game, ctx)
    # Before kickoff there is no score to show (a 0-0 says nothing yet).
    teams, scores = lay.teams, not scheduled(game)
    if not scores and teams.scheduled_width:
        teams = replace(teams, width=teams.scheduled_width, score_width=0)
    top: list[Widget] = [team_rows(match, teams, possession(match, teams.ball_drop), scores)]
    if lay.side is not None:
        top.append(Expand(side_panel(main, secondary, lay.side)))
    line_of = {
        "detail": lambda: (detail_of(game, ctx), colors.GREY),
        "extra": lambda: (extra_line(game, main, secondary, ctx, lay.venue == "lines"),
                          colors.GREY),
        "status": lambda: (status_line(game, main, secondary, ctx, lay.lines), colors.AMBER),
        "broadcast": lambda: (text(game.broadcast, 20), colors.SOFT),
    }
    kind = Marquee if lay.lines.scroll else Text
    lines: list[Widget] = []
    for name in lay.lines.show:
        words, color = line_of[name]()
        lines.append(kind(words, lay.lines.font, color))
    venue = venue_line(game, lay.venue_font, lay.venue_right) if lay.venue != "none" else None
    if venue is not None and lay.venue == "lines":
        lines.append(venue)
    root = layers(
        Row(top, gap=lay.panel_gap, cross_align="stretch"),
        Box(
            Column(lines, gap=lay.lines.gap, cross_align="stretch"),
            padding=(0, lay.lines.top, lay.lines.right, 0),
        ),
        Box(venue, valign="end") if venue is not None and lay.venue == "bottom" else None,
        counter(match, lay.counter_width),
    )
    return Scene(root, match.ttl)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="nfl", render=render, types=KINDS, title="NFL")
