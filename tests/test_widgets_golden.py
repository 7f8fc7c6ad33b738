"""Each widget's golden picture (tests/golden/widgets/) matches pixel for pixel; on a
difference the actual frame and a diff are written under tests/_failures/widgets/."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from matrix_client.pages.golden import FAILURE_DIR, diff_image
from tests.widget_goldens import CASES, GOLDEN_DIR


@pytest.mark.parametrize("name", sorted(CASES))
def test_widget_matches_its_golden(name: str) -> None:
    path = GOLDEN_DIR / f"{name}.png"
    actual = CASES[name]()
    assert path.exists(), f"no golden at {path}; run python -m tests.widget_goldens --regenerate"
    with Image.open(path) as stored:
        expected = stored.convert("RGB")
    if expected.size == actual.size and ImageChops.difference(expected, actual).getbbox() is None:
        return
    out = FAILURE_DIR / "widgets"
    out.mkdir(parents=True, exist_ok=True)
    actual.save(out / f"{name}-actual.png")
    diff_image(expected, actual).save(out / f"{name}-diff.png")
    pytest.fail(f"{name}: differs from {path}; actual and diff in {out}")


def test_no_stray_widget_goldens() -> None:
    stray = [p.name for p in GOLDEN_DIR.glob("*.png") if p.stem not in CASES]
    assert not stray, f"widget goldens without a case: {stray}"
