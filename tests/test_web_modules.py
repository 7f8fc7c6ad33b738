"""The dashboard's stream modules, run in the browser against a real API server."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext

from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    browser_context_fixture,
    chromium_fixture,
    open_dashboard,
    playwright_driver_fixture,
    wait_for_js,
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
    wait_for_js(page, """() => window.__seen.some((m) => m.kind === 'status'
        && m.status.state === 'reconnecting' && m.status.detail === 'no data for 2 s')""")
    # It comes back by itself, resuming from the event id it had.
    wait_for_js(page, """() => {
        const i = window.__seen.findIndex((m) => m.status?.state === 'reconnecting');
        return window.__seen.slice(i).some((m) => m.status?.state === 'live');
    }""", timeout=20)
    snapshots = page.evaluate("window.__seen.filter((m) => m.kind === 'snapshot').length")
    assert snapshots == 1, "a reconnect must resume the stream, not reload /state"
    page.evaluate("window.__core.stop()")
    tab.assert_no_errors()


CHECK = """async (events) => {
    const { StreamCore } = await import("/stream-core.js");
    const seen = [];
    const core = new StreamCore({ emit: (m) => seen.push(m) });
    for (const data of events) core.onEvent({ type: "update", data, id: null });
    return {
        rejected: core.rejected,
        stored: core.store.types(),
        updates: seen.filter((m) => m.kind === "update").map((m) => m.envelope.type),
        controls: seen.filter((m) => m.kind === "control").map((m) => m.command),
        lastRejected: seen.filter((m) => m.kind === "rejected").pop()?.rejected,
    };
}"""

TIMES = '"updated":"2026-11-26T16:55:08-05:00","valid":"2026-11-26T17:55:08-05:00"'


def test_the_dashboard_checks_what_it_is_sent_and_counts_rejections_by_reason(
        api_server: ApiProcess, browser_context: BrowserContext) -> None:
    """Where the browser first sees a message: the protocol's rules, counted by reason
    (an older or foreign server may forward anything)."""
    tab = open_dashboard(browser_context, api_server.url + "/", wait_live=False)
    events = [
        "{not json",
        '{"type":"AQI","values":{"s":"\\ud800"},' + TIMES + "}",
        '{"type":"AQI","values":{"\\udfff":1},' + TIMES + "}",
        '{"type":"AQI","values":{"n":1e400},' + TIMES + "}",
        '{"type":"AQI\\n","values":1,' + TIMES + "}",
        '{"type":"AQI","values":1,' + TIMES + ',"ts":1e30}',
        '{"type":"AQI","values":1,' + TIMES + ',"ts":1.5}',
        '{"type":"AQI","values":' + "[" * 70 + "]" * 70 + "," + TIMES + "}",
        '{"type":"AQI","values":null,' + TIMES + "}",
        '{"type":"AQI","values":1,"updated":"soon","valid":"later"}',
        '{"type":"AQI","values":1}',
        "[1]",
        '{"type":"webcontrol","command":"notify","args":{"text":"\\ud800"}}',
        '{"type":"webcontrol","command":"pp","args":{}}',
        '{"type":"AQI","values":{"aqi_score":3},' + TIMES + ',"ts":1}',
    ]
    got = tab.page.evaluate(CHECK, events)
    assert got["rejected"] == {"not_json": 1, "lone_surrogate": 3, "non_finite": 1,
                               "bad_type": 1, "future_ts": 1, "bad_ts": 1, "too_deep": 1,
                               "null_values": 1, "bad_time": 1, "missing_field": 1,
                               "not_object": 1}
    assert got["lastRejected"] == got["rejected"]
    assert got["stored"] == ["AQI"] and got["updates"] == ["AQI"]
    assert got["controls"] == ["pp"]
    tab.assert_no_errors()
    # The page shows the count where the connection state is.
    badge = tab.page.locator("#rejected")
    assert badge.is_hidden()


NOTICES = """async () => {
    const { NoticeBoard, MAX_WAITING } = await import("/notices.js");
    let t = 0;
    const timers = new Map();
    let nextId = 1;
    const clock = {
        now: () => t,
        setTimer: (fn, ms) => { timers.set(nextId, [t + ms, fn]); return nextId++; },
        clearTimer: (id) => timers.delete(id),
    };
    const advance = (ms) => {
        t += ms;
        for (const [id, [at, fn]] of [...timers]) {
            if (at <= t) { timers.delete(id); fn(); }
        }
    };
    const shown = [];
    const board = new NoticeBoard((n) => shown.push(n ? `${n.level}:${n.text}` : "-"), clock);
    board.add({ text: "dinner", seconds: 10 });
    board.add({ text: "rain", seconds: 2, level: "warning" });
    advance(4000);
    board.add({ text: "door", level: "critical" });
    advance(100000);  // a critical stays (its 120 s are not over)
    board.dismiss();
    advance(6000);  // the interrupted info had 6 s left
    advance(2000);
    board.add({ text: "smoke", level: "critical", seconds: 1 });
    advance(1000);
    for (let n = 0; n <= MAX_WAITING + 1; n++) board.add({ text: `n${n}` });
    return { shown, refused: board.refused, odd: board.add({ text: 7 }) };
}"""


def test_the_dashboard_keeps_notifications_by_the_displays_rules(
        api_server: ApiProcess, browser_context: BrowserContext) -> None:
    tab = open_dashboard(browser_context, api_server.url + "/", wait_live=False)
    got = tab.page.evaluate(NOTICES)
    assert got["shown"][:8] == ["info:dinner", "critical:door", "info:dinner", "warning:rain",
                                "-", "critical:smoke", "-", "info:n0"]
    assert got["refused"] == 1  # n0 on screen, 16 waiting, the 18th refused and counted
    assert got["odd"] is False  # no text: nothing to show
    tab.assert_no_errors()


HOUSEHOLD = """async () => {
    const t = await import("/timefmt.js");
    const tiles = await import("/tiles.js");
    const textOf = (nodes) => nodes.flat().filter(Boolean).map((n) => n.textContent).join(" | ");
    const env = (values) => ({ type: "x", values, updated: "2026-11-26T16:55:08-05:00",
                               valid: "2026-11-26T17:55:08-05:00" });
    const sunset = Date.parse("2026-11-26T16:31:00-05:00");
    const now = Date.parse("2026-11-26T12:00:00-05:00");
    const berlin24 = { clock: "24h", timezone: "Europe/Berlin" };
    const weather = (values, settings) => textOf(tiles.renderBody("Weather", env(values),
                                                                  { now, settings }));
    const current = { temp: 8, windSpeed: 19, windDir: "NW", windGust: 34 };
    const wind = (text) => /Wind [^|]*/.exec(text)[0].trim();
    const out = {
        clock: {
            tokyo24: t.clock(sunset, false, { clock: "24h", timezone: "Asia/Tokyo" }),
            newYork12: t.clock(sunset, false, { clock: "12h", timezone: "America/New_York" }),
            seconds24: t.clock(sunset, true, { clock: "24h", timezone: "UTC" }),
            hour24: t.hourLabel(sunset, { clock: "24h", timezone: "Asia/Tokyo" }),
            hour12: t.hourLabel(sunset, { clock: "12h", timezone: "America/New_York" }),
            day24: t.dayClock(sunset, berlin24),
            badZone: t.clock(sunset, false, { timezone: "Mars/Olympus_Mons" })
                === t.clock(sunset),
            known: [t.knownZone("Europe/Berlin"), t.knownZone("Mars/Base") ?? null,
                    t.knownZone(7) ?? null],
            sameDay: t.dayOf(sunset, { timezone: "America/New_York" })
                === t.dayOf(now, { timezone: "America/New_York" }),
            nextDayInTokyo: t.dayOf(sunset, { timezone: "Asia/Tokyo" })
                - t.dayOf(now, { timezone: "America/New_York" }),
        },
        wind: {
            own: wind(weather({ current, units: "metric" }, { units: "imperial" })),
            household: wind(weather({ current }, { units: "metric" })),
            imperial: wind(weather({ current: { ...current, windSpeed: 12, windGust: 21 } }, {})),
            odd: wind(weather({ current, units: "kelvin" }, { units: "lunar" })),
        },
        moon: {
            textOnly24: textOf(tiles.renderBody("Moon", env({ sunevent: "Sunset:   04:31 PM" }),
                                                { now, settings: { clock: "24h" } })),
            textOnly: textOf(tiles.renderBody("Moon", env({ sunevent: "Sunset:   04:31 PM" }),
                                              { now, settings: {} })),
            timed: textOf(tiles.renderBody("Moon", env({
                sunevent: "Sunset:   04:31 PM", sunevent_at: "2026-11-26T16:31:00-05:00" }),
                { now, settings: berlin24 })),
        },
        nfl: textOf(tiles.renderBody("NFL", env({ events: [{
            state: "pre", detail: "Thu 8:20 PM", start: "2026-11-26T20:20:00-05:00",
            away: { team: "GB", score: 0 }, home: { team: "DET", score: 0 } }] }),
            { now, settings: berlin24 })),
        calendar: textOf(tiles.renderBody("Calendar", env([
            ["Late call", "2026-11-26T23:30:00-05:00", "2026-11-27T00:00:00-05:00"]]),
            { now, settings: berlin24 })),
        settingsTile: textOf(tiles.renderBody("Settings", env({
            place: "Berlin", units: "metric", clock: "24h", timezone: "Europe/Berlin",
            mlb_teams: ["NYY"], wifi_qr: "WIFI:T:WPA;S:home;P:secret;;" }), { now })),
        prefs: tiles.householdPrefs({ units: "metric", clock: "25h", timezone: "Nowhere" }),
    };
    const metric = { units: "metric" };
    out.fallback = [tiles.setHousehold(metric), tiles.setHousehold(metric),
                    wind(textOf(tiles.renderBody("Weather", env({ current }), { now })))];
    tiles.setHousehold({});
    return out;
}"""


def test_the_tiles_follow_the_household_settings(api_server: ApiProcess,
                                                 browser_context: BrowserContext) -> None:
    """Units from the message (else the Settings envelope), 12/24 h and the household's
    zone: every time a tile shows is written from its ISO field in that zone."""
    tab = open_dashboard(browser_context, api_server.url + "/", wait_live=False)
    got = tab.page.evaluate(HOUSEHOLD)
    clock = got["clock"]
    assert clock["tokyo24"] == "06:31" and clock["newYork12"] == "4:31 PM"
    assert clock["seconds24"] == "21:31:00"
    assert clock["hour24"] == "06" and clock["hour12"] == "4 PM"
    assert clock["day24"] == "Thu 22:31"
    assert clock["badZone"] is True  # an unknown zone: the browser's, no error
    assert clock["known"] == ["Europe/Berlin", None, None]
    assert clock["sameDay"] is True and clock["nextDayInTokyo"] == 86400e3
    assert got["wind"] == {"own": "Wind NW 19 km/h, gusts 34",
                           "household": "Wind NW 19 km/h, gusts 34",
                           "imperial": "Wind NW 12 mph, gusts 21",
                           "odd": "Wind NW 19 mph, gusts 34"}
    assert "16:31" in got["moon"]["textOnly24"] and "PM" not in got["moon"]["textOnly24"]
    assert "04:31 PM" in got["moon"]["textOnly"]  # no 12/24 h set: the text as sent
    assert "22:31" in got["moon"]["timed"]  # 16:31 in New York is 22:31 in Berlin
    assert "Fri 02:20" in got["nfl"] and "8:20" not in got["nfl"]
    assert "Tomorrow 05:30" in got["calendar"]
    assert "Berlin" in got["settingsTile"] and "secret" not in got["settingsTile"]
    assert got["prefs"] == {"units": "metric"}
    assert got["fallback"] == [True, False, "Wind NW 19 km/h, gusts 34"]
    tab.assert_no_errors()


APPS = """async (png) => {
    const tiles = await import("/tiles.js");
    const { Board } = await import("/board.js");
    const now = Date.parse("2026-11-26T16:55:08-05:00");
    const env = (apps) => ({ type: "Apps", values: { apps }, updated: "2026-11-26T16:50:00-05:00",
                             valid: "2026-11-26T18:00:00-05:00", ts: 1 });
    const apps = [
        { name: "laundry", text: "Laundry done in 25 min", image: png, color: "#3cc8e6",
          progress: 160, progress_color: "#ff6e14", expires: now + 25 * 60e3 },
        { name: "build", lines: ["Build 812", 7, "main passed"], image: "R0lGODlhAQ==<b>",
          color: "red;background:url(x)", chart: { values: [3, 5, null, 7, 8], kind: "line" },
          expires: now + 3 * 3600e3 },
        { name: "door", text: "Front door", chart: { values: [1, "x", 4], kind: "bars" },
          expires: now + 4e3 },
        { name: "old", text: "gone already", expires: now - 1 },
        { text: "no name", expires: now + 60e3 },
        { name: "forever", text: "no expiry" },
    ];
    const root = document.createElement("div");
    root.append(...tiles.renderBody("Apps", env(apps), { now }).flat());
    const shown = [...root.querySelectorAll("li.app")].map((li) => ({
        name: li.dataset.app,
        text: [...li.querySelectorAll(".app-text")].map((p) => p.textContent),
        colors: [...li.querySelectorAll(".app-text")].map((p) => p.style.color),
        picture: li.querySelector("img")?.getAttribute("src")?.slice(0, 22) ?? null,
        bar: li.querySelector(".app-bar span")?.style.width ?? null,
        barColor: li.querySelector(".app-bar span")?.style.background ?? null,
        lines: li.querySelectorAll("polyline").length,
        bars: li.querySelectorAll("rect").length,
        gone: li.querySelector(".app-gone").textContent,
    }));
    const none = document.createElement("div");
    none.append(...tiles.renderBody("Apps", env([]), { now }).flat());
    const odd = ["x", null, { apps: "nope" }, { apps: [null, 5, []] }].map((values) => {
        const el = document.createElement("div");
        el.append(...tiles.renderBody("Apps", { values }, { now }).flat());
        return el.textContent;
    });

    // The board draws the tile again, without the glow, when the first app's time is up.
    let clock = now;
    const store = { get: (t) => (t === "Apps" ? env(apps) : undefined), types: () => ["Apps"] };
    const tilesEl = document.createElement("div");
    const board = new Board(tilesEl, document.createElement("ul"), store, () => clock);
    board.update(["Apps"]);
    await new Promise((r) => setTimeout(r, 50));
    const names = () => [...tilesEl.querySelectorAll("[data-type=Apps] li.app")]
        .map((li) => li.dataset.app);
    const before = names();
    clock = now + 5e3;
    board.tick();
    return { shown, none: none.textContent, odd, before, after: names(),
             pictures: [tiles.pictureUrl(png)?.slice(0, 22), tiles.pictureUrl("R0lGODlh"),
                        tiles.pictureUrl("AAAA"),
                        tiles.pictureUrl("iVBORw0KGgo" + "A".repeat(12000)),
                        tiles.pictureUrl("iVBORw0KGgo\\" onerror=\\"x")] };
}"""


def test_the_apps_tile_shows_what_the_panels_show_until_it_expires(
        api_server: ApiProcess, browser_context: BrowserContext) -> None:
    """Words, picture, bar and chart per app, the ones past their time left out and
    dropped from the tile when their time comes; colours and pictures only when they
    are what the API takes (#rrggbb, base64 of a PNG or GIF)."""
    from matrix_client.pages.samples import WASHER_PNG

    tab = open_dashboard(browser_context, api_server.url + "/", wait_live=False)
    got = tab.page.evaluate(APPS, WASHER_PNG)
    shown = {app["name"]: app for app in got["shown"]}
    assert list(shown) == ["laundry", "build", "door"]
    laundry, build, door = shown["laundry"], shown["build"], shown["door"]
    assert laundry["text"] == ["Laundry done in 25 min"]
    assert laundry["colors"] == ["rgb(60, 200, 230)"]
    assert laundry["picture"] == "data:image/png;base64,"
    assert laundry["bar"] == "100%" and laundry["barColor"] == "rgb(255, 110, 20)"
    assert laundry["gone"] == "gone in 25 min"
    assert build["text"] == ["Build 812", "main passed"]  # the 7 is not a line
    assert build["colors"] == ["", ""]  # not #rrggbb: not applied
    assert build["picture"] is None  # not base64
    assert build["bar"] is None
    assert build["lines"] == 2 and build["gone"] == "gone in 3 h"  # null breaks the line
    assert door["bars"] == 2 and door["lines"] == 0
    assert got["none"] == "No apps showing"
    assert got["odd"] == ["No apps showing"] * 4
    assert got["before"] == ["laundry", "build", "door"]
    assert got["after"] == ["laundry", "build"]  # the door's 4 s ran out
    assert got["pictures"] == ["data:image/png;base64,", "data:image/gif;base64,R0lGODlh",
                               None, None, None]
    tab.assert_no_errors()
