"""Every page at every panel size, for each sample case, matches its golden frame
pixel for pixel (rendered at a frozen time through the headless display)."""

from __future__ import annotations

import logging

import pytest

from matrix_client.pages.golden import (
    GOLDEN_DIR,
    Golden,
    compare,
    goldens,
    page_golden_files,
    render,
)

CASES = goldens()


@pytest.mark.parametrize("golden", CASES, ids=[str(g) for g in CASES])
def test_frame_matches_golden(golden: Golden, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL)  # the malformed case names a missing font on purpose
    problem = compare(golden)
    assert problem is None, problem


def test_every_page_and_size_has_a_golden() -> None:
    pages = {g.page for g in CASES}
    sizes = {g.size for g in CASES}
    assert sizes == {(64, 32), (128, 32), (64, 64), (128, 64)}
    for page in pages:
        for size in sizes:
            assert (GOLDEN_DIR / Golden(page, size, "").relative).exists(), (page, size)


def test_no_stray_goldens() -> None:
    """A golden without a case would never be checked: regeneration removes them."""
    wanted = {GOLDEN_DIR / g.relative for g in CASES}
    stray = [p for p in page_golden_files() if p not in wanted]
    assert not stray, f"goldens without a case: {stray}"


def test_a_changed_frame_is_reported_with_actual_and_diff(tmp_path) -> None:
    """The comparison can fail: a golden with one pixel changed is caught and explained."""
    golden = Golden("clock", (64, 32), "")
    frame = render(golden)
    tampered = frame.copy()
    x, y = 10, 10
    r, g, b = tampered.getpixel((x, y))
    tampered.putpixel((x, y), (255 - r, 255 - g, 255 - b))
    directory = tmp_path / "golden"
    (directory / golden.relative).parent.mkdir(parents=True)
    tampered.save(directory / golden.relative)
    failures = tmp_path / "failures"
    message = compare(golden, directory, failures)
    assert message is not None
    assert "(10, 10, 11, 11)" in message
    actual = failures / "64x32" / "clock-actual.png"
    diff = failures / "64x32" / "clock-diff.png"
    assert str(actual) in message and str(diff) in message
    assert actual.exists() and diff.exists()


def test_regeneration_leaves_other_golden_folders_alone(tmp_path) -> None:
    """Only the size folders hold page goldens: the widget goldens are not 'stray'."""
    for name in ("64x32/clock.png", "128x64/clock.png", "widgets/row.png", "widgets/x/y.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = sorted(p.relative_to(tmp_path).as_posix() for p in page_golden_files(tmp_path))
    assert found == ["128x64/clock.png", "64x32/clock.png"]
