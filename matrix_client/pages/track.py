"""Track: where a Garmin inReach last was: who, how long ago, position, speed and course.

Reads the ``Track`` view (glanceboard.payloads.track): the feed's zone-less
``Time`` is taken in the zone of the message's ``updated``. Without a valid GPS fix the
position is drawn grey.
"""

from __future__ import annotations

import math

from glanceboard.payloads import names
from glanceboard.payloads.track import Track
from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import (
    PLACEHOLDER,
    age_label,
    canvas,
    finish,
    first_fit,
    font,
    layout,
    no_data,
    text,
    with_aware_times,
)
from matrix_client.render import colors
from matrix_client.render.layout import line_text

KINDS = (names.TRACK,)
POSITION = (120, 200, 255)


def coordinate(value: float | None, positive: str, negative: str) -> str:
    """44.2705 -> '44.2705N'; None -> '--'."""
    if value is None:
        return PLACEHOLDER
    return f"{abs(value):.4f}{positive if value >= 0 else negative}"


def motion(track: Track) -> str:
    """'1.6 kn NNE' (speed in knots, course), or what is known of it."""
    speed = f"{track.velocity:.1f} kn" if track.velocity is not None else ""
    course = text(track.course, 3)
    return f"{speed} {course}".strip() or PLACEHOLDER


def age(track: Track, ctx: PageContext) -> str:
    """'5m ago' since the fix (the view reads the feed's zone-less time in the zone of
    the message)."""
    if track.time is None:
        return PLACEHOLDER
    label = age_label(max(0.0, (ctx.now - track.time).total_seconds()))
    return label if label == "now" else f"{label} ago"


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    track = ctx.view(names.TRACK)
    if track is None:
        return no_data(ctx, "Track")
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W = ctx.width
    who = text(track.first_name, 40) or "Track"
    since = age(track, ctx)
    where = colors.GREY if track.valid_fix is False else POSITION
    lat = coordinate(track.latitude, "N", "S")
    lon = coordinate(track.longitude, "E", "W")
    moving = motion(track)
    head = medium if lay.tall else small
    room = W - head.width(who) - 2
    shown_age = first_fit([since, since.split()[0]], tiny, max(0, room))
    line_text(image, (0, 0, W, head.height), who, head, colors.AMBER)
    line_text(image, (W - room, 1, room, tiny.height), shown_age, tiny, colors.SOFT,
              align="right")
    if not lay.tall:
        body = small if lay.wide else tiny
        if lay.wide:
            line_text(image, (0, 10, W, body.height), f"{lat} {lon}", body, where)
            line_text(image, (0, 20, W, body.height), moving, body, colors.WHITE)
        else:
            line_text(image, (0, 9, W, body.height), lat, body, where)
            line_text(image, (0, 16, W, body.height), lon, body, where)
            line_text(image, (0, 24, W, body.height), moving, body, colors.WHITE)
    else:
        body = medium if lay.wide else small
        line_text(image, (0, 14, W, body.height), lat, body, where)
        line_text(image, (0, 14 + body.height + 1, W, body.height), lon, body, where)
        y = 16 + 2 * (body.height + 1)
        line_text(image, (0, y, W, body.height), moving, body, colors.WHITE)
        if track.valid_fix is False:
            line_text(image, (0, ctx.height - tiny.height, W, tiny.height), "no GPS fix", tiny,
                      colors.GREY)
    ttl = 60.0 if track.time is not None else math.inf  # the age moves by the minute
    return finish(ctx, image, KINDS, ttl)


PAGE = PageSpec(name="track", render=render, types=KINDS, title="Track")
