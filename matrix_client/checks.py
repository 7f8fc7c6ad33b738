"""Value checks shared by the config schema and the driver's options: each returns the
clean value or raises ValueError saying what is wrong (the caller adds key and file)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def integer(low: int | None = None, high: int | None = None,
            extra: Callable[[int], str | None] | None = None) -> Callable[[Any], int]:
    """An int (or its text) in low-high; ``extra`` may refuse more, returning why."""
    def check(value: Any) -> int:
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise ValueError(f"expected an integer, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low if low is not None else '...'}-{high if high is not None else '...'}"
            raise ValueError(f"expected an integer in {span}, got {value}")
        why = extra(value) if extra else None
        if why:
            raise ValueError(why)
        return value
    return check


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else None
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value
