"""Each widget's golden picture (tests/golden/widgets/) matches pixel for pixel; on a
difference the actual frame and a diff are written under tests/_failures/widgets/."""

from __future__ import annotations

import pytest

from tests.golden_support import assert_matches_golden
from tests.widget_goldens import CASES, GOLDEN_DIR


@pytest.mark.parametrize("name", sorted(CASES))
def test_widget_matches_its_golden(name: str) -> None:
    assert_matches_golden(CASES[name](), GOLDEN_DIR / f"{name}.png", "widgets",
                          "python -m tests.widget_goldens --regenerate")


def test_no_stray_widget_goldens() -> None:
    stray = [p.name for p in GOLDEN_DIR.glob("*.png") if p.stem not in CASES]
    assert not stray, f"widget goldens without a case: {stray}"
