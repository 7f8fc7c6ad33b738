"""Events producer: the Calendar machinery with its own source, window and type."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from glanceboard.payloads import original
from server.producers.events import Events
from server.producers.shape import UpstreamShapeError
from tests.legacy_samples import legacy
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


def _soccer(day: str) -> dict:
    return {"name": "Soccer practice", "event": "", "month": int(day[5:7]),
            "day": int(day[8:]), "year": int(day[:4]), "summary": "Soccer practice",
            "start": f"{day}T17:00:00-05:00", "end": f"{day}T18:30:00-05:00"}


def test_icalendar_events_within_90_days_at_most_10(upstream: RecordedServer) -> None:
    upstream.serve(ICS, recorded("family.ics"), ctype="text/calendar")
    values = events_producer(upstream.url + "family.ics",
                             now=datetime(2026, 12, 16, 12, 0, tzinfo=NY)).fetch()
    assert values == [
        _soccer("2026-12-18"),
        {"name": "Ski trip", "event": "", "month": 12, "day": 19, "year": 2026,
         "summary": "Ski trip", "start": "2026-12-19", "end": "2026-12-23"},
        *[_soccer(d) for d in ("2026-12-22", "2026-12-25", "2026-12-29", "2027-01-01",
                               "2027-01-05", "2027-01-08", "2027-01-12")],
        # A yearly birthday reads as the original's entry, counted from its first year.
        {"name": "Sam", "event": "Birthday", "month": 1, "day": 15, "year": 2025},
    ]
    assert original.values_problems("Events", values) == []


def test_the_original_events_json_is_published_unchanged(tmp_path: Path) -> None:
    family = legacy("Events")["values"]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(family))
    assert events_producer(str(path)).fetch() == family


def test_events_json_from_a_url_with_a_bad_entry_is_named(upstream: RecordedServer) -> None:
    family = legacy("Events")["values"]
    upstream.serve("/events.json", json.dumps(family), ctype="application/json")
    made = events_producer(upstream.url + "events.json")
    assert made.fetch() == family
    family[2]["month"] = "September"
    upstream.serve("/events.json", json.dumps(family), ctype="application/json")
    with pytest.raises(UpstreamShapeError, match=r"source\[0\].*values\[2\]\.month"):
        made.fetch()


def test_source_comes_from_events_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_SOURCE", str(RECORDED / "family.ics"))
    monkeypatch.setenv("CALENDAR_SOURCE", "/nonexistent/calendar.ics")
    made = make_producer(Events, ["--timezone", "America/New_York"])
    made.now = lambda: datetime(2027, 1, 14, 12, 0, tzinfo=NY)  # type: ignore[method-assign]
    assert {"name": "Sam", "event": "Birthday", "month": 1, "day": 15,
            "year": 2025} in made.fetch()


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
    assert [v["name"] for v in message["values"]] == ["Walk the dog"] * 3
    assert seconds_valid(message) == 3600
