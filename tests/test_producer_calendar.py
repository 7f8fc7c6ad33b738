"""Calendar and Events producers: iCalendar served over real HTTP or read from a file."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from server.producers.base import ConfigError
from server.producers.calendar import Calendar, parse_calendar, upcoming
from server.producers.events import Events
from server.producers.shape import UpstreamShapeError
from tests.producer_support import (
    RECORDED,
    RecordedServer,
    check_process_publishes,
    dead_port_url,
    make_producer,
    recorded,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.upstream_failures import UpstreamFailureTests

NY = ZoneInfo("America/New_York")
THANKSGIVING_4PM = datetime(2026, 11, 26, 16, 0, tzinfo=NY)
ICS = "/family.ics"
CTYPE = "text/calendar; charset=utf-8"

THIS_WEEK = [
    ["Thanksgiving break", "2026-11-26", "2026-11-28"],  # all day, still running
    # 19:00 in Berlin is 13:00 in New York; DURATION instead of DTEND
    ["Call with Oma", "2026-11-28T13:00:00-05:00", "2026-11-28T13:45:00-05:00"],
    ["Dentist", "2026-11-30T09:30:00-05:00", "2026-11-30T10:30:00-05:00"],  # from UTC
    # Tuesday's weekly practice, moved to 18:00 for this one date (RECURRENCE-ID);
    # Friday the 27th is cancelled (EXDATE)
    ["Soccer practice (indoor)", "2026-12-01T18:00:00-05:00", "2026-12-01T19:30:00-05:00"],
]


def calendar_producer(source: str, *extra: str, cls: type[Calendar] = Calendar,
                      now: datetime | None = THANKSGIVING_4PM) -> Calendar:
    return make_producer(cls, ["--source", source, "--timezone", "America/New_York", *extra],
                         now=now)


def test_this_week_expands_recurrences_in_local_time(upstream: RecordedServer) -> None:
    upstream.serve(ICS, recorded("family.ics"), ctype=CTYPE)
    assert calendar_producer(upstream.url + "family.ics").fetch() == THIS_WEEK
    assert upstream.seen[-1].headers["accept"] == "text/calendar"


def test_events_look_further_ahead_with_a_limit() -> None:
    made = calendar_producer(str(RECORDED / "family.ics"), "--limit", "8", cls=Events)
    # Events publishes the original's family-event entries; their titles and times are
    # the Calendar entries'.
    values = [[v["summary"], v["start"], v["end"]] for v in made.fetch()]
    assert values[:4] == THIS_WEEK
    assert values[4:] == [
        ["Soccer practice", "2026-12-04T17:00:00-05:00", "2026-12-04T18:30:00-05:00"],
        ["Soccer practice", "2026-12-08T17:00:00-05:00", "2026-12-08T18:30:00-05:00"],
        ["Soccer practice", "2026-12-11T17:00:00-05:00", "2026-12-11T18:30:00-05:00"],
        ["Soccer practice", "2026-12-15T17:00:00-05:00", "2026-12-15T18:30:00-05:00"],
    ]
    everything = calendar_producer(str(RECORDED / "family.ics"), "--limit", "20",
                                   cls=Events).fetch()
    # The yearly birthday (RRULE on an all-day event) is within 90 days; the past meeting is not.
    assert {"name": "Sam", "event": "Birthday", "month": 1, "day": 15,
            "year": 2025} in everything
    assert ["Ski trip", "2026-12-19", "2026-12-23"] in [
        [e.get("summary"), e.get("start"), e.get("end")] for e in everything]
    assert all(e["name"] != "Parent-teacher meeting" for e in everything)


def test_nothing_ahead_is_no_events() -> None:
    past_only = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
                 "UID:a@b\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Over\r\n"
                 "DTSTART:20261120T180000Z\r\nDTEND:20261120T190000Z\r\nEND:VEVENT\r\n"
                 "END:VCALENDAR\r\n")
    cal = parse_calendar(past_only, "source[0]")
    assert upcoming([(cal, "source[0]")], THANKSGIVING_4PM, 7, 20, NY) == ["No events"]


def test_floating_times_are_local_and_several_sources_merge(upstream: RecordedServer) -> None:
    upstream.serve("/daily.ics", recorded("daily.ics"), ctype=CTYPE)
    made = calendar_producer(f"{upstream.url}daily.ics, {RECORDED / 'family.ics'}",
                             "--days", "1.2", now=datetime(2026, 11, 29, 6, 0, tzinfo=NY))
    assert made.fetch() == [
        ["Walk the dog", "2026-11-29T07:00:00-05:00", "2026-11-29T07:30:00-05:00"],
        ["Walk the dog", "2026-11-30T07:00:00-05:00", "2026-11-30T07:30:00-05:00"],
        ["Dentist", "2026-11-30T09:30:00-05:00", "2026-11-30T10:30:00-05:00"],
    ]


def test_source_from_a_secret_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "calendar-url"
    secret.write_text(str(RECORDED / "family.ics") + "\n")
    monkeypatch.delenv("CALENDAR_SOURCE", raising=False)
    monkeypatch.setenv("CALENDAR_SOURCE_FILE", str(secret))
    made = make_producer(Calendar, ["--timezone", "America/New_York"])
    made.now = lambda: THANKSGIVING_4PM  # type: ignore[method-assign]
    assert made.fetch() == THIS_WEEK
    monkeypatch.delenv("CALENDAR_SOURCE_FILE")
    with pytest.raises(ConfigError, match="CALENDAR_SOURCE"):
        make_producer(Calendar, []).fetch()


@pytest.mark.parametrize(("config", "named"), [
    ({"limit": "ten"}, "limit 'ten' is not a whole number (--limit, config 'limit')"),
    ({"limit": 21}, "limit 21 is outside 1-20 (--limit, config 'limit')"),
    ({"days": "a week"}, "--days (config 'days'): 'a week' is not a number of days"),
    ({"days": 0}, "--days (config 'days'): 0 must be more than 0 days"),
])
def test_bad_window_setting_is_named(config: dict[str, object], named: str) -> None:
    made = make_producer(Calendar, ["--source", str(RECORDED / "family.ics")], config)
    with pytest.raises(ConfigError) as caught:
        made.fetch()
    assert str(caught.value) == f"Calendar: {named}"


def test_not_icalendar_names_the_source(upstream: RecordedServer) -> None:
    upstream.serve(ICS, "<html>Sign in to see this calendar</html>", ctype="text/html")
    with pytest.raises(UpstreamShapeError) as caught:
        calendar_producer(upstream.url + "family.ics").fetch()
    assert caught.value.path == "source[0]"
    assert "not iCalendar" in str(caught.value)


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "Calendar", ICS, "source[0]"

    def make(self, url: str) -> Calendar:
        # The real clock: envelope ts must grow between rounds.
        return calendar_producer(url + "family.ics", now=None)

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(ICS, recorded("family.ics"), ctype=CTYPE)

    def serve_changed(self, upstream: RecordedServer) -> None:
        upstream.serve(ICS, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Not a calendar\r\nEND:VCARD\r\n",
                       ctype=CTYPE)


def test_calendar_process_publishes(upstream: RecordedServer, valkey) -> None:
    upstream.serve("/daily.ics", recorded("daily.ics"), ctype=CTYPE)
    message = check_process_publishes("calendar", [], valkey.url, "Calendar",
                                      env={"CALENDAR_SOURCE": upstream.url + "daily.ics",
                                           "TIMEZONE": "America/New_York"})
    # A daily 07:00 walk: 7 (or 8, before 07:30) entries in the next 7 days, all at 07:00.
    values = message["values"]
    assert 7 <= len(values) <= 8
    assert all(v[0] == "Walk the dog" and v[1].endswith(("T07:00:00-05:00", "T07:00:00-04:00"))
               for v in values)
    starts = [datetime.fromisoformat(v[1]) for v in values]
    assert all(b - a == timedelta(days=1) for a, b in zip(starts, starts[1:], strict=False))
    assert seconds_valid(message) == 900


def test_missing_source_exits_with_its_name_even_while_redis_is_down() -> None:
    import os
    import subprocess
    import sys

    from tests.producer_support import REPO

    env = {k: v for k, v in os.environ.items() if not k.startswith("CALENDAR_SOURCE")}
    env["CALENDAR_SOURCE_FILE"] = "/nonexistent/calendar-source"
    done = subprocess.run([sys.executable, "-m", "server.producers", "calendar",
                           "--redis-url", dead_port_url().replace("http", "redis")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "CALENDAR_SOURCE_FILE" in done.stderr and "/nonexistent/calendar-source" in done.stderr
