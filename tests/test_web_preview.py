"""The panel mirror: /preview/{page}.png renders the matrix client's pages from the API
server's state; the dashboard shows it live."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import BrowserContext, expect

from glanceboard.timefmt import parse_time
from matrix_client.pages import PageContext, PageSettings, get_page, registry
from server.preview import SIZES
from server.valkey import EmbeddedValkey
from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    browser_context_fixture,
    chromium_fixture,
    envelope,
    open_dashboard,
    playwright_driver_fixture,
    sample_envelopes,
)
from tests.servers import ApiProcess, publish, wait_until

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


def publish_state(valkey: EmbeddedValkey, api: ApiProcess, messages: list[dict[str, Any]]
                  ) -> dict[str, Any]:
    for message in messages:
        publish(valkey.url, message, store=True)
    wanted = {m["type"]: m["ts"] for m in messages}

    def held() -> dict[str, Any] | None:
        state = api.get("/state").json()["state"]
        ok = all(state.get(k, {}).get("ts") == ts for k, ts in wanted.items())
        return state if ok else None

    return wait_until(held, timeout=10, what="the API server holds the messages")


@pytest.fixture
def demo_state(valkey: EmbeddedValkey, api_server: ApiProcess) -> dict[str, Any]:
    return publish_state(valkey, api_server, sample_envelopes(parse_time(AT)))


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
])
def test_bad_requests_get_a_clear_400(api_server: ApiProcess, query: str,
                                      words: list[str]) -> None:
    response = api_server.get(query)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, f"{detail!r} lacks {word!r}"


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
    publish_state(valkey, api_server, [envelope("AQI", {"aqi_score": 187,
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
    page.wait_for_function("document.getElementById('mirror-img').naturalWidth === 128")

    # Pick a page that reads every type, then a smaller panel.
    page.locator("#mirror-page").select_option("generic")
    expect(img).to_have_attribute("data-page", "generic")
    page.locator("#mirror-size").select_option("64x32")
    expect(img).to_have_attribute("data-size", "64x32")
    page.wait_for_function("document.getElementById('mirror-img').naturalWidth === 64")

    # An update of a type the page reads brings a new picture, without a reload.
    first = img.get_attribute("src")
    publish(valkey.url, envelope("AQI", {"aqi_score": 151}, datetime.now().astimezone()))
    page.wait_for_function("(old) => document.getElementById('mirror-img').src !== old",
                           arg=first)
    # The choice survives a reload of the page.
    page.reload()
    expect(img).to_have_attribute("data-page", "generic")
    expect(img).to_have_attribute("data-size", "64x32")
    tab.assert_no_errors()
