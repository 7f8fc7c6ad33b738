"""One stream per browser: tabs share one SSE connection, in a SharedWorker or, where
SharedWorker is missing, through a leader tab that hands over when it closes."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import BrowserContext, expect

from server.valkey import EmbeddedValkey
from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
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
from tests.servers import ApiProcess, publish, wait_until

CLIENTS = "glanceboard_api_sse_clients"
ACCEPTED = "glanceboard_api_sse_connections_total"


def score(tab: Tab):  # noqa: ANN201 - a Playwright Locator
    return tab.page.locator('section.tile[data-type="AQI"] [data-field="aqi_score"]')


def send_score(valkey: EmbeddedValkey, value: int, seconds: int) -> None:
    publish(valkey.url, envelope("AQI", {"aqi_score": value},
                                 now_local() + timedelta(seconds=seconds)))


def wait_metric(api: ApiProcess, name: str, value: float) -> None:
    wait_until(lambda: api.metric(name) == value, timeout=10,
               what=f"{name} == {value} (now {api.metric(name)})")


def mode(tab: Tab) -> str:
    return tab.page.evaluate("document.documentElement.dataset.stream")


def test_tabs_share_one_stream_through_a_shared_worker(
        valkey: EmbeddedValkey, filled: ApiProcess, browser_context: BrowserContext) -> None:
    tabs = [open_dashboard(browser_context, filled.url + "/") for _ in range(3)]
    assert [mode(tab) for tab in tabs] == ["shared-worker"] * 3
    for tab in tabs:
        expect(score(tab)).to_have_text("42")
    wait_metric(filled, CLIENTS, 1)
    assert filled.metric(ACCEPTED) == 1, "a tab opened a stream of its own"

    send_score(valkey, 77, 5)
    for tab in tabs:
        expect(score(tab)).to_have_text("77")

    # Closing tabs leaves the others on the same stream.
    tabs[0].page.close()
    tabs[1].page.close()
    send_score(valkey, 78, 10)
    expect(score(tabs[2])).to_have_text("78")
    assert filled.metric(CLIENTS) == 1
    assert filled.metric(ACCEPTED) == 1
    tabs[2].assert_no_errors()


def test_without_shared_worker_a_leader_tab_streams_and_hands_over(
        valkey: EmbeddedValkey, filled: ApiProcess, browser_context: BrowserContext) -> None:
    # A browser without SharedWorker (as some mobile browsers are).
    browser_context.add_init_script("delete window.SharedWorker;")
    leader = open_dashboard(browser_context, filled.url + "/")
    expect(leader.page.locator("html")).to_have_attribute("data-stream", "leader")
    follower = open_dashboard(browser_context, filled.url + "/")
    assert mode(follower) == "follower"
    # The follower got the whole state from the leader, not from a stream of its own.
    expect(score(follower)).to_have_text("42")
    wait_metric(filled, CLIENTS, 1)
    assert filled.metric(ACCEPTED) == 1

    send_score(valkey, 61, 5)
    expect(score(leader)).to_have_text("61")
    expect(score(follower)).to_have_text("61")

    # The leader goes away: the follower takes the stream over.
    leader.page.close()
    expect(follower.page.locator("html")).to_have_attribute("data-stream", "leader")
    wait_for_js(follower.page, "document.documentElement.dataset.connection === 'live'")
    wait_metric(filled, ACCEPTED, 2)
    wait_metric(filled, CLIENTS, 1)
    send_score(valkey, 62, 10)
    expect(score(follower)).to_have_text("62")
    follower.assert_no_errors()


def test_a_worker_that_fails_to_load_falls_back_to_a_leader_tab(
        filled: ApiProcess, browser_context: BrowserContext) -> None:
    # As in a browser with SharedWorker but without module workers: the script never runs.
    browser_context.add_init_script("""
        const Real = window.SharedWorker;
        window.SharedWorker = class extends Real {
            constructor(url, options) { super("/no-such-worker.js", options); }
        };
    """)
    tab = open_dashboard(browser_context, filled.url + "/")
    expect(tab.page.locator("html")).to_have_attribute("data-stream", "leader")
    expect(score(tab)).to_have_text("42")
    wait_metric(filled, CLIENTS, 1)
    tab.assert_no_errors()
