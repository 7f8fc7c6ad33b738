"""Moon producer: computed locally with astral, checked against known 2026 lunar dates."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import astral
import astral.moon
import pytest

from server.producers.moon import Moon, illumination, phase_index, sky
from server.producers.place import Place
from tests.producer_support import REPO, check_process_publishes, make_producer, seconds_valid

NY = ZoneInfo("America/New_York")
NYC = Place(40.7128, -74.0060, "America/New_York")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)


@pytest.mark.parametrize(("moment", "phase", "lit"), [
    (at(2026, 11, 9, 12), range(0, 2), (0.0, 1.0)),      # new moon, 9 Nov 2026
    (at(2026, 11, 24, 12), range(48, 52), (99.0, 100.0)),  # full moon, 24 Nov 2026
    (at(2026, 12, 1, 12), range(73, 77), (40.0, 60.0)),    # last quarter, 1 Dec 2026
])
def test_phase_and_illumination_on_known_dates(moment: datetime, phase: range,
                                               lit: tuple[float, float]) -> None:
    values, _ = sky(NYC, moment)
    assert values["phase"] in phase
    assert re.fullmatch(r"\d{1,3}\.\d%", values["illumstr"])
    assert lit[0] <= float(values["illumstr"].rstrip("%")) <= lit[1]


def test_phase_index_and_illumination_scale() -> None:
    assert [phase_index(a) for a in (0, 7, 14, 21, 27.99)] == [0, 25, 50, 75, 99]
    assert illumination(0) == pytest.approx(0)
    assert illumination(14) == pytest.approx(1)
    assert illumination(7) == pytest.approx(0.5)


def test_next_sun_event_switches_after_sunset() -> None:
    # New York sets at about 4:30 PM on Thanksgiving 2026 and rises at about 6:56 AM.
    before, sunset = sky(NYC, at(2026, 11, 26, 15))
    assert re.fullmatch(r"Sunset:   04:(29|30|31) PM", before["sunevent"])
    assert sunset == min(sunset, at(2026, 11, 26, 16, 40))
    after, _ = sky(NYC, at(2026, 11, 26, 17))
    assert re.fullmatch(r"Sunrise:  06:5\d AM", after["sunevent"])


def test_next_moon_event_is_astral_s_next_rise_or_set() -> None:
    now = at(2026, 11, 26, 17)
    values, _ = sky(NYC, now)
    observer = astral.Observer(latitude=NYC.latitude, longitude=NYC.longitude)
    rise = astral.moon.moonrise(observer, now.date(), tzinfo=NY)
    set_ = astral.moon.moonset(observer, now.date() + timedelta(days=1), tzinfo=NY)
    assert rise is not None and set_ is not None and now < rise < set_
    assert values["moonevent"] == f"Moonrise: {rise:%I:%M %p}"


def test_clock24_and_label_layout() -> None:
    values, _ = sky(NYC, at(2026, 11, 26, 17), clock24=True)
    assert re.fullmatch(r"Sunrise:  06:5\d", values["sunevent"])
    assert len(values["moonevent"].split(":")[0]) + 1 <= 10
    assert values["moonevent"][:10] in ("Moonrise: ", "Moonset:  ")


def test_period_ends_just_after_the_next_event() -> None:
    made = make_producer(Moon, ["--timezone", "America/New_York", "--period", "600"])
    made.now = lambda: at(2026, 11, 26, 16, 25)  # type: ignore[method-assign]
    made.fetch()
    assert made.next_change is not None
    until = (made.next_change - at(2026, 11, 26, 16, 25)).total_seconds()
    assert 0 < until < 600
    assert made.next_period({}) == pytest.approx(max(30, until + 5))
    made.now = lambda: at(2026, 11, 26, 12)  # type: ignore[method-assign]
    made.fetch()
    assert made.next_period({}) == 600  # the next event is hours away


def test_process_publishes(valkey) -> None:
    message = check_process_publishes("moon", [], valkey.url, "Moon",
                                      env={"LATITUDE": "51.5", "LONGITUDE": "-0.12",
                                           "TIMEZONE": "Europe/London"})
    values = message["values"]
    place = Place(51.5, -0.12, "Europe/London")
    expected, _ = sky(place, datetime.fromtimestamp(message["ts"] / 1000, UTC))
    assert values["phase"] == expected["phase"]
    assert values["illumstr"] == expected["illumstr"]
    assert values["sunevent"][:10] in ("Sunrise:  ", "Sunset:   ")
    assert 30 <= seconds_valid(message) <= 600


def test_unknown_time_zone_is_a_clear_config_error() -> None:
    done = subprocess.run([sys.executable, "-m", "server.producers", "moon", "--once",
                           "--timezone", "Mars/Olympus", "--redis-url",
                           "redis://127.0.0.1:1/0"], cwd=REPO, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2
    assert "Mars/Olympus" in done.stderr and "TIMEZONE" in done.stderr
