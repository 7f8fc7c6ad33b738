"""12/24 h on every page that shows a time: the setting changes the picture, and a
time is written from its ISO field in the display's zone."""

from __future__ import annotations

import copy
import dataclasses
from zoneinfo import ZoneInfo

import pytest

from matrix_client.pages import get_page
from matrix_client.pages.base import PageContext
from matrix_client.pages.samples import context


def with_clock(ctx: PageContext, clock_24h: bool) -> PageContext:
    return dataclasses.replace(ctx, settings=dataclasses.replace(ctx.settings,
                                                                 clock_24h=clock_24h))


def frames(page: str, ctx: PageContext) -> tuple[bytes, bytes]:
    spec = get_page(page)
    return (spec.render(with_clock(ctx, False)).image.tobytes(),
            spec.render(with_clock(ctx, True)).image.tobytes())


@pytest.mark.parametrize(("page", "case", "size"), [
    ("clock", "", (64, 32)), ("clock", "", (128, 64)),
    ("hourly", "", (64, 32)), ("calendar", "", (64, 32)), ("calendar", "", (128, 64)),
    ("events", "", (128, 64)), ("moon", "", (64, 32)), ("moon", "", (128, 64)),
    ("moon", "legacy", (128, 64)), ("mlb", "legacy-pregame", (64, 32)),
    ("nfl", "legacy-week", (128, 32)),
])
def test_the_clock_setting_reaches_the_page(page: str, case: str, size: tuple[int, int]
                                            ) -> None:
    twelve, twenty_four = frames(page, context(case, size, page=page))
    assert twelve != twenty_four, f"{page} {case} {size} ignores clock_24h"


def moon_context(with_moments: bool) -> PageContext:
    ctx = context("", (128, 64))
    state = copy.deepcopy(dict(ctx.state))
    if with_moments:
        state["Moon"]["values"].update(sunevent_at="2026-11-26T16:31:00-05:00",
                                       moonevent_at="2026-11-26T13:12:00-05:00")
    return dataclasses.replace(ctx, state=state)


def test_a_moon_text_alone_still_follows_12_24h() -> None:
    """An older producer sends only 'Sunset:   04:31 PM': at 24 h it reads 16:31, as the
    same moment sent as ISO would."""
    text_only = frames("moon", moon_context(False))
    timed = frames("moon", moon_context(True))
    assert text_only == timed


def test_an_iso_time_is_shown_in_the_display_zone() -> None:
    ctx = moon_context(True)
    tokyo = dataclasses.replace(ctx, now=ctx.now.astimezone(ZoneInfo("Asia/Tokyo")))
    assert frames("moon", ctx)[1] != frames("moon", tokyo)[1]  # 16:31 New York is 06:31
