"""Comparing a picture with its golden PNG, for the golden tests kept outside the page
goldens' size folders (widgets, app cards)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from matrix_client.pages.golden import FAILURE_DIR, diff_image


def assert_matches_golden(actual: Image.Image, path: Path, failures: str,
                          regenerate: str) -> None:
    """Fail unless ``actual`` equals the PNG at ``path`` pixel for pixel; on a difference
    write the actual frame and a diff under tests/_failures/<failures>/."""
    assert path.exists(), f"no golden at {path}; run {regenerate}"
    with Image.open(path) as stored:
        expected = stored.convert("RGB")
    if expected.size == actual.size and ImageChops.difference(expected, actual).getbbox() is None:
        return
    out = FAILURE_DIR / failures
    out.mkdir(parents=True, exist_ok=True)
    actual.save(out / f"{path.stem}-actual.png")
    diff_image(expected, actual).save(out / f"{path.stem}-diff.png")
    pytest.fail(f"{path.stem}: differs from {path}; actual and diff in {out}")
