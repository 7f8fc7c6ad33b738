"""The panel mirror: /preview/{page}.png renders the matrix client's pages from the API
server's state; the dashboard shows it live."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import BrowserContext, expect

from glanceboard.timefmt import parse_time
from matrix_client.pages import PageContext, PageSettings, get_page, golden, registry, samples
from matrix_client.pages.base import ERROR_TTL, PageSpec, error_frame
from server.preview import SIZES, render_png
from server.valkey import EmbeddedValkey
from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    browser_context_fixture,
    chromium_fixture,
    envelope,
    open_dashboard,
    playwright_driver_fixture,
    sample_envelopes,
    wait_for_js,
)
from tests.servers import (
    ApiProcess,
    publish,
    publish_until_held,
    running_api_server,
    wait_until,
)

AT = "2026-11-26T16:55:08-05:00"


def png(response: Any) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image.convert("RGB")


def differing_pixels(a: Image.Image, b: Image.Image) -> int:
    assert a.size == b.size, f"{a.size} != {b.size}"
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
    return a.width * a.height - diff.histogram()[0]


@pytest.fixture
def demo_state(valkey: EmbeddedValkey, api_server: ApiProcess) -> dict[str, Any]:
    return publish_until_held(valkey.url, api_server, sample_envelopes(parse_time(AT)))


def test_pages_lists_the_registry_and_sizes(api_server: ApiProcess) -> None:
    body = api_server.get("/preview/pages").json()
    assert [p["name"] for p in body["pages"]] == list(registry())
    assert body["sizes"] == list(SIZES)
    assert body["default_size"] in body["sizes"]
    for page in body["pages"]:
        assert page["types"] == list(get_page(page["name"]).types)


@pytest.mark.parametrize(("query", "words"), [
    ("/preview/no-such-page.png", ["unknown page 'no-such-page'", "clock"]),
    ("/preview/clock.png?size=100x20", ["unknown size '100x20'", "128x64"]),
    ("/preview/clock.png?size=big", ["unknown size 'big'"]),
    ("/preview/clock.png?scale=0", ["scale must be a whole number from 1 to 16"]),
    ("/preview/clock.png?scale=17", ["scale must be"]),
    ("/preview/clock.png?scale=two", ["scale must be"]),
    ("/preview/clock.png?at=soon", ["at:", "neither ISO 8601"]),
    ("/preview/clock.png?tz=Mars/Olympus", ["unknown time zone 'Mars/Olympus'"]),
    # The ends of the calendar used to raise OverflowError: a 500.
    ("/preview/clock.png?at=0001-01-01T00:00:00%2B05:00", ["at:", "outside the years"]),
    ("/preview/clock.png?at=0001-01-01T00:00:00-05:00&tz=UTC", ["at:", "1900-01-01"]),
    ("/preview/calendar.png?at=9999-12-31T23:59:59%2B14:00", ["at:", "3000-01-01"]),
    ("/preview/calendar.png?at=9999-12-31T23:59:59-05:00", ["at:", "outside the years"]),
    ("/preview/weather.png?at=9999-12-31T12:00:00Z&tz=Pacific/Kiritimati", ["at:"]),
])
def test_bad_requests_get_a_clear_400(api_server: ApiProcess, query: str,
                                      words: list[str]) -> None:
    response = api_server.get(query)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, f"{detail!r} lacks {word!r}"


def test_a_page_that_fails_answers_the_panels_error_frame_not_500() -> None:
    """A page that raises draws what the panel draws for it (the error card with its
    name), and the reason travels in ``X-Page-Error``; it never becomes a 500."""
    def broken(context: PageContext) -> Any:
        raise OverflowError("date value out of range\nsecond line")

    spec = PageSpec("broken", broken)
    context = PageContext(state={}, now=datetime(2026, 11, 26, tzinfo=UTC), width=64,
                          height=32)
    data, ttl, error = render_png(spec, context, 2)
    assert error == "OverflowError: date value out of range\nsecond line"
    assert ttl == ERROR_TTL
    image = Image.open(io.BytesIO(data)).convert("RGB")
    expected = error_frame(64, 32, "broken").image.resize((128, 64), Image.Resampling.NEAREST)
    assert differing_pixels(image, expected) == 0
    assert differing_pixels(image, error_frame(64, 32).image.resize((128, 64))) > 0


def test_every_page_renders_the_servers_state_with_the_pages_own_code(
        api_server: ApiProcess, demo_state: dict[str, Any]) -> None:
    now = parse_time(AT).astimezone(UTC)
    for name, spec in registry().items():
        for size in SIZES:
            width, height = (int(n) for n in size.split("x"))
            served = png(api_server.get(f"/preview/{name}.png",
                                        params={"size": size, "at": AT, "tz": "UTC"}))
            context = PageContext(state=demo_state, now=now, width=width, height=height,
                                  settings=PageSettings(), started=None, stream_ok=True)
            local = spec.render(context).image.convert("RGB")
            assert differing_pixels(served, local) == 0, f"{name} at {size} differs"


def test_the_picture_follows_the_state(valkey: EmbeddedValkey, api_server: ApiProcess,
                                       demo_state: dict[str, Any]) -> None:
    page = next((n for n, s in registry().items() if "*" in s.types or "AQI" in s.types), None)
    assert page is not None, "no page reads AQI"
    query = {"size": "128x64", "at": AT}
    before = png(api_server.get(f"/preview/{page}.png", params=query))
    later = parse_time(AT).replace(second=30)
    publish_until_held(valkey.url, api_server, [envelope("AQI", {"aqi_score": 187,
                                                        "aqi_adjective": "Unhealthy",
                                                        "color": "(255,0,0)"}, later)])
    after = png(api_server.get(f"/preview/{page}.png", params=query))
    assert differing_pixels(before, after) > 0


def test_scale_magnifies_by_nearest_neighbour(api_server: ApiProcess,
                                              demo_state: dict[str, Any]) -> None:
    base = png(api_server.get("/preview/clock.png", params={"size": "64x32", "at": AT}))
    assert base.size == (64, 32)
    for scale in (2, 5, 16):
        big = png(api_server.get("/preview/clock.png",
                                 params={"size": "64x32", "at": AT, "scale": scale}))
        assert big.size == (64 * scale, 32 * scale)
        expected = base.resize(big.size, Image.Resampling.NEAREST)
        assert differing_pixels(big, expected) == 0


def test_frozen_time_and_ttl_headers(api_server: ApiProcess) -> None:
    first = api_server.get("/preview/clock.png", params={"at": AT})
    second = api_server.get("/preview/clock.png", params={"at": AT})
    assert first.content == second.content, "the same state and time must give the same PNG"
    assert first.headers["x-page-time"] == "2026-11-26T16:55:08-05:00"
    assert 0 < float(first.headers["x-page-ttl"]) <= 60
    assert first.headers["cache-control"] == "no-store"
    other = api_server.get("/preview/clock.png", params={"at": "2026-11-26T18:20:00-05:00"})
    assert differing_pixels(png(first), png(other)) > 0


def test_dashboard_shows_the_mirror_live(valkey: EmbeddedValkey, api_server: ApiProcess,
                                         demo_state: dict[str, Any],
                                         browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, api_server.url + "/")
    page = tab.page
    img = page.locator("#mirror-img")
    expect(img).to_have_attribute("data-size", "128x64")
    wait_for_js(page, "document.getElementById('mirror-img').naturalWidth === 128")

    # Pick a page that reads every type, then a smaller panel.
    page.locator("#mirror-page").select_option("generic")
    expect(img).to_have_attribute("data-page", "generic")
    page.locator("#mirror-size").select_option("64x32")
    expect(img).to_have_attribute("data-size", "64x32")
    wait_for_js(page, "document.getElementById('mirror-img').naturalWidth === 64")

    # An update of a type the page reads brings a new picture, without a reload.
    first = img.get_attribute("src")
    publish(valkey.url, envelope("AQI", {"aqi_score": 151}, datetime.now().astimezone()))
    wait_for_js(page, "(old) => document.getElementById('mirror-img').src !== old", first)
    # The choice survives a reload of the page.
    page.reload()
    expect(img).to_have_attribute("data-page", "generic")
    expect(img).to_have_attribute("data-size", "64x32")
    tab.assert_no_errors()


# --- golden frames ------------------------------------------------------------------------
# The pages' golden frames (tests/golden/<W>x<H>/<page>[-<case>].png) are rendered from
# matrix_client.pages.samples at its frozen time. Here the same sample state goes through
# Valkey into a real API server configured with the same page settings, and /preview must
# give the golden pixels back.

# The Uptime page shows how long the *client* has run; the server cannot know that
# (preview renders it with no start time), so its goldens cannot match.
CLIENT_ONLY_PAGES = frozenset({"uptime"})


def settings_toml(settings: PageSettings) -> str:
    """The matrix client's [pages] table for ``settings`` (and the sample time zone)."""
    from matrix_client.config import WEEKDAYS

    def q(text: str) -> str:
        return json.dumps(text)  # a JSON string is a valid TOML basic string

    lines = [
        "[display]",
        f"timezone = {q(samples.ZONE.key)}",
        "[pages]",
        f"favorite_mlb = [{', '.join(q(t) for t in settings.favorite_mlb)}]",
        f"favorite_nfl = [{', '.join(q(t) for t in settings.favorite_nfl)}]",
        f"clock_24h = {'true' if settings.clock_24h else 'false'}",
        f"wifi_qr = {q(settings.wifi_qr or '')}",
        "garbage_day = "
        + q(WEEKDAYS[settings.garbage_weekday] if settings.garbage_weekday is not None else ""),
        "[pages.fonts]",
        *(f"{role} = {q(path)}" for role, path in settings.fonts.items()),
    ]
    return "\n".join(lines) + "\n"


def settings_groups() -> list[tuple[PageSettings, list[str]]]:
    """Sample cases grouped by their page settings ("nodata" first: it needs an empty
    server)."""
    groups: list[tuple[PageSettings, list[str]]] = []
    for case in sorted(samples.CASES, key=lambda c: c != "nodata"):
        settings = samples.settings_for(case)
        for known, cases in groups:
            if known == settings:
                cases.append(case)
                break
        else:
            groups.append((settings, [case]))
    return groups


GROUPS = settings_groups()


def test_preview_sizes_are_the_golden_sizes() -> None:
    assert [f"{w}x{h}" for w, h in samples.SIZES] == list(SIZES)


@pytest.mark.skipif(not golden.GOLDEN_DIR.is_dir(), reason="no golden frames in this tree")
@pytest.mark.parametrize("group", range(len(GROUPS)),
                         ids=["+".join(c or "normal" for c in cases) for _, cases in GROUPS])
def test_mirror_equals_the_golden_frames(valkey: EmbeddedValkey, tmp_path: Path,
                                         group: int) -> None:
    settings, cases = GROUPS[group]
    config = tmp_path / "client.toml"
    config.write_text(settings_toml(settings))
    with running_api_server(valkey.url, env={"GLANCEBOARD_CONFIG": str(config)}) as api:
        compared = 0
        for case in cases:
            state = samples.state_for(case)
            for message in state.values():
                publish(valkey.url, message)
            wait_until(lambda s=state: api.get("/state").json()["state"] == s, timeout=10,
                       what=f"the API server holds the {case or 'normal'} sample state")
            for frame in golden.goldens():
                if frame.case != case or frame.page in CLIENT_ONLY_PAGES:
                    continue
                path = golden.GOLDEN_DIR / frame.relative
                assert path.is_file(), f"{frame}: golden {path} is missing"
                served = png(api.get(f"/preview/{frame.page}.png", params={
                    "size": f"{frame.size[0]}x{frame.size[1]}",
                    "at": samples.NOW.isoformat()}))
                with Image.open(path) as stored:
                    expected = stored.convert("RGB")
                assert differing_pixels(served, expected) == 0, (
                    f"/preview/{frame.page}.png differs from the golden {frame}")
                compared += 1
        assert compared > 0, f"no goldens for cases {cases}"
