"""The apps page: the cards pushed with ``PUT /apps/{name}``, one at a time, in turn.

Which app shows is a function of the clock: the live apps (not yet expired at
``now``, in name order) take turns of their own ``duration``, counted from the
Unix epoch, so every display shows the same app at the same moment and goldens
are deterministic. An expired app is gone at its expiry, before the server's
pruned set arrives. An animated GIF shows the frame of ``now`` in its loop (also
counted from the epoch); the ttl is the time to the next frame, the next switch
or the next expiry, whichever is first. Layout per size class: layouts/apps.toml.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

from glanceboard.payloads import names
from glanceboard.payloads.apps import MAX_APPS, App, Apps
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import with_aware_times
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.app_image import MIN_FRAME_MS, AppImage, ImageError, decode_image
from matrix_client.render.widgets import (
    BarChart,
    Box,
    Column,
    Expand,
    Icon,
    Marquee,
    Picture,
    ProgressBar,
    Row,
    Scene,
    Sparkline,
    Text,
    Widget,
)
from matrix_client.render.widgets.tables import FontRole


@dataclass(frozen=True)
class AppsLayout:
    icon: int = field(metadata={"min": 8, "max": 64})
    text_font: FontRole = "small"
    lines_font: FontRole = "tiny"
    max_lines: int = field(default=3, metadata={"min": 1, "max": 4})
    gap: int = field(default=2, metadata={"min": 0, "max": 8})
    padding: int = field(default=1, metadata={"min": 0, "max": 8})
    chart_height: int = field(default=7, metadata={"min": 3, "max": 32})
    bar_height: int = field(default=2, metadata={"min": 1, "max": 6})
    stacked: bool = False  # picture above the text (narrow, tall panels)


LAYOUT = page_table("apps", AppsLayout)


@functools.lru_cache(maxsize=MAX_APPS)
def picture_of(data: str) -> AppImage | None:
    """The decoded image (one decode per distinct image, bounded like the server's).
    One per live app at most: a 128x64 GIF of 32 frames is 1 MiB decoded, and most app
    pictures are a few KiB."""
    try:
        return decode_image(data)
    except ImageError:
        return None  # not from our server (it refuses these): the page draws a placeholder


def turn(apps: tuple[App, ...], now_ms: int) -> tuple[App, float]:
    """The app whose turn it is at ``now_ms`` and the seconds until the next turn."""
    total = sum(app.duration for app in apps) * 1000
    into = now_ms % total
    for app in apps:
        length = app.duration * 1000
        if into < length:
            return app, (length - into) / 1000
        into -= length
    return apps[-1], apps[-1].duration  # not reached: into < total


def _visual(app: App, lay: AppsLayout, now_ms: int) -> tuple[Widget | None, float]:
    if app.image is not None:
        decoded = picture_of(app.image)
        if decoded is None:
            return Icon("unknown", lay.icon), math.inf
        frame, ttl = decoded.frame_at(now_ms)
        # Never sooner than the render loop's frame budget (20 frames a second).
        return Picture(frame), max(ttl, MIN_FRAME_MS / 1000)
    if app.icon is not None:
        return Icon(app.icon, lay.icon), math.inf
    return None, math.inf


def _words(app: App, lay: AppsLayout) -> list[Widget]:
    color = app.color or colors.WHITE
    if app.lines:
        return [Text(line, lay.lines_font, color) for line in app.lines[: lay.max_lines]]
    if app.text:
        align = "center" if lay.stacked else "left"
        return [Marquee(app.text, lay.text_font, color, align=align)]
    return []


def _extras(app: App, lay: AppsLayout) -> list[Widget]:
    out: list[Widget] = []
    chart = app.chart
    if chart is not None:
        color = chart.color or colors.CYAN
        if chart.kind == "bars":
            numbers = [v for v in chart.values if v is not None]
            low = min(0.0, *numbers) if numbers else 0.0
            out.append(BarChart(list(chart.values), color, bar=2, height=lay.chart_height,
                                low=low))
        else:
            out.append(Sparkline(list(chart.values), color, height=lay.chart_height))
    if app.progress is not None:
        out.append(ProgressBar(app.progress / 100, app.progress_color or colors.GREEN,
                               height=lay.bar_height))
    return out


def card(app: App, lay: AppsLayout, now_ms: int) -> tuple[Widget, float]:
    """One app's card and how long its picture stays right (an animation's next frame)."""
    visual, ttl = _visual(app, lay, now_ms)
    body: list[Widget] = [*_words(app, lay), *_extras(app, lay)]
    if lay.stacked:
        top = [Row([visual], main_align="center")] if visual is not None else []
        inner: Widget = Column([*top, *body], gap=lay.gap, cross_align="stretch",
                               main_align="space_evenly")
    else:
        text = Column(body, gap=1, cross_align="stretch", main_align="space_evenly")
        inner = Row([visual, Expand(text)] if visual is not None else [Expand(text)],
                    gap=lay.gap, cross_align="center")
    # Centred in the panel: a short card at the top of a tall panel reads as cut off.
    return Box(inner, padding=lay.padding, background=app.background, valign="center"), ttl


def empty(lay: AppsLayout) -> Widget:
    return Column([Text("Apps", lay.text_font, colors.AMBER, align="center"),
                   Text("none live", lay.lines_font, colors.GREY, align="center")],
                  gap=2, cross_align="stretch", main_align="center")


def live_apps(ctx: PageContext) -> tuple[App, ...]:
    held = ctx.view(names.APPS)
    return held.live(int(ctx.now.timestamp() * 1000)) if isinstance(held, Apps) else ()


def any_live(ctx: PageContext) -> bool:
    """The rotation skips the page while no app is live."""
    return bool(live_apps(ctx))


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    now_ms = int(ctx.now.timestamp() * 1000)
    live = live_apps(ctx)
    if not live:
        return Scene(empty(lay))
    app, until_turn = turn(live, now_ms)
    until_expiry = (min(a.expires for a in live) - now_ms) / 1000
    root, frame_ttl = card(app, lay, now_ms)
    return Scene(root, ttl=max(0.0, min(until_turn, until_expiry, frame_ttl)))


# Dimmed past `valid`: the server sets it at the latest expiry, so only a set that was
# not refreshed (the server away) ever dims.
PAGE = PageSpec("apps", with_aware_times(tree_page(tree, kinds=(names.APPS,))), (names.APPS,),
                "Apps", ready=any_live)
