"""Pages as pure functions: they survive any input, stay in their frame, show
stale data as stale, and change exactly when their ttl says."""

from __future__ import annotations

import dataclasses
import logging
import math
import random
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image, ImageChops

from glanceboard.payloads import rewrite
from matrix_client.pages import registry
from matrix_client.pages.base import PageContext, PageSettings
from matrix_client.pages.samples import NOW, SETTINGS, SIZES, STARTED, context
from tests.legacy_samples import legacy

# The generic page belongs to the client core and has its own tests.
PAGES = sorted(p for p in registry() if p != "generic")
KINDS = ("Weather", "AQI", "Moon", "Calendar", "Events", "GitHub", "MLB", "NFL", "Demo-Server")
HUGE = "W" * 100_000


def _garbage(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON-like value: wrong types, nulls, huge strings, deep nesting."""
    choices = [
        None,
        True,
        0,
        -1,
        1e308,
        float("nan"),
        float("inf"),
        "",
        "x",
        HUGE,
        "\x00\x1b[31m",
        "\u2603 snow \U0001f600",
        "2026-13-45T99:99:99",
        "11/26/2026 4:55 PM -0500",
        [],
        {},
    ]
    if depth < 3:
        choices += [
            [_garbage(rng, depth + 1) for _ in range(rng.randint(0, 4))],
            {k: _garbage(rng, depth + 1) for k in rng.sample(FIELDS, rng.randint(0, 6))},
        ]
    return rng.choice(choices)


# Field names the pages read, so random dicts hit the real code paths.
FIELDS = [
    "current",
    "forecast",
    "hourly",
    "temp",
    "fl",
    "humid",
    "windDir",
    "windSpeed",
    "windGust",
    "desc",
    "dn",
    "wid",
    "nwid",
    "date",
    "day",
    "hi",
    "lo",
    "pop",
    "time",
    "aqi_score",
    "aqi_adjective",
    "color",
    "main_pollutant",
    "phase",
    "illumstr",
    "sunevent",
    "moonevent",
    "latest_commit",
    "last_successful_commit",
    "commit_message",
    "status",
    "repo",
    "events",
    "away",
    "home",
    "team",
    "score",
    "inning",
    "half",
    "outs",
    "bases",
    "state",
    "detail",
    "period",
    "clock",
    "possession",
    "start",
    "venue",
    "message",
]


def _envelope(kind: str, values: Any, valid: Any = None) -> dict:
    return {
        "type": kind,
        "values": values,
        "updated": (NOW - timedelta(minutes=3)).isoformat(),
        "valid": valid if valid is not None else (NOW + timedelta(hours=1)).isoformat(),
    }


def _assert_frame(page: str, ctx: PageContext) -> None:
    frame = registry()[page].render(ctx)
    assert isinstance(frame.image, Image.Image)
    assert frame.image.size == ctx.size, (page, ctx.size)
    assert frame.image.mode == "RGB"
    assert frame.ttl > 0 and not math.isnan(frame.ttl), (page, frame.ttl)


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL)


@pytest.mark.parametrize("page", PAGES)
def test_page_survives_garbage_at_every_size(page: str) -> None:
    rng = random.Random(f"garbage-{page}")
    for size in SIZES:
        for _ in range(40):
            state: dict[str, Any] = {
                kind: _envelope(kind, _garbage(rng), valid=rng.choice([None, 5, "soon", ""]))
                for kind in KINDS
                if rng.random() < 0.8
            }
            if rng.random() < 0.2:
                state["Weather"] = rng.choice(["not an envelope", 7, None, []])
            settings = PageSettings(
                favorite_mlb=tuple(rng.sample(["BOS", "", "x" * 50], 2)),
                garbage_weekday=rng.choice([None, 0, 3, 6]),
                wifi_qr=rng.choice([None, "", "WIFI:S:x;;", "x" * 5000, "\u00e9\u00e8"]),
                clock_24h=rng.random() < 0.5,
            )
            ctx = PageContext(
                state=state,
                now=NOW,
                width=size[0],
                height=size[1],
                settings=settings,
                started=rng.choice([None, STARTED, NOW]),
            )
            _assert_frame(page, ctx)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("values", [None, [], {}, "", 0, HUGE, [None] * 50, [[]] * 50, {"": {}}])
def test_page_survives_wrong_shapes(page: str, values: Any) -> None:
    state = {kind: _envelope(kind, values) for kind in KINDS}
    for size in SIZES:
        _assert_frame(
            page,
            PageContext(
                state=state,
                now=NOW,
                width=size[0],
                height=size[1],
                settings=SETTINGS,
                started=STARTED,
            ),
        )


@pytest.mark.parametrize("page", PAGES)
def test_page_is_pure(page: str) -> None:
    """Same state, time and size: same pixels (nothing kept between renders)."""
    for size in SIZES:
        first = registry()[page].render(context("", size)).image
        registry()[page].render(context("long", size))  # something else in between
        again = registry()[page].render(context("", size)).image
        assert ImageChops.difference(first, again).getbbox() is None, (page, size)


DATA_PAGES = [p for p in PAGES if set(registry()[p].types) - {"*"}]


@pytest.mark.parametrize("page", DATA_PAGES)
def test_stale_data_is_drawn_dimmer_and_no_data_differs(page: str) -> None:
    for size in SIZES:
        fresh = registry()[page].render(context("", size)).image
        stale = registry()[page].render(context("stale", size)).image
        empty = registry()[page].render(context("nodata", size)).image
        assert _brightness(stale) < 0.75 * _brightness(fresh), (page, size)
        assert ImageChops.difference(fresh, empty).getbbox() is not None


@pytest.mark.parametrize("page", DATA_PAGES)
def test_ttl_ends_no_later_than_the_data_goes_stale(page: str) -> None:
    ctx = context("", (128, 64))
    stale_in = min(
        (datetime_of(ctx.state[k]["valid"]) - NOW).total_seconds()
        for k in registry()[page].types
        if k in ctx.state
    ) + ctx.settings.stale_grace
    assert registry()[page].render(ctx).ttl <= stale_in + 1e-6


def datetime_of(text: str):
    from glanceboard.timefmt import parse_time

    return parse_time(text)


def _brightness(image: Image.Image) -> float:
    return sum(image.convert("L").tobytes()) / (image.width * image.height)


def test_clock_ttl_is_time_to_next_second_and_picture_changes() -> None:
    spec = registry()["clock"]
    now = NOW + timedelta(microseconds=250_000)
    frame = spec.render(PageContext(state={}, now=now, width=64, height=32))
    assert frame.ttl == pytest.approx(0.75)
    later = spec.render(PageContext(state={}, now=now + timedelta(seconds=1), width=64, height=32))
    assert ImageChops.difference(frame.image, later.image).getbbox() is not None


def test_marquee_moves_with_time_and_reports_its_next_step() -> None:
    """A title too long for 64 px scrolls: the picture at t and t+1 s differ; ttl is short."""
    spec = registry()["events"]
    base = context("long", (64, 32))
    frames = [
        spec.render(PageContext(**{**base.__dict__, "now": NOW + timedelta(seconds=s)}))
        for s in (0, 1)
    ]
    assert frames[0].ttl < 1.0
    assert ImageChops.difference(frames[0].image, frames[1].image).getbbox() is not None


def test_garbage_night_alert_only_on_its_day() -> None:
    spec = registry()["calendar"]
    tonight = spec.render(context("", (64, 64))).image  # sample: Thursday, garbage day 3
    other = PageContext(
        **{**context("", (64, 64)).__dict__, "settings": PageSettings(garbage_weekday=0)}
    )
    not_tonight = spec.render(other).image
    green = (60, 200, 90)
    assert _count(tonight, green) > 20
    assert _count(not_tonight, green) < _count(tonight, green)


def _count(image: Image.Image, color: tuple[int, int, int]) -> int:
    raw = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3) if tuple(raw[i : i + 3]) == color)


def test_games_cycle_without_a_favourite_and_stick_to_it_with_one() -> None:
    spec = registry()["mlb"]
    plain = PageSettings()
    pictures = set()
    for step in range(3):
        ctx = PageContext(
            **{
                **context("", (128, 32)).__dict__,
                "settings": plain,
                "now": NOW + timedelta(seconds=10 * step),
            }
        )
        frame = spec.render(ctx)
        assert frame.ttl <= 10
        pictures.add(frame.image.tobytes())
    assert len(pictures) == 3  # three games, three pictures
    favourite = [
        spec.render(
            PageContext(
                **{**context("", (128, 32)).__dict__, "now": NOW + timedelta(seconds=10 * s)}
            )
        )
        for s in range(3)
    ]
    assert len({f.image.tobytes() for f in favourite}) == 1
    assert favourite[0].ttl > 10  # no cycling: only the data's staleness limits it


def test_uptime_square_per_producer_colored_by_age() -> None:
    spec = registry()["uptime"]
    ctx = context("", (128, 64))
    fresh = {"Fresh-Server": _envelope("Fresh-Server", {"message": "Fresh started."})}
    old = {
        "Fresh-Server": {
            **fresh["Fresh-Server"],
            "updated": (NOW - timedelta(hours=20)).isoformat(),
        }
    }
    a = spec.render(PageContext(**{**ctx.__dict__, "state": fresh})).image
    b = spec.render(PageContext(**{**ctx.__dict__, "state": old})).image
    assert a.getpixel((1, 14)) != b.getpixel((1, 14))
    assert a.getpixel((1, 14))[1] > a.getpixel((1, 14))[0]  # fresh is green
    assert b.getpixel((1, 14))[0] > b.getpixel((1, 14))[1]  # old is red


@pytest.mark.parametrize("page", PAGES)
def test_a_naive_clock_counts_as_local_time(page: str) -> None:
    """The loop passes an aware time; a naive one must not break comparisons with envelopes."""
    ctx = context("", (64, 32))
    naive = PageContext(
        **{**ctx.__dict__, "now": NOW.replace(tzinfo=None), "started": STARTED.replace(tzinfo=None)}
    )
    _assert_frame(page, naive)


@pytest.mark.parametrize("page", PAGES)
def test_odd_panel_sizes_still_draw_a_frame(page: str) -> None:
    """Sizes outside the four classes (a single 32x16 panel, a 192x64 chain) fall into the
    nearest layout and never fail."""
    for size in [(32, 16), (96, 48), (192, 64), (256, 128), (1, 1)]:
        for case in ("", "long", "malformed"):
            _assert_frame(page, context(case, size))


def test_calendar_redraws_when_an_entry_ends() -> None:
    """The sample's first entry runs 17:30-21:00 that evening: the page must redraw by then."""
    ctx = context("", (128, 64))
    lasting = {**ctx.state["Calendar"], "valid": (NOW + timedelta(days=2)).isoformat()}
    ctx = PageContext(**{**ctx.__dict__, "state": {"Calendar": lasting}})
    frame = registry()["calendar"].render(ctx)
    assert frame.ttl == (NOW.replace(hour=21, minute=0, second=0) - NOW).total_seconds()


@pytest.mark.parametrize("page", DATA_PAGES)
def test_stale_style_waits_for_the_grace_past_valid(page: str) -> None:
    fresh_ctx = context("", (128, 64))

    def shifted(past_valid: float) -> Image.Image:
        # Every envelope's `valid` set to `past_valid` seconds before now.
        valid = (NOW - timedelta(seconds=past_valid)).isoformat()
        state = {k: {**v, "valid": valid} for k, v in fresh_ctx.state.items()}
        ctx = PageContext(state=state, now=NOW, width=128, height=64,
                          settings=fresh_ctx.settings, started=fresh_ctx.started)
        return registry()[page].render(ctx).image

    within = shifted(fresh_ctx.settings.stale_grace - 10)
    beyond = shifted(fresh_ctx.settings.stale_grace + 10)
    assert _brightness(beyond) < 0.75 * _brightness(within), page


def test_the_published_shape_draws_as_our_earlier_shape() -> None:
    """The sample state (our earlier shape) written by the payload models into the shape
    our producers publish now draws the same pixels on every page. Only Hourly differs,
    on purpose: the original's hourly temperatures are whole degrees (truncated)."""
    for size in SIZES:
        ctx = context("", size)
        published = {k: {**e, "values": rewrite(k, e)} for k, e in ctx.state.items()}
        again = dataclasses.replace(ctx, state=published)
        for name, spec in registry().items():
            if name in ("generic", "hourly"):
                continue
            before, after = spec.render(ctx).image, spec.render(again).image
            assert ImageChops.difference(before, after).getbbox() is None, (name, size)
    # And the original producers' own messages survive the round trip: same frames too.
    for name in ("MLB_live", "NFL_live", "Weather", "Events"):
        sample = legacy(name)
        kind = sample["type"]
        ctx = context("legacy", (128, 64))
        ctx = dataclasses.replace(ctx, state={kind: sample})
        again = dataclasses.replace(ctx, state={kind: {**sample, "values": rewrite(kind, sample)}})
        for spec in registry().values():
            if kind in spec.types:
                before, after = spec.render(ctx).image, spec.render(again).image
                assert ImageChops.difference(before, after).getbbox() is None, (name, spec.name)
