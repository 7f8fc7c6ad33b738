"""Every time on the panel and the dashboard is in the display's zone, whatever zone the
producer wrote it in: a producer in New York, a display in Berlin."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import ImageChops
from playwright.sync_api import Browser, expect

from glanceboard.payloads.mlb import Game as MlbGame
from glanceboard.payloads.mlb import Team as MlbTeam
from glanceboard.payloads.moon import Moon, SkyEvent
from glanceboard.payloads.nfl import Game as NflGame
from glanceboard.payloads.nfl import Team as NflTeam
from glanceboard.payloads.nfl import Week
from matrix_client.pages import registry
from matrix_client.pages.base import PageContext
from matrix_client.pages.samples import SETTINGS, SIZES
from server.producers.moon import sky
from server.producers.nfl import detail_text
from server.producers.place import Place
from server.valkey import EmbeddedValkey
from tests.browser import (  # noqa: F401 (the *_fixture names are fixtures)
    DESKTOP,
    chromium_fixture,
    envelope,
    open_dashboard,
    playwright_driver_fixture,
)
from tests.servers import ApiProcess, publish_until_held

PRODUCER = ZoneInfo("America/New_York")
DISPLAY = ZoneInfo("Europe/Berlin")
NEW_YORK = Place(40.7128, -74.0060, "America/New_York")
# 8:40 PM on the display's clock, 2:40 PM where the producer is.
NOW = datetime(2026, 11, 26, 20, 40, tzinfo=DISPLAY)


def _mlb(kickoff: datetime) -> list[dict[str, Any]]:
    return [MlbGame(id="1", start=kickoff, state="pre", detail="Scheduled",
                    away=MlbTeam("NYY"), home=MlbTeam("BOS")).to_values()]


def _nfl(kickoff: datetime) -> dict[str, Any]:
    game = NflGame(id="9", start=kickoff, state="pre", week=13,
                   detail=detail_text("pre", "", 0, "", "", kickoff),
                   away=NflTeam("KC"), home=NflTeam("DAL"), broadcast="CBS")
    return Week("regular-season", "Week 13", "Nov 26-30", (game,)).to_values()


def _as_if_written_in(zone: ZoneInfo, moon: dict[str, Any]) -> dict[str, Any]:
    """The Moon texts a producer in ``zone`` writes, without the ISO fields."""
    view = Moon.parse(moon)
    assert view.sun_at is not None and view.moon_at is not None
    return Moon(phase=view.phase, illumination=view.illumination, illumstr=view.illumstr,
                sunevent=SkyEvent.write(view.sun_event.label, view.sun_at.astimezone(zone)),
                moonevent=SkyEvent.write(view.moon_event.label, view.moon_at.astimezone(zone)),
                ).to_values()


def _from_new_york(now: datetime) -> dict[str, dict[str, Any]]:
    """MLB, NFL and Moon values as the producers in New York write them at ``now``."""
    kickoff = (now + timedelta(hours=1, minutes=25)).astimezone(PRODUCER)
    moon, _ = sky(NEW_YORK, now)
    return {"MLB": _mlb(kickoff), "NFL": _nfl(kickoff), "Moon": moon}


def _state(values: dict[str, Any], now: datetime) -> dict[str, dict[str, Any]]:
    return {kind: envelope(kind, v, now) for kind, v in values.items()}


def _frame(page: str, values: dict[str, Any], size: tuple[int, int]):  # noqa: ANN202
    ctx = PageContext(state=_state(values, NOW), now=NOW, width=size[0], height=size[1],
                      settings=SETTINGS, started=NOW - timedelta(hours=1))
    return registry()[page].render(ctx).image


def test_new_york_moon_sends_its_events_as_iso_beside_the_texts() -> None:
    moon = _from_new_york(NOW)["Moon"]
    sunset = datetime.fromisoformat(moon["sunevent_at"])
    assert moon["sunevent"] == f"Sunset:   {sunset:%I:%M %p}"  # the original's text, New York
    assert sunset.utcoffset() == timedelta(hours=-5)
    assert Moon.parse(moon).sun_at == sunset
    assert datetime.fromisoformat(moon["moonevent_at"]) > NOW


@pytest.mark.parametrize("page", ["mlb", "nfl", "moon"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_times_sent_from_new_york_read_as_if_sent_from_berlin(page: str,
                                                              size: tuple[int, int]) -> None:
    sent = _from_new_york(NOW)
    kickoff = datetime.fromisoformat(sent["NFL"]["events"][0]["start"]).astimezone(DISPLAY)
    local = {"MLB": _mlb(kickoff), "NFL": _nfl(kickoff),
             "Moon": _as_if_written_in(DISPLAY, sent["Moon"])}
    assert local["NFL"]["events"][0]["detail"] != sent["NFL"]["events"][0]["detail"]
    assert local["Moon"]["sunevent"] != sent["Moon"]["sunevent"]
    got, want = _frame(page, sent, size), _frame(page, local, size)
    assert ImageChops.difference(got, want).getbbox() is None, (page, size)


def test_a_kickoff_tile_and_sunset_tile_use_the_browser_zone(
        valkey: EmbeddedValkey, api_server: ApiProcess, chromium: Browser) -> None:
    now = datetime.now(PRODUCER).replace(microsecond=0)
    sent = _from_new_york(now)
    publish_until_held(valkey.url, api_server, list(_state(sent, now).values()))
    view = api_server.get("/view/NFL").json()["values"]["events"][0]
    assert view["detail"] == ""  # the producer's "Thu 4:05 PM": the tile writes its own

    def clock(moment: datetime) -> str:
        moment = moment.astimezone(DISPLAY)
        return f"{moment.hour % 12 or 12}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"

    kickoff = datetime.fromisoformat(sent["NFL"]["events"][0]["start"])
    sunset = datetime.fromisoformat(sent["Moon"]["sunevent_at"])
    context = chromium.new_context(viewport=DESKTOP, timezone_id="Europe/Berlin",
                                   locale="en-US")
    context.set_default_timeout(15_000)
    try:
        tab = open_dashboard(context, api_server.url + "/")
        expect(tab.page.locator('section.tile[data-type="Moon"]')).to_contain_text(
            clock(sunset))
        expect(tab.page.locator('section.tile[data-type="NFL"]')).to_contain_text(
            f"{kickoff.astimezone(DISPLAY):%a} {clock(kickoff)}")
        expect(tab.page.locator('section.tile[data-type="MLB"]')).to_contain_text(
            clock(kickoff))
        tab.assert_no_errors()
    finally:
        context.close()
