"""A real headless Chromium for the web dashboard tests, driven by Playwright.

We launch the system's Chromium (Debian's ``chromium`` package; CI installs
it) and never download a browser. Import the fixtures into a test module:

    from tests.browser import (  # noqa: F401 (fixtures, by their name= names)
        browser_context_fixture, chromium_fixture, playwright_driver_fixture)

``open_dashboard(context, url)`` opens a tab and records every page error
and console error, so a test can assert the page never threw.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from glanceboard.timefmt import format_time
from server.valkey import EmbeddedValkey
from tests.servers import ApiProcess, publish_until_held
from tests.system_tools import require_program

# Flags that work as root in a container, with nothing reaching out to the internet.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
# How Chromium logs an HTTP error status or a refused connection: the browser's own
# network log, expected where a test provokes a 401 or stops the server.
NETWORK_LOG = "Failed to load resource"
# Desktop and phone viewports the dashboard is checked at.
DESKTOP = {"width": 1440, "height": 1000}
PHONE = {"width": 390, "height": 844}


def chromium_executable() -> str:
    """The Chromium to drive: $CHROMIUM, else ``chromium`` / ``chromium-browser`` on PATH.

    Without one the browser tests skip with the reason, or fail under CI
    (:func:`tests.system_tools.require_program`).
    """
    return require_program(("chromium", "chromium-browser"),
                           "no Chromium found for the web tests: install Debian's 'chromium' "
                           "package (apt-get install chromium) or set CHROMIUM to the "
                           "browser's path", env_var="CHROMIUM")


@dataclass
class Tab:
    """A dashboard tab and what went wrong in it."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def assert_no_errors(self) -> None:
        assert not self.errors, "the page reported errors:\n" + "\n".join(self.errors)


def open_dashboard(context: BrowserContext, url: str, *, wait_live: bool = True) -> Tab:
    """Open ``url`` in a new tab; wait until its stream is live unless told not to."""
    page = context.new_page()
    tab = Tab(page)
    page.on("pageerror", lambda exc: tab.errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: tab.errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error" and not msg.text.startswith(NETWORK_LOG) else None)
    page.goto(url)
    if wait_live:
        wait_for_js(page, "document.documentElement.dataset.connection === 'live'",
                    timeout=15.0)
    return tab


def wait_for_js(page: Page, expression: str, arg: Any = None, *, timeout: float = 15.0,
                every: float = 0.05) -> Any:
    """Poll ``expression`` (JavaScript, as for ``page.evaluate``) until it is truthy and
    return its value. Playwright's own ``wait_for_function`` builds its predicate with
    eval inside the page, which the dashboard's Content-Security-Policy refuses."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true within {timeout} s: {expression}")
        time.sleep(every)


@pytest.fixture(scope="module", name="playwright_driver")
def playwright_driver_fixture() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module", name="chromium")
def chromium_fixture(playwright_driver: Playwright) -> Iterator[Browser]:
    """One browser process per test module (each test gets its own context)."""
    browser = playwright_driver.chromium.launch(executable_path=chromium_executable(),
                                                args=list(CHROMIUM_ARGS))
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(name="browser_context")
def browser_context_fixture(chromium: Browser) -> Iterator[BrowserContext]:
    """A fresh profile: its own storage, and so its own SharedWorker."""
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(name="filled")
def filled_fixture(valkey: EmbeddedValkey, api_server: ApiProcess) -> ApiProcess:
    """The API server holding one message of every type, produced now."""
    publish_until_held(valkey.url, api_server, sample_envelopes(now_local()))
    return api_server


# --- demo-like data -------------------------------------------------------------------------


def now_local() -> datetime:
    """Now, in the local zone, to the second (as the dashboard shows times)."""
    return datetime.now().astimezone().replace(microsecond=0)


def envelope(kind: str, values: Any, now: datetime, *, valid_for: timedelta = timedelta(hours=1),
             ts: int | None = None) -> dict[str, Any]:
    """A full envelope of ``kind`` produced at ``now`` (ISO times, ``ts`` from ``now``)."""
    return {
        "type": kind,
        "values": values,
        "updated": format_time(now),
        "valid": format_time(now + valid_for),
        "ts": int(now.timestamp() * 1000) if ts is None else ts,
    }


def sample_envelopes(now: datetime) -> list[dict[str, Any]]:
    """One message of every type of PROTOCOL section 6, shaped as docs/payloads.md says."""
    day = timedelta(days=1)
    hour = timedelta(hours=1)
    week = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    conditions = [500, 800, 802, 804, 601, 211, 741, 300]
    forecast = [
        {"date": (now + i * day).date().isoformat(), "day": week[(now + i * day).weekday()],
         "hi": 48 + i, "lo": 33 + i % 3, "wid": conditions[i], "desc": "mixed",
         "pop": [70, 0, 10, 20, 80, 60, 5, 40][i], "humid": 70, "windSpeed": 9, "windDir": "N"}
        for i in range(8)
    ]
    top = now.replace(minute=0, second=0, microsecond=0)
    hourly = [
        {"time": format_time(top + i * hour), "temp": round(44 + 6 * math.sin(i / 4), 1),
         "fl": 40, "humid": 80, "pop": 10, "wid": [500, 500, 803, 802, 800, 800][i % 6],
         "dn": "d" if 7 <= (top + i * hour).hour < 17 else "n", "desc": "mixed",
         "windSpeed": 8, "windDir": "NE"}
        for i in range(48)
    ]
    team = _team
    return [
        envelope("Weather", {
            "current": {"temp": 44.6, "fl": 39.2, "humid": 81, "windDir": "NNE",
                        "windSpeed": 11.4, "windGust": 22, "desc": "light rain", "dn": "d",
                        "wid": 500, "nwid": 803},
            "forecast": forecast, "hourly": hourly}, now),
        envelope("AQI", {"date_time": now.strftime("%m/%d/%Y %I:%M %p %z"), "aqi_score": 42,
                         "aqi_adjective": "Good", "color": "(0,228,0)",
                         "main_pollutant": "Ozone"}, now),
        envelope("Moon", {"phase": 37, "illumstr": "62.3%", "sunevent": "Sunset:   04:31 PM",
                          "moonevent": "Moonrise: 01:12 PM"}, now, valid_for=6 * hour),
        envelope("Calendar", [
            ["Dentist", format_time(now + 20 * hour), format_time(now + 21 * hour)],
            ["Thanksgiving break", now.date().isoformat(), (now + 2 * day).date().isoformat()],
            ["Book club", format_time(now + 3 * day), format_time(now + 3 * day + 2 * hour)],
        ], now),
        envelope("Events", [
            ["Grandma's birthday", (now + 2 * day).date().isoformat(),
             (now + 3 * day).date().isoformat()],
            ["School play", format_time(now + 4 * day), format_time(now + 4 * day + 2 * hour)],
        ], now),
        envelope("GitHub", {"latest_commit": "3f5713a", "last_successful_commit": "3f5713a",
                            "commit_message": "Fix the moon page",
                            "date": format_time(now - 2 * hour), "repo": "owner/glanceboard",
                            "status": "success"}, now),
        envelope("MLB", [
            {"id": 745123, "start": format_time(now - 2 * hour), "status": "In Progress",
             "away": team("NYY", "New York Yankees", 3, "88-70"),
             "home": team("BOS", "Boston Red Sox", 2, "80-78"),
             "inning": 6, "half": "top", "outs": 1, "venue": "Fenway Park"},
            {"id": 745124, "start": format_time(now + 2 * hour), "status": "Scheduled",
             "away": team("LAD", "Los Angeles Dodgers", 0, "90-68"),
             "home": team("SF", "San Francisco Giants", 0, "70-88"),
             "inning": None, "half": None, "outs": None, "venue": "Oracle Park"},
        ], now),
        envelope("NFL", {"events": [
            {"id": "401671789", "start": format_time(now - hour), "state": "in",
             "detail": "3rd 4:12", "period": 3, "clock": "4:12",
             "away": team("BUF", "Buffalo Bills", 17, "8-3"),
             "home": team("KC", "Kansas City Chiefs", 14, "9-2"),
             "possession": "KC", "venue": "Arrowhead Stadium", "broadcast": "CBS"},
            {"id": "401671790", "start": format_time(now - 4 * hour), "state": "post",
             "detail": "Final", "period": 4, "clock": None,
             "away": team("DAL", "Dallas Cowboys", 20, "5-6"),
             "home": team("NYG", "New York Giants", 27, "4-7"),
             "possession": None, "venue": "MetLife Stadium", "broadcast": "FOX"},
        ]}, now),
        envelope("Weather-Server", {"message": "Weather started."}, now, valid_for=day),
        envelope("AQI-Server", {"message": "AQI started."}, now, valid_for=day),
    ]


def _team(abbr: str, name: str, score: int, record: str) -> dict[str, Any]:
    return {"team": abbr, "name": name, "score": score, "record": record}
