"""bench/timeline.py: the schedule renders when the loop would, and nudged data renders."""

from __future__ import annotations

import copy
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import timeline  # noqa: E402

from matrix_client.pages import registry  # noqa: E402
from matrix_client.pages.base import PageGarbage, render_checked  # noqa: E402
from matrix_client.pages.samples import NOW, context  # noqa: E402


def test_a_page_with_ttl_one_second_renders_each_second_and_on_each_arrival() -> None:
    state = context("", (64, 32)).state
    seen: list[datetime] = []

    def render(now: datetime, _: Any) -> float:
        seen.append(now)
        return 1.0

    shown = timeline.simulate(render, state, ("MLB",), NOW, minutes=2)
    arrivals = 120 / timeline.CADENCES["MLB"] - 1  # at 30, 60 and 90 s: 120 s is past the end
    # Arrivals fall on whole seconds, where the ttl runs out too: one render each.
    assert arrivals == 3 and len(shown.seconds) == 120
    assert shown.by_time == 119 and shown.by_data == 0  # counted once, as an expiry
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_arrivals_between_expiries_add_renders_and_a_zero_ttl_waits_the_frame_gap() -> None:
    state = context("", (64, 32)).state
    shown = timeline.simulate(lambda now, _: 7.0, state, ("MLB",), NOW, minutes=2)
    # An arrival restarts the ttl, as the loop's RenderCache.keep does: 0, 7 ... 28, then
    # 30, 37 ... 58, 60 ... 88, 90 ... 118.
    assert len(shown.seconds) == 20 and shown.by_data == 3
    fast = timeline.simulate(lambda now, _: 0.0, state, (), NOW, minutes=1)
    assert len(fast.seconds) == round(60 / timeline.FRAME_GAP)


def test_an_arrival_reaches_the_page_with_nudged_values() -> None:
    state = context("", (64, 32)).state
    got: list[Any] = []
    timeline.simulate(lambda now, s: got.append(s["NFL"]) or 60.0, state, ("NFL",), NOW, 1)
    assert got[0] is state["NFL"]
    assert got[1]["ts"] > got[0]["ts"] and got[1]["values"] != got[0]["values"]


@pytest.mark.parametrize("kind", sorted(set(timeline.NUDGES) & set(context("", (64, 32)).state)))
def test_each_nudge_changes_the_state_and_its_pages_still_render(kind: str) -> None:
    for size in ((64, 32), (128, 64)):
        ctx = context("", size)
        original = copy.deepcopy(ctx.state[kind])
        state = dict(ctx.state)
        for n in range(1, 8):
            state[kind] = timeline.arrival(state[kind], n, NOW)
            assert state[kind]["values"] != original["values"]
            for spec in registry().values():
                if kind in spec.types:
                    moved = type(ctx)(**{**ctx.__dict__, "state": state})
                    try:
                        render_checked(spec, moved)
                    except (PageGarbage, Exception) as exc:  # the loop's error card
                        pytest.fail(f"{spec.name} on nudged {kind} #{n}: {exc!r}")
        assert ctx.state[kind] == original  # the sample itself is left alone


def test_main_prints_a_line_per_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert timeline.main(["--pages", "clock", "--minutes", "1", "--size", "64x32"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[2:]]
    assert [row[0] for row in rows] == ["clock"]
    assert int(rows[0][1]) >= 59  # a clock with seconds: about one render a second
