"""What charts share: tolerant reading of a series and its vertical scale."""

from __future__ import annotations

import math
from collections.abc import Sequence


def readings(values: object, limit: int = 512) -> list[float | None]:
    """The first ``limit`` values as floats; what is not a finite number is a gap (None)."""
    if not isinstance(values, Sequence) or isinstance(values, str | bytes):
        return []
    out: list[float | None] = []
    for value in values[:limit]:
        kind = type(value)  # exact types: a bool is not a reading
        if kind is int or (kind is float and math.isfinite(value)):
            out.append(float(value))
        else:
            out.append(None)
    return out


def value_range(
    values: Sequence[float | None], low: float | None, high: float | None
) -> tuple[float, float]:
    """(low, high) of the scale: the given bounds, else the data's; never empty."""
    present = [v for v in values if v is not None]
    lo = low if low is not None else min(present, default=0.0)
    hi = high if high is not None else max(present, default=1.0)
    if hi <= lo:
        hi = lo + 1.0
    return lo, hi


def level(value: float, lo: float, hi: float, steps: int) -> int:
    """``value`` on a scale of ``steps`` pixels (0 .. steps), clamped."""
    return round(min(1.0, max(0.0, (value - lo) / (hi - lo))) * steps)
