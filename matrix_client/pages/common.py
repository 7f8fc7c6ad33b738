"""What every page needs: the size class, fonts, tolerant field reading,
the "no data yet" picture and the stale style.

Producers are trusted for nothing: every field may be missing, null, of the
wrong type or absurdly long. The readers here turn any of that into ``None``
(or a cleaned string) so pages draw a placeholder instead of raising.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PIL import Image

from glanceboard.payloads.read import number
from glanceboard.payloads.times import parse_any
from matrix_client.pages.base import PageContext, PageFrame
from matrix_client.render import colors
from matrix_client.render.fonts import Font, font_for
from matrix_client.render.text import clean

PLACEHOLDER = "--"


@dataclass(frozen=True)
class Layout:
    """The size class a page designs for: 64 or 128 wide, 32 or 64 tall."""

    width: int
    height: int

    @property
    def wide(self) -> bool:
        return self.width >= 128

    @property
    def tall(self) -> bool:
        return self.height >= 64

    @property
    def key(self) -> str:
        return f"{'wide' if self.wide else 'narrow'}-{'tall' if self.tall else 'short'}"


def layout(ctx: PageContext) -> Layout:
    return Layout(ctx.width, ctx.height)


def font(ctx: PageContext, role: str) -> Font:
    return font_for(role, ctx.settings.fonts)


def canvas(ctx: PageContext) -> Image.Image:
    return Image.new("RGB", (max(1, ctx.width), max(1, ctx.height)), colors.BLACK)


# ---- tolerant readers -------------------------------------------------------


num = number  # a finite number from an int, float or numeric string; else None


def whole(value: Any) -> int | None:
    """A number rounded to an int (display value), else None."""
    n = num(value)
    return None if n is None or abs(n) > 1e9 else int(round(n))


def text(value: Any, limit: int = 200) -> str:
    """A displayable single line from a string; anything else (numbers too) -> ''."""
    return clean(value, limit) if isinstance(value, str) else ""


def first_fit(candidates: Sequence[str], fnt: Font, width: int) -> str:
    """The first candidate that fits ``width`` px, else the last one (to be shortened)."""
    for candidate in candidates:
        if fnt.width(candidate) <= width:
            return candidate
    return candidates[-1] if candidates else ""


def fitting_font(value: str, fonts: Sequence[Font], width: int) -> Font:
    """The first (largest) font in which ``value`` fits ``width`` px, else the last."""
    for fnt in fonts:
        if fnt.width(value) <= width:
            return fnt
    return fonts[-1]


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def items(value: Any, limit: int = 200) -> Sequence[Any]:
    """A list's first ``limit`` entries; anything that is not a list -> []."""
    return value[:limit] if isinstance(value, list | tuple) else []


def when(value: Any) -> datetime | None:
    """An envelope-style time string (or epoch seconds/ms) -> aware datetime, else None."""
    return parse_any(value)


def local(moment: datetime, ctx: PageContext) -> datetime:
    """``moment`` in the display's time zone."""
    return moment.astimezone(ctx.now.tzinfo) if ctx.now.tzinfo else moment


# ---- freshness --------------------------------------------------------------


def stale_at(ctx: PageContext, envelope: Mapping[str, Any]) -> datetime | None:
    """When the envelope turns stale: its ``valid`` plus the grace (None: unreadable)."""
    valid = when(envelope.get("valid"))
    return None if valid is None else valid + timedelta(seconds=ctx.settings.stale_grace)


def is_stale(ctx: PageContext, kind: str) -> bool:
    """True when the envelope's ``valid`` time (plus grace) has passed, or cannot be read."""
    envelope = ctx.envelope(kind)
    if envelope is None:
        return False
    limit = stale_at(ctx, envelope)
    return limit is None or ctx.now >= limit


def until_stale(ctx: PageContext, kinds: Sequence[str]) -> float:
    """Seconds until the first of these envelopes goes stale (the picture changes then)."""
    best = math.inf
    for kind in kinds:
        envelope = ctx.envelope(kind)
        if envelope is None:
            continue
        limit = stale_at(ctx, envelope)
        if limit is not None and limit > ctx.now:
            best = min(best, (limit - ctx.now).total_seconds())
    return best


_HALF = [v // 2 for v in range(256)] * 3  # a lookup table per RGB band


def stale_style(image: Image.Image) -> Image.Image:
    """The pages' own stale look: the whole picture at half brightness."""
    return image.point(_HALF)


def finish(ctx: PageContext, image: Image.Image, kinds: Sequence[str], ttl: float) -> PageFrame:
    """Apply the stale style if any source is stale, and cap ttl at the next staleness."""
    if any(is_stale(ctx, kind) for kind in kinds):
        image = stale_style(image)
    return PageFrame(image, min(ttl, until_stale(ctx, kinds)))


def notice(ctx: PageContext, title: str, messages: Sequence[str]) -> Image.Image:
    """A title and a short grey message, centred: the first message that fits is used."""
    from matrix_client.pages.notice import notice_image  # a widget tree; it imports this module

    return notice_image(ctx, title, messages)


def no_data(ctx: PageContext, title: str) -> PageFrame:
    """The picture of a page whose data has not arrived yet."""
    return PageFrame(notice(ctx, title, ["no data yet", "no data"]), math.inf)


# ---- shared formats ---------------------------------------------------------


def degrees(value: Any) -> str:
    """47.3 -> '47°'; anything unreadable -> '--°'. Clamped to what a panel can show."""
    n = whole(value)
    if n is None or not -199 <= n <= 199:
        return PLACEHOLDER + "\u00b0"
    return f"{n}\u00b0"


def units_of(ctx: PageContext, kind: str) -> str:
    """What the numbers of ``kind``'s message are in: its own ``units`` field (the
    producer knows what it fetched), else the display's setting; "imperial" or "metric"."""
    own = getattr(ctx.view(kind), "units", None)
    if own is None:
        own = mapping(ctx.values(kind)).get("units")
    if own in ("imperial", "metric"):
        return own
    return "metric" if ctx.settings.metric else "imperial"


def speed_unit(units: str) -> str:
    return "km/h" if units == "metric" else "mph"


def temp_color(value: float | None, units: str, fallback: colors.Color = colors.GREY
               ) -> colors.Color:
    """The colour of a temperature in ``units``: the scale is in °F, so a °C reading is
    coloured as the same warmth."""
    if value is None:
        return fallback
    return colors.temp_color_in(value, units)


def percent(value: Any) -> str:
    n = whole(value)
    if n is None or not 0 <= n <= 100:
        return PLACEHOLDER + "%"
    return f"{n}%"


def hour_label(moment: datetime, ctx: PageContext) -> str:
    """'4p', '12a' (12-hour) or '16' (24-hour): short enough for a 16 px column."""
    if ctx.settings.clock_24h:
        return f"{moment.hour:02d}"
    return f"{moment.hour % 12 or 12}{'a' if moment.hour < 12 else 'p'}"


def clock_label(moment: datetime, ctx: PageContext) -> str:
    """'4:31 PM' or '16:31'."""
    if ctx.settings.clock_24h:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def min_ttl(*ttls: float) -> float:
    return min((t for t in ttls if t > 0), default=math.inf)


def age_label(seconds: float) -> str:
    """'now', '5m', '3h', '2d': compact age for tight panels."""
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{min(999, int(seconds // 86400))}d"


def age_label_ttl(seconds: float) -> float:
    """Seconds until ``age_label`` of an age that is ``seconds`` now reads otherwise (a
    negative age reads "now" until it is a minute)."""
    if seconds < 60:
        return 60 - seconds
    if seconds < 3600:
        return 60 - seconds % 60
    if seconds < 86400:
        return 3600 - seconds % 3600
    if seconds >= 999 * 86400:
        return math.inf  # "999d" for good
    return 86400 - seconds % 86400


def since_label(moment: datetime | None, now: datetime) -> tuple[str, float]:
    """("5m ago" or "now", seconds until it reads otherwise) for ``moment``; the
    placeholder for good when it is unknown."""
    if moment is None:
        return PLACEHOLDER, math.inf
    seconds = (now - moment).total_seconds()
    label = age_label(max(0.0, seconds))
    return (label if label == "now" else f"{label} ago"), age_label_ttl(seconds)


def with_aware_times(
    render: Callable[[PageContext], PageFrame],
) -> Callable[[PageContext], PageFrame]:
    """Decorate a page's render so that a naive ``now``/``started`` counts as local time.

    Envelope times are always aware; comparing them with a naive clock would raise.
    """

    @functools.wraps(render)
    def wrapper(ctx: PageContext) -> PageFrame:
        now, started = ctx.now, ctx.started
        if now.tzinfo is None or (started is not None and started.tzinfo is None):
            ctx = dataclasses.replace(
                ctx,
                now=now if now.tzinfo else now.astimezone(),
                started=started if started is None or started.tzinfo else started.astimezone(),
            )
        return render(ctx)

    return wrapper


def compact_degrees(value: Any, fnt: Font, width: int) -> str:
    """``degrees(value)``, without the degree sign when only that makes it fit ``width``."""
    full = degrees(value)
    return first_fit([full, full.rstrip("\u00b0")], fnt, width)
