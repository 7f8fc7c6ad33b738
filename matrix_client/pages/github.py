"""GitHub: the build light, the latest commit and its message and age, and the
last commit that built green.

Reads ``GitHub`` (docs/payloads.md). The build is green when the latest commit
is the last successful one; the optional ``status`` extra tells failing from
running.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from glanceboard.payloads import names
from glanceboard.payloads.github import GitHub
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    no_data,
    since_label,
    text,
    with_aware_times,
)
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
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

KINDS = (names.GITHUB,)
STATES = {
    "passing": colors.GREEN,
    "failing": colors.RED,
    "running": colors.AMBER,
    "behind": colors.AMBER,
    "unknown": colors.GREY,
}
GREEN_LINE = colors.dimmed(colors.GREEN, 0.8)
_PX = {"min": 0, "max": 64}


@dataclass(frozen=True)
class Heights:
    """Px from each line's top to the next one's (0: as high as its content)."""

    title: int = field(default=0, metadata=_PX)
    repo: int = field(default=0, metadata=_PX)
    commit: int = field(default=0, metadata=_PX)
    message: int = field(default=0, metadata=_PX)
    green: int = field(default=0, metadata=_PX)


@dataclass(frozen=True)
class GithubLayout:
    light: int = field(metadata={"min": 1, "max": 32})  # the build light's side
    heights: Heights = Heights()
    light_top: int = field(default=0, metadata=_PX)
    light_gap: int = field(default=2, metadata=_PX)  # light to title
    # The first line's words: the repository, or the build state in its colour.
    title: Literal["repo", "state"] = "repo"
    title_font: FontRole = "tiny"
    repo_line: bool = False  # the repository on a line of its own
    repo_font: FontRole = "small"
    latest_font: FontRole = "small"
    latest_width: int = field(default=0, metadata=_PX)  # 0: as wide as the commit id
    age_font: FontRole = "tiny"
    age_drop: int = field(default=0, metadata=_PX)
    age_gap: int = field(default=0, metadata=_PX)
    message_font: FontRole = "small"
    green_font: FontRole = "tiny"
    note: bool = False  # 'latest = last green' under a passing build


LAYOUT = page_table("github", GithubLayout)


def build_state(github: GitHub) -> str:
    latest = _sha(github.latest_commit)
    good = _sha(github.last_successful_commit)
    status = text(github.status, 20).lower()
    if status == "failure":
        return "failing"
    if latest and good and latest == good:
        return "passing"
    if status == "pending":
        return "running"
    if status == "success":
        return "passing"
    return "behind" if latest and good else "unknown"


def _sha(value: str | None) -> str:
    """A commit id cut to 7 characters (what people read), or ''."""
    return value[:7] if value else ""


def tree(ctx: PageContext) -> Scene:
    github = ctx.view("GitHub")
    if github is None:
        return Scene(Picture(no_data(ctx, "GitHub").image))
    lay = LAYOUT.for_size(ctx.size)
    now = ctx.now
    state = build_state(github)
    light = STATES[state]
    latest = _sha(github.latest_commit) or PLACEHOLDER
    good = _sha(github.last_successful_commit) or PLACEHOLDER
    repo = text(github.repo, 100) or "GitHub"
    age, age_ttl = since_label(github.date, now)
    heights = lay.heights

    def line(widget: Widget, height: int) -> Widget:
        return Box(widget, height=height or None)

    title, title_color = (repo, colors.GREY) if lay.title == "repo" else (state.capitalize(), light)
    lines = [
        line(
            Row(
                [
                    Box(Box(width=lay.light, height=lay.light, background=light),
                        padding=(0, lay.light_top, 0, 0)),
                    Text(title, lay.title_font, title_color),
                ],
                gap=lay.light_gap,
            ),
            heights.title,
        )
    ]
    if lay.repo_line:
        lines.append(line(Text(repo, lay.repo_font, colors.GREY),
                          heights.repo))
    latest_text: Widget = Text(latest, lay.latest_font, colors.WHITE)
    if lay.latest_width:
        latest_text = Box(latest_text, width=lay.latest_width)
    age_text = first_wording([age, age.split()[0]], lay.age_font, colors.SOFT, align="right")
    lines.append(
        line(
            Row([latest_text, Expand(Box(age_text, padding=(0, lay.age_drop, 0, 0)))],
                gap=lay.age_gap),
            heights.commit,
        )
    )
    message = text(github.headline, 200) or PLACEHOLDER
    lines.append(line(Marquee(message, lay.message_font, colors.CYAN), heights.message))
    green = [f"last green {good}", f"ok {good}"]
    lines.append(line(first_wording(green, lay.green_font, GREEN_LINE), heights.green))
    if lay.note and state == "passing":
        lines.append(Text("latest = last green", "tiny", colors.DIM_TEXT))
    # Right until the age reads otherwise ("5m ago" -> "6m ago").
    return Scene(Column(lines, cross_align="stretch"), age_ttl)


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="github", render=render, types=KINDS, title="GitHub")
