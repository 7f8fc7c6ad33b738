"""The time texts of the original payloads, read and written (stdlib only).

The envelope's ``updated`` is ``MM/DD/YYYY h:mm A Z`` (no seconds) and
``valid`` the same with seconds; inside ``values`` other forms appear
(AQI's zone abbreviation, GitHub's ``YYYY-MM-DD hh:mm:ss A ZZZ``, Garmin's
zone-less ``M/D/YYYY h:mm:ss A``, NFL's ``ddd h:mm A``). Readers return an
aware datetime or None; writers take an aware datetime.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

# Zone abbreviations the original producers write with %Z (US zones, as deployed).
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
}

_OFFSET_FORMATS = (
    "%m/%d/%Y %I:%M %p %z",
    "%m/%d/%Y %I:%M:%S %p %z",
    "%Y-%m-%d %I:%M:%S %p %z",
)
_NAIVE_FORMATS = (
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%dT%H:%MZ",
)


def _hour12(moment: datetime) -> str:
    return str(moment.hour % 12 or 12)


def stamp_minutes(moment: datetime) -> str:
    """``09/14/2025 2:35 PM -0400``: ``updated``, MLB ``startTime``, AQI with an offset."""
    return f"{moment:%m/%d/%Y} {_hour12(moment)}:{moment:%M %p %z}"


def stamp_seconds(moment: datetime) -> str:
    """``09/14/2025 2:50:19 PM -0400``: ``valid``."""
    return f"{moment:%m/%d/%Y} {_hour12(moment)}:{moment:%M:%S %p %z}"


def _named(moment: datetime) -> tuple[datetime, str]:
    """``moment`` and its zone abbreviation; a zone without one (a bare offset) is
    written as the same instant in UTC, so the text still reads back exactly."""
    name = moment.tzname() or ""
    if name.isalpha() and len(name) <= 5:
        return moment, name
    return moment.astimezone(UTC), "UTC"


def stamp_zone_name(moment: datetime) -> str:
    """``09/14/2025 2:00 PM EDT``: AQI ``date_time``."""
    moment, name = _named(moment)
    return f"{moment:%m/%d/%Y} {_hour12(moment)}:{moment:%M %p} {name}"


def stamp_github(moment: datetime) -> str:
    """``2025-09-14 01:22:10 PM EDT``: GitHub ``date``."""
    moment, name = _named(moment)
    return f"{moment:%Y-%m-%d %I:%M:%S %p} {name}"


def stamp_garmin(moment: datetime) -> str:
    """``9/14/2025 2:20:00 PM``: Track ``Time`` (the feed's own form, no zone)."""
    return f"{moment.month}/{moment.day}/{moment.year} {_hour12(moment)}:{moment:%M:%S %p}"


def stamp_espn(moment: datetime) -> str:
    """``2025-09-14T17:00Z``: NFL ``fulldate`` (UTC, to the minute)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def weekday_clock(moment: datetime) -> str:
    """``Sun 1:00 PM``: NFL ``date``."""
    return f"{moment:%a} {_hour12(moment)}:{moment:%M %p}"


def _with_zone_name(text: str) -> tuple[str, tzinfo | None]:
    """Split a trailing zone abbreviation (``EDT``) off ``text``."""
    head, _, tail = text.rpartition(" ")
    offset = ZONE_OFFSETS.get(tail.upper()) if head else None
    if offset is None:
        return text, None
    return head, timezone(timedelta(hours=offset), tail.upper())


def parse_any(value: object, zone: tzinfo | None = None) -> datetime | None:
    """Any time text of either ecosystem as an aware datetime, else None.

    A text without a zone is taken in ``zone`` (default UTC), as the
    Garmin feed's times are. A number is taken as epoch seconds (or ms).
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None:
        for fmt in _OFFSET_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        head, named = _with_zone_name(text)
        for fmt in _NAIVE_FORMATS:
            try:
                parsed = datetime.strptime(head, fmt)
            except ValueError:
                continue
            if fmt.endswith("Z"):
                named = UTC
            if named is not None:
                parsed = parsed.replace(tzinfo=named)
            break
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone or UTC)
    return parsed


def _epoch(value: float) -> datetime | None:
    seconds = value / 1000 if abs(value) > 1e11 else value
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` date (an all-day entry), else None."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_clock(value: object) -> tuple[int, int] | None:
    """``14:00`` or ``07:14 PM`` as (hour 0-23, minute), else None."""
    if not isinstance(value, str) or len(value) > 16:
        return None
    for fmt in ("%H:%M", "%I:%M %p"):
        try:
            parsed = datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return parsed.hour, parsed.minute
    return None
