"""The countdown plugin's own tests: its goldens (glanceboard's golden tooling, this
folder's frames) and the time left. Run with the plugin installed:

    python -m pytest tests                       # check
    python -m matrix_client.pages.golden --regenerate --pages countdown --dir tests/golden
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from glanceboard_countdown.page import next_event, time_left

from matrix_client.pages import golden, registry

GOLDEN = Path(__file__).with_name("golden")


def test_the_page_is_registered() -> None:
    assert registry()["countdown"].types == ("Countdown",)


def test_frames_match_the_goldens(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL)  # the malformed case names a missing font on purpose
    assert len(golden.goldens(["countdown"])) == 4 * 8  # six shared cases, two of its own
    problems = golden.check(["countdown"], GOLDEN)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "now"), (-5, "now"), (1, "1 min"), (59 * 60, "59 min"), (3600, "1h 00m"),
    (3601, "1h 01m"), (86400 + 7200, "1d 2h"),
])
def test_time_left(seconds: float, text: str) -> None:
    assert time_left(seconds) == text


def test_the_next_event_skips_what_cannot_be_read() -> None:
    now = datetime.fromisoformat("2026-11-26T12:00:00+00:00")
    soon = (now + timedelta(hours=2)).isoformat()
    later = (now + timedelta(days=2)).isoformat()
    values = {"events": [None, {"at": "tomorrow"}, {"name": "B", "at": later},
                         {"name": "A", "at": soon}, "x"]}
    event = next_event(values, now)
    assert event is not None and event.name == "A"
    assert next_event({"events": "garbage"}, now) is None
