"""Lenient readers: any JSON value in, a typed value or None out, never an exception.

Producers are trusted for nothing: a field may be missing, null, of the wrong
type or absurdly long. Every model reads its fields through these, so one
bad field costs that field only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

MAX_TEXT = 2000  # a longer string is cut: no display shows more


def number(value: Any) -> float | None:
    """A finite number from an int, float or numeric string (scores arrive as ``"3"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str) and len(value) <= 32:
        try:
            result = float(value.strip().rstrip("%").strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def integer(value: Any, low: int | None = None, high: int | None = None) -> int | None:
    """A number rounded to an int, within [low, high] when given; else None."""
    n = number(value)
    if n is None or abs(n) > 1e12:
        return None
    result = int(round(n))
    if (low is not None and result < low) or (high is not None and result > high):
        return None
    return result


def string(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A string (cut to ``limit``); anything else, numbers included, is None."""
    return value[:limit] if isinstance(value, str) else None


def flag(value: Any) -> bool | None:
    """True/False from a boolean or the texts ``"True"``/``"False"`` (Garmin's form)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def sequence(value: Any, limit: int = 500) -> Sequence[Any]:
    """A list's first ``limit`` entries; anything that is not a list is empty."""
    return value[:limit] if isinstance(value, list | tuple) else ()


def first(*values: Any) -> Any:
    """The first value that is not None (a field under its original or our name)."""
    for value in values:
        if value is not None:
            return value
    return None


def truncate(value: float | None) -> int | None:
    """``int()`` of a number, as the original producers write whole degrees."""
    return None if value is None else int(value)


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the keys whose value is None (an absent field, not a null)."""
    return {k: v for k, v in data.items() if v is not None}


RGB = tuple[int, int, int]


def hex_color(value: Any) -> RGB | None:
    """``#c6011f`` or ``c6011f`` (ESPN's colours come both ways) -> RGB, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().lstrip("#")
    if len(text) != 6:
        return None
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        return None
