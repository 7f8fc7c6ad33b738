"""The two time formats of the envelope (PROTOCOL section 1).

We write ISO 8601 with an offset; we also read the older producers'
``MM/DD/YYYY h:mm[:ss] AM -0500`` form.
"""

from __future__ import annotations

from datetime import UTC, datetime

_LEGACY_FORMATS = (
    "%m/%d/%Y %I:%M %p %z",
    "%m/%d/%Y %I:%M:%S %p %z",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
)


class TimeFormatError(ValueError):
    """A time string in neither accepted format."""


def parse_time(text: str) -> datetime:
    """Parse an envelope time into an aware datetime; a time without zone is UTC."""
    if not isinstance(text, str) or not text.strip():
        raise TimeFormatError(f"expected a time string, got {text!r:.60}")
    s = text.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(s)
    except ValueError:
        for fmt in _LEGACY_FORMATS:
            try:
                parsed = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise TimeFormatError(
            f"{s!r:.60} is neither ISO 8601 nor 'MM/DD/YYYY h:mm AM -0500'"
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)
    except OverflowError:  # e.g. year 1 at +05:00: before the first moment Python can hold
        raise TimeFormatError(f"{s!r:.60} is outside the years 1-9999 in UTC") from None
    return parsed


def format_time(moment: datetime) -> str:
    """ISO 8601 with offset, to the second, as our producers write it."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.replace(microsecond=0).isoformat()


def now_ms() -> int:
    """Milliseconds since the Unix epoch, the unit of ``ts``."""
    return int(datetime.now(UTC).timestamp() * 1000)
