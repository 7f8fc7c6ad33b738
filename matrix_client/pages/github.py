"""GitHub: the build light, the latest commit and its message and age, and the
last commit that built green.

Reads ``GitHub`` (docs/payloads.md). The build is green when the latest commit
is the last successful one; the optional ``status`` extra tells failing from
running.
"""

from __future__ import annotations

import math

from glanceboard.payloads import names
from glanceboard.payloads.github import GitHub
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    age_label,
    canvas,
    finish,
    first_fit,
    font,
    layout,
    min_ttl,
    no_data,
    text,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.layout import fill, line_text

KINDS = (names.GITHUB,)
STATES = {
    "passing": colors.GREEN,
    "failing": colors.RED,
    "running": colors.AMBER,
    "behind": colors.AMBER,
    "unknown": colors.GREY,
}


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


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    github = ctx.view("GitHub")
    if github is None:
        return no_data(ctx, "GitHub")
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, now = ctx.width, ctx.now
    state = build_state(github)
    light = STATES[state]
    latest = _sha(github.latest_commit) or PLACEHOLDER
    good = _sha(github.last_successful_commit) or PLACEHOLDER
    repo = text(github.repo, 100) or "GitHub"
    message = text(github.headline, 200) or PLACEHOLDER
    made = github.date
    age = age_label(max(0.0, (now - made).total_seconds())) if made else PLACEHOLDER
    age = age if age in ("now", PLACEHOLDER) else f"{age} ago"
    ttl = 60.0 if made else math.inf

    if not lay.tall:
        head = small if lay.wide else tiny
        fill(image, (0, 0, 6, 6), light)
        line_text(image, (8, 0, W - 8, head.height), repo, head, colors.GREY)
        line_text(image, (0, 9, 44, small.height), latest, small, colors.WHITE)
        line_text(
            image,
            (44, 10, W - 44, tiny.height),
            first_fit([age, age.split()[0]], tiny, W - 44),
            tiny,
            colors.SOFT,
            align="right",
        )
        ttl = min_ttl(
            ttl, line_text(image, (0, 17, W, small.height), message, small, colors.CYAN, now=now)
        )
        green_line = first_fit([f"last green {good}", f"ok {good}"], tiny, W)
        line_text(
            image, (0, 26, W, tiny.height), green_line, tiny, colors.dimmed(colors.GREEN, 0.8)
        )
    else:
        fill(image, (0, 1, 9, 9), light)
        line_text(image, (12, 0, W - 12, medium.height), state.capitalize(), medium, light)
        line_text(image, (0, 12, W, small.height), repo, small, colors.GREY)
        line_text(image, (0, 22, W, medium.height), latest, medium, colors.WHITE)
        room = W - medium.width(latest) - 3
        short_age = first_fit([age, age.split()[0]], small, room)
        line_text(
            image, (W - room, 23, room, small.height), short_age, small, colors.SOFT, align="right"
        )
        ttl = min_ttl(
            ttl, line_text(image, (0, 35, W, small.height), message, small, colors.CYAN, now=now)
        )
        label = first_fit([f"last green {good}", f"ok {good}"], small, W)
        line_text(image, (0, 48, W, small.height), label, small, colors.dimmed(colors.GREEN, 0.8))
        if lay.wide:
            line_text(
                image,
                (0, 57, W, tiny.height),
                "latest = last green" if state == "passing" else "",
                tiny,
                colors.DIM_TEXT,
            )
    return finish(ctx, image, KINDS, ttl)


PAGE = PageSpec(name="github", render=render, types=KINDS, title="GitHub")
