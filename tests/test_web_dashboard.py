"""The web dashboard in a real headless Chromium against a real API server and Valkey."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, expect

from glanceboard.timefmt import parse_time
from server.valkey import EmbeddedValkey
from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    PHONE,
    Tab,
    browser_context_fixture,
    chromium_fixture,
    envelope,
    filled_fixture,
    now_local,
    open_dashboard,
    playwright_driver_fixture,
    wait_for_js,
)
from tests.legacy_samples import legacy
from tests.servers import (
    API_TOKEN,
    AUTH,
    ApiProcess,
    SseClient,
    publish,
    publish_until_held,
    wait_until,
)


def tile(tab: Tab, kind: str):  # noqa: ANN201 - a Playwright Locator
    return tab.page.locator(f'section.tile[data-type="{kind}"]')


def test_page_loads_with_tiles_from_state(filled: ApiProcess,
                                          browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, filled.url + "/")
    page = tab.page
    expect(page).to_have_title("glanceboard")
    assert page.evaluate("document.documentElement.dataset.stream") == "shared-worker"
    expect(tile(tab, "Weather").locator('[data-field="temp"]')).to_have_text("45\u00b0")
    expect(tile(tab, "Weather").locator(".wx-day")).to_have_count(8)
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("42")
    expect(tile(tab, "AQI")).to_contain_text("Ozone")
    expect(tile(tab, "Moon").locator('[data-field="illumstr"]')).to_have_text("62.3%")
    expect(tile(tab, "Moon")).to_contain_text("04:31 PM")
    expect(tile(tab, "Calendar")).to_contain_text("Dentist")
    expect(tile(tab, "Events")).to_contain_text("School play")
    expect(tile(tab, "GitHub").locator('[data-field="ci"]')).to_have_text("CI passing")
    expect(tile(tab, "MLB")).to_contain_text("Top 6th")
    expect(tile(tab, "NFL")).to_contain_text("3rd 4:12")
    chip = page.locator('#servers li[data-type="Weather-Server"]')
    expect(chip).to_contain_text("Weather")
    expect(chip).to_have_attribute("data-recent", "true")
    expect(chip).to_have_attribute("title", "Weather started.")
    for kind in ("Weather", "AQI", "Moon", "Calendar", "Events", "GitHub", "MLB", "NFL"):
        expect(tile(tab, kind)).to_have_attribute("data-freshness", "fresh")
    expect(page.locator("#connection")).to_contain_text("Live")
    tab.assert_no_errors()


def test_update_appears_without_reload(valkey: EmbeddedValkey, filled: ApiProcess,
                                       browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, filled.url + "/")
    page = tab.page
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("42")
    page.evaluate("window.__sameDocument = true")
    later = now_local() + timedelta(seconds=5)
    publish(valkey.url, envelope("AQI", {"aqi_score": 157, "aqi_adjective": "Unhealthy",
                                         "color": "(255,0,0)", "main_pollutant": "PM2.5"},
                                 later))
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("157")
    expect(tile(tab, "AQI")).to_contain_text("Unhealthy")
    # A type never seen before gets a generic tile, in place too.
    publish(valkey.url, envelope("Track", {"title": "So What", "artist": "Miles Davis"}, later))
    expect(tile(tab, "Track")).to_contain_text("Miles Davis")
    # An older ts than the one held is dropped, here as on the server.
    publish(valkey.url, envelope("AQI", {"aqi_score": 5}, later - timedelta(minutes=5)))
    publish(valkey.url, envelope("Moon", {"phase": 50, "illumstr": "100.0%"}, later))
    expect(tile(tab, "Moon").locator('[data-field="illumstr"]')).to_have_text("100.0%")
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("157")
    assert page.evaluate("window.__sameDocument") is True
    tab.assert_no_errors()


def test_stale_and_fresh_follow_valid(valkey: EmbeddedValkey, api_server: ApiProcess,
                                      browser_context: BrowserContext) -> None:
    now = now_local()
    publish_until_held(valkey.url, api_server, [
        envelope("AQI", {"aqi_score": 12}, now - timedelta(hours=2),
                 valid_for=timedelta(hours=1)),
        envelope("Moon", {"phase": 10}, now, valid_for=timedelta(minutes=10)),
        envelope("Old-Server", {"message": "Old started."}, now - timedelta(hours=2)),
    ])
    # The page's clock is Playwright's, so the test can move it forward.
    browser_context.clock.install()
    tab = open_dashboard(browser_context, api_server.url + "/")
    expect(tile(tab, "AQI")).to_have_attribute("data-freshness", "stale")
    expect(tile(tab, "AQI").locator(".freshness")).to_contain_text("stale")
    old = tab.page.locator('#servers li[data-type="Old-Server"]')
    expect(old).to_have_attribute("data-recent", "false")
    expect(old).to_contain_text("2 h ago")
    # Fresh now, stale once its `valid` passes, with no new message.
    expect(tile(tab, "Moon")).to_have_attribute("data-freshness", "fresh")
    tab.page.clock.fast_forward("11:00")
    expect(tile(tab, "Moon")).to_have_attribute("data-freshness", "stale")
    expect(tile(tab, "Moon").locator(".freshness")).to_contain_text("stale")
    tab.assert_no_errors()


def test_malformed_payloads_show_placeholders(valkey: EmbeddedValkey, api_server: ApiProcess,
                                              browser_context: BrowserContext) -> None:
    now = now_local()
    odd: list[dict[str, Any]] = [
        envelope("Weather", {"current": "sunny", "forecast": [None, 3, {"hi": "x"}],
                             "hourly": {"a": 1}}, now),
        envelope("AQI", {"aqi_score": "lots", "color": "(999,0,0)"}, now),
        envelope("Moon", [1, 2, 3], now),
        envelope("Calendar", [None, ["Only a title"], [1, 2, 3], "text"], now),
        envelope("Events", 42, now),
        envelope("GitHub", {"latest_commit": {"sha": 1}, "date": "yesterday"}, now),
        envelope("MLB", {"games": "none"}, now),
        envelope("NFL", {"events": [None, {"away": 5, "home": {"score": "x"}}]}, now),
        envelope("Odd-Type", "just a string", now),
        # Valid type names that are also names of JavaScript object internals.
        envelope("constructor", {"a": "first"}, now),
        envelope("__proto__", {"b": "second"}, now),
    ]
    publish_until_held(valkey.url, api_server, odd)
    tab = open_dashboard(browser_context, api_server.url + "/")
    expect(tile(tab, "Weather").locator('[data-field="temp"]')).to_have_text("\u2014")
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("\u2014")
    expect(tile(tab, "Moon").locator('[data-field="illumstr"]')).to_have_text("\u2014")
    expect(tile(tab, "Calendar")).to_contain_text("Only a title")
    expect(tile(tab, "Events")).to_contain_text("No events")
    expect(tile(tab, "GitHub")).to_contain_text("CI unknown")
    expect(tile(tab, "MLB")).to_contain_text("No games today")
    # The server's view drops the entry that is not a game, as the panel's pages do.
    expect(tile(tab, "NFL").locator("li.game")).to_have_count(1)
    expect(tile(tab, "Odd-Type")).to_contain_text("just a string")
    expect(tile(tab, "constructor")).to_contain_text("first")
    expect(tile(tab, "constructor").locator("h2")).to_have_text("constructor")
    expect(tile(tab, "__proto__")).to_contain_text("second")
    tab.assert_no_errors()


def test_time_formats_parse_like_the_server(api_server: ApiProcess,
                                            browser_context: BrowserContext) -> None:
    samples = [
        "2026-11-26T16:55:08-05:00",
        "2026-11-26T21:55:08Z",
        "2026-11-26T16:55:08.250+01:30",
        "2026-11-26T16:55:08",
        "2026-11-26",
        "11/26/2026 4:55 PM -0500",
        "11/26/2026 4:55:09 AM -0500",
        "11/26/2026 12:05 AM +0000",
        "1/2/2026 12:30 PM",
        "11/26/2026 13:55 PM -0500",
        "2026-02-30T10:00:00Z",
        "yesterday",
        "",
    ]
    tab = open_dashboard(browser_context, api_server.url + "/")
    got = tab.page.evaluate(
        """async (samples) => {
            const { parseTime } = await import("/timefmt.js");
            return samples.map((s) => parseTime(s));
        }""",
        samples,
    )
    for text, ms in zip(samples, got, strict=True):
        try:
            expected: int | None = round(parse_time(text).timestamp() * 1000)
        except ValueError:
            expected = None
        assert ms == expected, f"{text!r}: browser {ms}, server {expected}"
    tab.assert_no_errors()


def test_phone_layout_has_no_sideways_scroll(filled: ApiProcess,
                                             browser_context: BrowserContext) -> None:
    httpx.put(f"{filled.url}/displays/a-rather-long-display-name-in-the-hall",
              json={"width": 128, "height": 64, "page": "forecast", "brightness": 100},
              headers={"Authorization": f"Bearer {API_TOKEN}"}).raise_for_status()
    tab = open_dashboard(browser_context, filled.url + "/")
    expect(tab.page.locator("#displays-rows tr")).to_have_count(1)
    expect(tile(tab, "Weather").locator('[data-field="temp"]')).to_have_text("45\u00b0")
    # A small phone, a common phone, a tablet held upright.
    for width in (320, PHONE["width"], 768):
        tab.page.set_viewport_size({"width": width, "height": PHONE["height"]})
        widths = tab.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"page is {widths[0]}px wide on a {widths[1]}px screen"
    tab.page.set_viewport_size(PHONE)
    box = tab.page.locator("button[data-command='pp']").bounding_box()
    assert box is not None and box["height"] >= 40, "buttons must be big enough for a thumb"
    tab.assert_no_errors()


def _control_events(sse: SseClient, command: str) -> dict[str, Any]:
    event = sse.wait_for(lambda e: e.event == "update" and '"webcontrol"' in e.data
                         and json.loads(e.data).get("command") == command, timeout=10)
    return json.loads(event.data)


def test_control_clicks_reach_an_sse_client(filled: ApiProcess,
                                            browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, filled.url + "/")
    page = tab.page
    with SseClient(filled.url + "/events") as sse:
        # The server wants a token: the page asks once, then keeps it.
        page.click("button[data-command='fwd']")
        expect(page.locator("#token-dialog")).to_be_visible()
        page.fill("#token-input", API_TOKEN)
        page.click("#token-dialog button[value='save']")
        assert _control_events(sse, "fwd")["args"] == {}
        expect(page.locator("#control-status")).to_contain_text("Sent fwd")
        assert page.evaluate("localStorage.getItem('glanceboard.controlToken')") == API_TOKEN

        for command in ("pp", "rew", "out", "reload"):
            page.click(f"button[data-command='{command}']")
            assert _control_events(sse, command)["args"] == {}
        expect(page.locator("#token-dialog")).to_be_hidden()

        page.locator("#brightness").fill("35")  # a range input: sets it and fires change
        assert _control_events(sse, "brightness")["args"] == {"value": 35}

        page.locator("#page-select").select_option("clock")
        page.click("#page-form button[type='submit']")
        assert _control_events(sse, "page")["args"] == {"name": "clock"}

        page.fill("#notify-text", "Dinner is ready")
        page.fill("#notify-seconds", "12")
        page.click("#notify-form button[type='submit']")
        assert _control_events(sse, "notify")["args"] == {"text": "Dinner is ready",
                                                          "seconds": 12}
        # The page saw it come back over its own stream, and shows the notice and its level.
        toast = page.locator("#toast")
        expect(toast).to_contain_text("Dinner is ready")
        expect(toast).to_have_attribute("data-level", "info")
        expect(page.locator("#control-history li").first).to_contain_text("Dinner is ready")

        page.fill("#notify-text", "Front door open")
        page.fill("#notify-seconds", "300")
        page.locator("#notify-level").select_option("critical")
        page.locator("#notify-icon").select_option("trash")
        page.check("#notify-blink")
        page.click("#notify-form button[type='submit']")
        assert _control_events(sse, "notify")["args"] == {
            "text": "Front door open", "seconds": 300, "level": "critical", "icon": "trash",
            "blink": True}
        expect(toast).to_have_attribute("data-level", "critical")  # interrupts at once
        expect(toast).to_contain_text("Front door open")
        expect(toast.locator(".level")).to_have_text("critical")
        expect(page.locator("#control-history li").first).to_contain_text("critical")

        page.click("button[data-command='dismiss']")
        assert _control_events(sse, "dismiss")["args"] == {}
    # Acknowledged: the info it interrupted comes back.
    expect(toast).to_have_attribute("data-level", "info")
    expect(toast).to_contain_text("Dinner is ready")
    tab.assert_no_errors()


def test_control_errors_are_shown(filled: ApiProcess, browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, filled.url + "/")
    page = tab.page
    page.evaluate("localStorage.setItem('glanceboard.controlToken', 'wrong')")
    page.click("button[data-command='pp']")
    expect(page.locator("#token-note")).to_contain_text("refused")
    page.fill("#token-input", "still wrong")
    page.click("#token-dialog button[value='save']")
    expect(page.locator("#control-status")).to_contain_text("refused that token")
    expect(page.locator("#control-status")).to_have_attribute("data-kind", "error")
    # A bad body gets the server's 400 message, word for word.
    page.evaluate("(token) => localStorage.setItem('glanceboard.controlToken', token)",
                  API_TOKEN)
    # Longer than the server takes (a script may set what the input's maxlength stops).
    page.evaluate("document.getElementById('notify-text').value = 'x'.repeat(2000)")
    page.fill("#notify-seconds", "5")
    page.click("#notify-form button[type='submit']")
    expect(page.locator("#control-status")).to_contain_text("Not sent: 400")
    # Cancelled token prompt: nothing is sent, and the page says so.
    page.evaluate("localStorage.removeItem('glanceboard.controlToken')")
    page.click("button[data-command='out']")
    page.click("#token-dialog button[value='cancel']")
    expect(page.locator("#control-status")).to_contain_text("needs a control token")
    tab.assert_no_errors()


def test_stream_recovers_after_an_api_restart(valkey: EmbeddedValkey, filled: ApiProcess,
                                              browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, filled.url + "/")
    page = tab.page
    filled.stop()
    wait_for_js(page, "document.documentElement.dataset.connection === 'reconnecting'")
    expect(page).to_have_title("glanceboard (reconnecting)")
    expect(page.locator("#connection")).to_contain_text("Reconnecting")
    filled.start(port=filled.port)
    filled.wait_ready()
    wait_for_js(page, "document.documentElement.dataset.connection === 'live'", timeout=40)
    expect(page).to_have_title("glanceboard")
    publish(valkey.url, envelope("AQI", {"aqi_score": 88, "aqi_adjective": "Moderate"},
                                 now_local() + timedelta(seconds=30)))
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("88")
    tab.assert_no_errors()



def test_tiles_show_the_original_producers_messages(valkey: EmbeddedValkey,
                                                   api_server: ApiProcess,
                                                   browser_context: BrowserContext) -> None:
    """The original producers' samples, as they publish them, on every tile: the server
    hands each tile the view of its type (GET /view/{type}) in one shape."""
    samples = [legacy(name) for name in ("Weather", "AQI", "Moon", "Calendar", "Events",
                                         "GitHub", "MLB_live", "NFL_live", "Weather-Server")]
    for sample in samples:
        publish(valkey.url, sample, store=True)
    wanted = {s["type"] for s in samples}
    wait_until(lambda: wanted <= set(api_server.get("/state").json()["state"]), 10,
               what="the API server holds every sample")
    events = api_server.get("/view/Events").json()["values"]
    # The view, not the raw list: each family event at its next occurrence, all that day.
    ryan = next(e for e in events if e[0].startswith("Ryan's"))
    assert re.fullmatch(r"Ryan's \d+th Birthday", ryan[0])
    assert date.fromisoformat(ryan[2]) - date.fromisoformat(ryan[1]) == timedelta(days=1)
    tab = open_dashboard(browser_context, api_server.url + "/")
    expect(tile(tab, "Weather").locator('[data-field="temp"]')).to_have_text("79\u00b0")
    expect(tile(tab, "Weather").locator(".wx-day")).to_have_count(8)
    expect(tile(tab, "AQI").locator('[data-field="aqi_score"]')).to_have_text("57")
    expect(tile(tab, "AQI")).to_contain_text("Moderate")
    expect(tile(tab, "Moon").locator('[data-field="illumstr"]')).to_have_text("46.9%")
    expect(tile(tab, "Moon")).to_contain_text("07:14 PM")
    expect(tile(tab, "Calendar")).to_contain_text("JSD Talking")
    expect(tile(tab, "Events")).to_contain_text(ryan[0])
    expect(tile(tab, "GitHub")).to_contain_text("keep publishing when the situation")
    expect(tile(tab, "GitHub").locator('[data-field="ci"]')).to_have_text("CI failing")
    mlb = tile(tab, "MLB")
    expect(mlb).to_contain_text("Bot 7th")
    expect(mlb).to_contain_text("NYY")
    expect(mlb.locator(".game.live").first).to_contain_text("4")
    nfl = tile(tab, "NFL")
    expect(nfl).to_contain_text("2nd & 7 MIA 34")
    expect(nfl).to_contain_text("NE")
    expect(nfl.locator(".possession")).to_contain_text("NE")
    expect(tab.page.locator('#servers li[data-type="Weather-Server"]')).to_have_attribute(
        "title", "OWMServer started.")
    tab.assert_no_errors()


def test_displays_are_listed_and_a_command_can_target_one(filled: ApiProcess,
                                                          browser_context: BrowserContext
                                                          ) -> None:
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    for display, report in (("kitchen", {"width": 64, "height": 32, "page": "clock",
                                         "brightness": 80, "backend": "panel"}),
                            ("hall", {"width": 128, "height": 64, "page": "moon"})):
        httpx.put(f"{filled.url}/displays/{display}", json=report,
                  headers=auth).raise_for_status()
    tab = open_dashboard(browser_context, filled.url + "/")
    page = tab.page
    rows = page.locator("#displays-rows tr")
    expect(rows).to_have_count(2)
    kitchen = page.locator("#displays-rows tr[data-display='kitchen'] td")
    expect(kitchen).to_have_text(["64\u00d732", "clock", "80 %", re.compile(r"\d"), "online"])
    hall = page.locator("#displays-rows tr[data-display='hall'] td")
    expect(hall).to_have_text(["128\u00d764", "moon", "\u2014", re.compile(r"\d"), "online"])
    expect(page.locator("#displays-caption")).to_have_text("2 of 2 online")

    page.evaluate("(token) => localStorage.setItem('glanceboard.controlToken', token)",
                  API_TOKEN)
    with SseClient(filled.url + "/events") as sse:
        page.locator("#control-target").select_option("kitchen")
        page.click("button[data-command='fwd']")
        assert _control_events(sse, "fwd")["display"] == "kitchen"
        page.locator("#control-target").select_option("")
        page.click("button[data-command='rew']")
        assert "display" not in _control_events(sse, "rew")
    tab.assert_no_errors()


def test_a_pushed_app_appears_on_the_dashboard_and_goes_when_deleted(
        filled: ApiProcess, browser_context: BrowserContext) -> None:
    """PUT /apps/{name} reaches an open dashboard through the stream, as it reaches the
    panels, and DELETE takes it off again."""
    tab = open_dashboard(browser_context, filled.url + "/")
    body = {"text": "Parcel at the front door", "color": "#ffb030", "progress": 40,
            "lifetime": 600}
    answer = httpx.put(f"{filled.url}/apps/doorbell", json=body, headers=AUTH, timeout=5)
    assert answer.status_code == 200, answer.text
    app = tile(tab, "Apps").locator('li.app[data-app="doorbell"]')
    expect(app).to_contain_text("Parcel at the front door")
    expect(app.locator(".app-gone")).to_have_text("gone in 10 min")
    expect(app.locator(".app-bar span")).to_have_attribute("style", re.compile("width: 40%"))
    # A tile first made by this message has its age at once, not at the next 5 s tick.
    expect(tile(tab, "Apps")).to_have_attribute("data-freshness", "fresh", timeout=1500)
    answer = httpx.delete(f"{filled.url}/apps/doorbell", headers=AUTH, timeout=5)
    assert answer.status_code in (200, 204), answer.text
    expect(app).to_have_count(0)
    expect(tile(tab, "Apps")).to_contain_text("No apps showing")
    tab.assert_no_errors()
