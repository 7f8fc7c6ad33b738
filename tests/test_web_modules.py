"""The dashboard's stream modules, run in the browser against a real API server."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext

from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    browser_context_fixture,
    chromium_fixture,
    open_dashboard,
    playwright_driver_fixture,
)
from tests.servers import ApiProcess

PARSE = """async (chunks) => {
    const { SseParser } = await import("/sse.js");
    const events = [];
    const retries = [];
    const parser = new SseParser((e) => events.push(e), (ms) => retries.push(ms));
    for (const chunk of chunks) parser.feed(chunk);
    return { events, retries };
}"""


def parse(tab: Any, chunks: list[str]) -> dict[str, Any]:
    return tab.page.evaluate(PARSE, chunks)


def test_sse_parser_follows_the_event_stream_rules(api_server: ApiProcess,
                                                   browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, api_server.url + "/", wait_live=False)
    got = parse(tab, [
        "\ufeffretry: 3000\n\n",
        ": ping\n\n",
        "id: a-1\nevent: update\ndata: {\"x\":",
        "1}\n\nid: a-2\r",
        "\nevent: update\r\ndata: line one\r\ndata:line two\r\n\r\n",
        "data: no name\n\n",
        "event: update\ndata\n\n",
        "retry: soon\nid: bad\0id\ndata: keeps the last id\n\n",
        "data: never finished",
    ])
    assert got["retries"] == [3000]
    assert got["events"] == [
        {"type": "update", "data": '{"x":1}', "id": "a-1"},
        {"type": "update", "data": "line one\nline two", "id": "a-2"},
        {"type": "message", "data": "no name", "id": None},
        {"type": "update", "data": "", "id": None},
        {"type": "message", "data": "keeps the last id", "id": None},
    ]
    tab.assert_no_errors()


WATCH = """async (deadAfterMs) => {
    const { StreamCore } = await import("/stream-core.js");
    window.__seen = [];
    window.__core = new StreamCore({
        emit: (m) => window.__seen.push(m),
        deadAfterMs,
    });
    window.__core.start();
}"""


def test_a_silent_stream_is_dropped_and_resumed(api_server: ApiProcess,
                                                browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, api_server.url + "/")
    page = tab.page
    # The server pings every 15 s; a 1.5 s limit makes a quiet stream look dead.
    page.evaluate(WATCH, 1500)
    page.wait_for_function("""() => window.__seen.some((m) => m.kind === 'status'
        && m.status.state === 'reconnecting' && m.status.detail === 'no data for 2 s')""")
    # It comes back by itself, resuming from the event id it had.
    page.wait_for_function("""() => {
        const i = window.__seen.findIndex((m) => m.status?.state === 'reconnecting');
        return window.__seen.slice(i).some((m) => m.status?.state === 'live');
    }""", timeout=20_000)
    snapshots = page.evaluate("window.__seen.filter((m) => m.kind === 'snapshot').length")
    assert snapshots == 1, "a reconnect must resume the stream, not reload /state"
    page.evaluate("window.__core.stop()")
    tab.assert_no_errors()
