"""Events producer: the Calendar machinery with its own source, window and type."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.producers.events import Events
from tests.producer_support import (
    RECORDED,
    RecordedServer,
    check_process_publishes,
    make_producer,
    recorded,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.upstream_failures import UpstreamFailureTests

NY = ZoneInfo("America/New_York")
ICS = "/family.ics"


def events_producer(source: str, *extra: str, now: datetime | None = None) -> Events:
    return make_producer(Events, ["--source", source, "--timezone", "America/New_York",
                                  *extra], now=now)


def test_next_family_events_within_90_days_at_most_10(upstream: RecordedServer) -> None:
    upstream.serve(ICS, recorded("family.ics"), ctype="text/calendar")
    values = events_producer(upstream.url + "family.ics",
                             now=datetime(2026, 12, 16, 12, 0, tzinfo=NY)).fetch()
    assert values == [
        ["Soccer practice", "2026-12-18T17:00:00-05:00", "2026-12-18T18:30:00-05:00"],
        ["Ski trip", "2026-12-19", "2026-12-23"],
        ["Soccer practice", "2026-12-22T17:00:00-05:00", "2026-12-22T18:30:00-05:00"],
        ["Soccer practice", "2026-12-25T17:00:00-05:00", "2026-12-25T18:30:00-05:00"],
        ["Soccer practice", "2026-12-29T17:00:00-05:00", "2026-12-29T18:30:00-05:00"],
        ["Soccer practice", "2027-01-01T17:00:00-05:00", "2027-01-01T18:30:00-05:00"],
        ["Soccer practice", "2027-01-05T17:00:00-05:00", "2027-01-05T18:30:00-05:00"],
        ["Soccer practice", "2027-01-08T17:00:00-05:00", "2027-01-08T18:30:00-05:00"],
        ["Soccer practice", "2027-01-12T17:00:00-05:00", "2027-01-12T18:30:00-05:00"],
        ["Sam's birthday", "2027-01-15", "2027-01-16"],
    ]


def test_source_comes_from_events_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_SOURCE", str(RECORDED / "family.ics"))
    monkeypatch.setenv("CALENDAR_SOURCE", "/nonexistent/calendar.ics")
    made = make_producer(Events, ["--timezone", "America/New_York"])
    made.now = lambda: datetime(2027, 1, 14, 12, 0, tzinfo=NY)  # type: ignore[method-assign]
    assert ["Sam's birthday", "2027-01-15", "2027-01-16"] in made.fetch()


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "Events", ICS, "source[0]"

    def make(self, url: str) -> Events:
        return events_producer(url + "family.ics")

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(ICS, recorded("family.ics"))

    def serve_changed(self, upstream: RecordedServer) -> None:
        upstream.serve(ICS, '{"items": []}', ctype="application/json")


def test_process_publishes_with_its_default_period(valkey) -> None:
    message = check_process_publishes("events", ["--limit", "3"], valkey.url, "Events",
                                      env={"EVENTS_SOURCE": str(RECORDED / "daily.ics")})
    assert [v[0] for v in message["values"]] == ["Walk the dog"] * 3
    assert seconds_valid(message) == 3600
