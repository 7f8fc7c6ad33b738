"""The typed payload models: both shapes in, one view out, the original shape written."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from glanceboard.payloads import names, original, rewrite, view, write
from glanceboard.payloads.agenda import Agenda
from glanceboard.payloads.aqi import Aqi, band_of
from glanceboard.payloads.events import Events, FamilyEvent, ordinal
from glanceboard.payloads.github import GitHub
from glanceboard.payloads.mlb import parse_games, write_games
from glanceboard.payloads.moon import Moon, SkyEvent
from glanceboard.payloads.nfl import Week, period_text
from glanceboard.payloads.times import (
    parse_any,
    stamp_github,
    stamp_minutes,
    stamp_seconds,
    stamp_zone_name,
)
from glanceboard.payloads.track import Track
from glanceboard.payloads.weather import Weather, glyph
from tests.legacy_samples import legacy, legacy_names

EDT = timezone(timedelta(hours=-4))
JUNK: tuple[Any, ...] = (None, True, 7, -1.5, "x", "", [], [1, "a"], {}, {"a": 1}, "9" * 5000)
DATA_SAMPLES = [n for n in legacy_names() if n != "webcontrol"]


def test_every_legacy_sample_meets_the_original_expectations() -> None:
    """The check written from the original clients' field tables passes the original data."""
    for name in legacy_names():
        assert original.problems(legacy(name)) == [], name


@pytest.mark.parametrize("name", DATA_SAMPLES)
def test_writing_a_legacy_view_keeps_every_original_field(name: str) -> None:
    """Parse the original, write it back: every original field is there, same value."""
    envelope = legacy(name)
    kind = envelope["type"]
    written = rewrite(kind, envelope)
    _assert_contains(envelope["values"], written, "values")
    assert original.problems({**envelope, "values": written}) == []


def _assert_contains(expected: Any, actual: Any, where: str) -> None:
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is missing"
            _assert_contains(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _assert_contains(e, a, f"{where}[{i}]")
    else:
        assert actual == expected and type(actual) is type(expected), (where, expected, actual)


def test_weather_reads_the_original_shape() -> None:
    envelope = legacy("Weather")
    weather = view("Weather", envelope)
    assert weather.current.temp == 78.62 and weather.current.wid == 802
    assert weather.current.night is False and weather.current.next_wid is None
    assert len(weather.forecast) == 8 and weather.forecast[0].label == "TOD"
    assert weather.forecast[0].high == 80 and weather.forecast[0].name() == "Today"
    assert len(weather.hourly) == 48 and weather.hourly[0].feels == 79
    # The bare "14:00" hours are dated from `updated` (2:35 PM), across midnight too.
    assert weather.hourly[0].time == datetime(2025, 9, 14, 14, 0, tzinfo=EDT)
    assert weather.hourly[10].time == datetime(2025, 9, 15, 0, 0, tzinfo=EDT)
    assert weather.next_wid == weather.hourly[1].wid


def test_weather_reads_our_earlier_shape() -> None:
    values = {
        "current": {"temp": 47.3, "dn": "n", "wid": 800, "nwid": 803},
        "forecast": [{"date": "2026-11-26", "day": "Thu", "hi": 52.4, "lo": 41, "wid": 500}],
        "hourly": [{"time": "2026-11-26T16:00:00-05:00", "temp": 44.6, "fl": 40.1, "wid": 804}],
    }
    weather = Weather.parse(values)
    assert weather.current.next_wid == 803 and weather.current.night is True
    assert weather.forecast[0].day == date(2026, 11, 26) and weather.forecast[0].high == 52.4
    assert weather.hourly[0].feels == 40.1 and weather.hourly[0].clock == (16, 0)


def test_weather_writes_the_original_fields_with_extensions() -> None:
    values = Weather.parse({
        "current": {"temp": 47.3, "dn": "n", "wid": 800, "next_wid": 803, "windDir": "NW"},
        "forecast": [{"date": "2026-11-26", "hi": 52.6, "lo": 41.9, "wid": 500},
                     {"date": "2026-11-27", "hi": 50, "lo": 40, "wid": 800},
                     {"date": "2026-11-28", "hi": 50, "lo": 40, "wid": 800}],
        "hourly": [{"time": "2026-11-26T16:00:00-05:00", "temp": 44.6, "fl": 40.1, "wid": 804,
                    "dn": "n"}],
    }).to_values()
    assert values["current"]["nwid"] == 61800  # owfont: night glyph of clear sky
    assert values["current"]["next_wid"] == 803
    assert [d["dow"] for d in values["forecast"]] == ["TOD", "TOM", "SAT"]
    assert values["forecast"][0]["high"] == 52 and values["forecast"][0]["hi"] == 52.6
    hour = values["hourly"][0]
    assert hour["hour"] == "16:00" and hour["temp"] == 44 and hour["feel"] == 40
    assert hour["fl"] == 40.1 and hour["nwid"] == 60804
    assert glyph(802, True) == 61802 and glyph(803, True) == 60803


def test_aqi_bands_and_both_pollutant_names() -> None:
    aqi = view("AQI", legacy("AQI"))
    assert aqi.score == 57 and aqi.label == "Moderate" and aqi.shown_color == (255, 255, 0)
    assert aqi.pollutant_short == "PM2.5"
    assert aqi.measured == datetime(2025, 9, 14, 14, 0, tzinfo=EDT)
    ours = Aqi.parse({"aqi_score": 160, "main_pollutant": "PM10"})
    assert ours.label == "Unhealthy" and ours.pollutant == "Particulate Matter (10 microns)"
    assert [band_of(s).adjective for s in (0, 50, 51, 301, 900)] == [
        "Good", "Good", "Moderate", "Hazardous", "Hazardous"]
    written = Aqi.of_score(42, "PM2.5", datetime(2026, 11, 26, 16, 0,
                                                 tzinfo=timezone(timedelta(hours=-5), "EST")))
    assert written.to_values() == {
        "date_time": "11/26/2026 4:00 PM EST", "date_time_at": "2026-11-26T16:00:00-05:00",
        "aqi_score": 42, "aqi_adjective": "Good",
        "color": "(0,228,0)", "main_pollutant": "Particulate Matter (2.5 microns)"}
    # The ISO field wins over the abbreviated text; without it the text still reads.
    sent = written.to_values() | {"date_time": "11/26/2026 4:00 PM PST"}
    assert Aqi.parse(sent).measured == datetime(2026, 11, 26, 21, 0, tzinfo=UTC)
    assert Aqi.parse({"date_time": "11/26/2026 4:00 PM PST"}).measured == datetime(
        2026, 11, 27, 0, 0, tzinfo=UTC)


def test_moon_events_are_read_as_label_and_clock() -> None:
    moon = view("Moon", legacy("Moon"))
    assert moon.phase == 75 and moon.illumination == 46.9
    assert moon.sun_event == SkyEvent("Sunset", "07:14 PM", (19, 14))
    assert moon.moon_event is not None and moon.moon_event.label == "Moonset"
    assert SkyEvent.write("Moonrise", None) == "Moonrise: --:--"
    assert Moon.parse({"phase": 120}).phase is None


def test_calendar_entries_and_the_empty_form() -> None:
    agenda = view("Calendar", legacy("Calendar"))
    assert [e.summary for e in agenda.entries][:2] == ["JSD Standup", "JSD Talking"]
    assert agenda.entries[0].start == datetime(2025, 9, 15, 8, 30, tzinfo=EDT)
    assert view("Calendar", legacy("Calendar_no_events")).empty
    all_day = Agenda.parse([["Trip", "2026-11-28", "2026-11-30"]]).entries[0]
    assert all_day.all_day and all_day.end_day == date(2026, 11, 30)
    assert Agenda.parse("junk").readable is False
    assert Agenda().to_values() == ["No events"]


def test_family_events_recur_with_their_ordinal() -> None:
    events = view("Events", legacy("Events"))
    assert len(events.family) == 4
    ryan = events.family[2]
    assert ryan.next_on(date(2025, 9, 14)) == date(2025, 9, 27)
    assert ryan.title(date(2025, 9, 14)) == "Ryan's 27th Birthday"
    assert events.family[1].next_on(date(2025, 9, 14)) == date(2026, 6, 18)
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
    leap = FamilyEvent(name="Leo", event="Birthday", month=2, day=29, year=2004)
    assert leap.next_on(date(2025, 1, 1)) == date(2025, 3, 1)
    # Our earlier shape (agenda triples) is still read.
    older = Events.parse([["School concert", "2026-12-04T18:30:00-05:00",
                           "2026-12-04T20:00:00-05:00"]])
    assert older.entries(date(2026, 12, 1))[0].summary == "School concert"


def test_github_reads_the_original_date_and_sentinel() -> None:
    github = view("GitHub", legacy("GitHub"))
    assert github.latest_commit == "3f5713a" and github.last_successful_commit == "9b2c4e1"
    assert github.headline == "nfl.py: keep publishing when the situation has no possession"
    assert github.date == datetime(2025, 9, 14, 13, 22, 10, tzinfo=EDT)
    assert GitHub.parse({"last_successful_commit": "0000000"}).last_successful_commit is None
    moment = datetime(2025, 9, 14, 13, 22, 10, tzinfo=timezone(timedelta(hours=-4), "EDT"))
    assert stamp_github(moment) == "2025-09-14 01:22:10 PM EDT"


def test_mlb_reads_the_original_flat_games() -> None:
    live, mid, pre = view("MLB", legacy("MLB_live"))
    assert live.state == "in" and live.half == "Bot" and live.batting
    assert (live.away.abbreviation, live.away.score, live.home.score) == ("NYY", 3, 4)
    assert live.home.color == (0xC6, 0x01, 0x1F) and live.bases == (True, False, True)
    assert (live.balls, live.strikes, live.outs, live.inning) == (2, 1, 1, 7)
    assert mid.half == "Mid" and not mid.batting and mid.outs is None
    assert pre.state == "pre" and pre.away.score is None
    assert pre.start == datetime(2025, 9, 14, 16, 5, tzinfo=EDT)
    final = view("MLB", legacy("MLB_final"))
    assert all(g.final for g in final) and final[2].away.score == 5


def test_mlb_reads_our_earlier_nested_games() -> None:
    (game,) = parse_games([{
        "id": 745123, "start": "2026-11-26T13:05:00-05:00", "status": "In Progress",
        "away": {"team": "NYY", "name": "New York Yankees", "score": 3, "record": "88-70"},
        "home": {"team": "BOS", "score": 2}, "inning": 6, "half": "top", "outs": 1,
        "bases": [True, False, True], "venue": "Fenway Park"}])
    assert game.id == "745123" and game.state == "in" and game.half == "Top"
    assert game.away.name == "New York Yankees" and game.home.score == 2
    assert game.bases == (True, False, True) and game.detail == "In Progress"
    (written,) = write_games([game])
    assert written["status"] == "in" and written["awayScore"] == "3"
    assert written["awayColor"] == "132448" and written["onThird"] is True
    assert written["away"]["score"] == 3 and written["detail"] == "In Progress"
    assert written["startTime"] == "11/26/2026 1:05 PM -0500"
    (pre,) = parse_games([{"status": "Postponed", "away": {"team": "X"}}])
    assert pre.state == "pre" and pre.detail == "Postponed"


def test_nfl_reads_the_week_and_both_game_shapes() -> None:
    week = view("NFL", legacy("NFL_live"))
    assert (week.season_type, week.name, week.dates) == ("Regular Season", "Week 2", "Sep 10-16")
    final, live, quiet, pre = week.games
    assert final.final and (final.home.score, final.away.score) == (27, 18)
    assert live.period == 3 and live.possession == "NE" and live.home.color == (0, 0x8E, 0x97)
    assert quiet.possession is None and pre.start == datetime(2025, 9, 14, 20, 25, tzinfo=UTC)
    older = Week.parse({"events": [{"state": "in", "period": 5, "clock": "4:12",
                                    "away": {"team": "BUF", "score": 17}}]})
    assert older.games[0].period == 5 and older.games[0].away.score == 17
    assert [period_text(p, c) for p, c in ((1, "9:00"), (2, "0:00"), (4, "1:00"), (6, "2:00"))
            ] == ["1st Qtr", "Halftime", "4th Qtr", "OT"]


def test_track_reads_garmin_text_in_the_display_zone() -> None:
    envelope = legacy("Track")
    track = view("Track", envelope)
    assert track.time == datetime(2025, 9, 14, 14, 20, tzinfo=EDT)
    assert (track.latitude, track.longitude, track.velocity) == (44.2705, -71.3036, 1.61)
    assert track.first_name == "Ryan" and track.valid_fix is True
    assert Track.parse({"Latitude": "200"}).latitude is None


def test_server_announcement_and_type_names() -> None:
    assert view("Weather-Server", legacy("Weather-Server")).message == "OWMServer started."
    assert names.server_type("MLB") == "MLB-Server" and names.producer_of("MLB-Server") == "MLB"
    assert not names.is_server_type("-Server")


def test_times_of_both_ecosystems() -> None:
    moment = datetime(2025, 9, 14, 14, 5, 9, tzinfo=timezone(timedelta(hours=-4), "EDT"))
    assert stamp_minutes(moment) == "09/14/2025 2:05 PM -0400"
    assert stamp_seconds(moment) == "09/14/2025 2:05:09 PM -0400"
    assert stamp_zone_name(moment) == "09/14/2025 2:05 PM EDT"
    assert original.updated_text(stamp_minutes(moment))
    assert not original.updated_text("09/14/2025 02:05 PM -0400")  # arrow's 'h': no padding
    assert parse_any("09/14/2025 2:00 PM EDT") == moment.replace(minute=0, second=0)
    assert parse_any("2025-09-14T17:00Z") == datetime(2025, 9, 14, 17, 0, tzinfo=UTC)
    assert parse_any("not a time") is None and parse_any([1]) is None
    assert parse_any(1757872800000) == datetime(2025, 9, 14, 18, 0, tzinfo=UTC)  # epoch ms


@pytest.mark.parametrize("name", DATA_SAMPLES)
def test_every_field_of_every_sample_survives_junk(name: str) -> None:
    """Each field in turn replaced by each kind of junk: the view is built, never raises."""
    envelope = legacy(name)
    kind = envelope["type"]
    for path in _paths(envelope["values"]):
        for junk in JUNK:
            broken = copy.deepcopy(envelope)
            _set(broken["values"], path, junk)
            parsed = view(kind, broken)
            write(kind, parsed)  # what was read can be written again
    for junk in JUNK:
        view(kind, {**envelope, "values": junk, "updated": junk})


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value[:3])
    else:
        return out
    for key, child in items:
        out.append((*prefix, key))
        out.extend(_paths(child, (*prefix, key)))
    return out


def _set(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for key in path[:-1]:
        value = value[key]
    value[path[-1]] = new


def test_original_check_names_what_is_wrong() -> None:
    envelope = legacy("MLB_live")
    envelope["values"][0]["awayScore"] = 3
    envelope["values"][0]["homeColor"] = "#c6011f"
    del envelope["values"][1]["inning"]
    envelope["updated"] = "2025-09-14T14:35:10-04:00"
    found = original.problems(envelope)
    assert any("updated" in p for p in found)
    assert any("values[0].awayScore" in p for p in found)
    assert any("values[0].homeColor" in p for p in found)
    assert any("values[1].inning is missing" in p for p in found)


def test_settings_view_keeps_the_good_fields_and_drops_the_bad_ones() -> None:
    from glanceboard.payloads import Settings, view

    parsed = view("Settings", {"type": "Settings", "values": {
        "version": 3, "units": "metric", "clock": "25h", "timezone": "Mars/Olympus",
        "mlb_teams": ["nyy", "XXX", 147, "AZ"], "nfl_teams": ["was", "nyg", "nyg"],
        "latitude": 91, "longitude": -73.9, "wifi_qr": "S:no-prefix", "place": "Home"}})
    assert parsed == Settings(version=3, place="Home", longitude=-73.9, units="metric",
                              mlb_teams=("NYY", "ARI"), nfl_teams=("WSH", "NYG"))
    assert Settings.parse(parsed.to_values()) == parsed
    assert Settings.parse("not a mapping") == Settings()


def test_a_zone_check_never_raises_and_refuses_what_is_no_zone() -> None:
    from glanceboard.zones import zone_named

    # "America" is a directory of zones: ZoneInfo raises IsADirectoryError for it.
    for bad in ("America", "", "../etc/passwd", "Europe/Berlin\x00", " UTC", None, 3):
        assert zone_named(bad) is None, bad
    assert str(zone_named("Europe/Berlin")) == "Europe/Berlin"
    from glanceboard.payloads import Settings
    from glanceboard.profile import check_zone

    assert Settings.parse({"timezone": "America"}).timezone is None
    assert check_zone("America") is not None
