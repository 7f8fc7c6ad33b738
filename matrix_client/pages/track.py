"""Track: where a Garmin inReach last was: who, how long ago, position, speed and course.

Reads the ``Track`` view (glanceboard.payloads.track): the feed's zone-less
``Time`` is taken in the zone of the message's ``updated``. Without a valid GPS fix the
position is drawn grey. Drawn as a widget tree; what differs between panel
sizes is in ``layouts/track.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from glanceboard.payloads import names
from glanceboard.payloads.track import Track
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
    Picture,
    Row,
    Scene,
    Stack,
    Text,
    Widget,
)
from matrix_client.render.widgets.fit import first_wording
from matrix_client.render.widgets.tables import FontRole

KINDS = (names.TRACK,)
POSITION = (120, 200, 255)
_PX = {"min": 0, "max": 64}


@dataclass(frozen=True)
class Heights:
    """Px from each line's top to the next one's."""

    head: int = field(metadata=_PX)
    lat: int = field(metadata=_PX)  # the position line (both, with ``one_line``)
    lon: int = field(default=0, metadata=_PX)


@dataclass(frozen=True)
class TrackLayout:
    heights: Heights
    head_font: FontRole = "small"
    body_font: FontRole = "tiny"
    one_line: bool = False  # latitude and longitude on one line
    age_drop: int = field(default=1, metadata=_PX)  # who's line top to the age
    age_gap: int = field(default=2, metadata=_PX)
    fix_note: bool = False  # 'no GPS fix' at the foot when the fix is not valid


LAYOUT = page_table("track", TrackLayout)


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


def tree(ctx: PageContext) -> Scene:
    track = ctx.view(names.TRACK)
    if track is None:
        return Scene(Picture(no_data(ctx, "Track").image))
    lay = LAYOUT.for_size(ctx.size)
    heights = lay.heights
    who = text(track.first_name, 40) or "Track"
    # The view reads the feed's zone-less time in the zone of the message.
    since, since_ttl = since_label(track.time, ctx.now)
    where = colors.GREY if track.valid_fix is False else POSITION
    lat = coordinate(track.latitude, "N", "S")
    lon = coordinate(track.longitude, "E", "W")
    shown_age = first_wording([since, since.split()[0]], "tiny", colors.SOFT, align="right")
    head = Row(
        [Text(who, lay.head_font, colors.AMBER),
         Expand(Box(shown_age, padding=(0, lay.age_drop, 0, 0)))],
        gap=lay.age_gap,
    )
    lines: list[Widget] = [Box(head, height=heights.head)]
    if lay.one_line:
        lines.append(Box(Text(f"{lat} {lon}", lay.body_font, where), height=heights.lat))
    else:
        lines.append(Box(Text(lat, lay.body_font, where), height=heights.lat))
        lines.append(Box(Text(lon, lay.body_font, where), height=heights.lon))
    lines.append(Text(motion(track), lay.body_font, colors.WHITE))
    root: Widget = Column(lines, cross_align="stretch")
    if lay.fix_note and track.valid_fix is False:
        note = Box(Text("no GPS fix", "tiny", colors.GREY), valign="end")
        root = Stack([root, note], halign="stretch", valign="stretch")
    return Scene(root, since_ttl)  # right until the age reads otherwise


render = with_aware_times(tree_page(tree, kinds=KINDS))

PAGE = PageSpec(name="track", render=render, types=KINDS, title="Track")
