"""The time texts of the original payloads, read and written (stdlib only).

The envelope's ``updated`` is ``MM/DD/YYYY h:mm A Z`` (no seconds) and
``valid`` the same with seconds; inside ``values`` other forms appear
(AQI's zone abbreviation, GitHub's ``YYYY-MM-DD hh:mm:ss A ZZZ``, Garmin's
zone-less ``M/D/YYYY h:mm:ss A``, NFL's ``ddd h:mm A``). Readers return an
aware datetime or None; writers take an aware datetime.
"""

from __future__ import annotations

import re
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


_LEGACY = re.compile(
    r"(?:(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{2})-(\d{2}))\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s+([AaPp])[Mm](?:\s+(?:([+-])(\d{2}):?(\d{2})|([A-Za-z]{1,5})))?")


def _legacy(text: str) -> datetime | None:
    """The original's 12-hour forms, by hand (strptime is slow): ``09/14/2025 2:35 PM
    -0400``, ``... 2:00 PM EDT``, ``2025-09-14 01:22:10 PM EDT``, Garmin's zone-less one.
    None when ``text`` is not one of them, or names an unknown zone."""
    m = _LEGACY.fullmatch(text)
    if m is None:
        return None
    if m[1] is not None:
        month, day, year = int(m[1]), int(m[2]), int(m[3])
    else:
        year, month, day = int(m[4]), int(m[5]), int(m[6])
    hour = int(m[7])
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if m[10] in "Pp" else 0)
    zone: tzinfo | None = None
    if m[11] is not None:
        minutes = int(m[12]) * 60 + int(m[13])
        zone = timezone(timedelta(minutes=-minutes if m[11] == "-" else minutes))
    elif m[14] is not None:
        offset = ZONE_OFFSETS.get(m[14].upper())
        if offset is None:
            return None
        zone = UTC if offset == 0 and m[14].upper() in ("UTC", "Z") else timezone(
            timedelta(hours=offset), m[14].upper())
    try:
        return datetime(year, month, day, hour, int(m[8]), int(m[9] or 0), tzinfo=zone)
    except ValueError:
        return None


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
    fast = _legacy(text)
    if fast is not None:
        return fast if fast.tzinfo is not None else fast.replace(tzinfo=zone or UTC)
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


def parse_iso(value: object) -> datetime | None:
    """ISO 8601 with an offset (the machine-readable field beside a preformatted time),
    else None: a zone-less time says no more than the text beside it."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


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


_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?:\s*([AaPp])[Mm])?")


def parse_clock(value: object) -> tuple[int, int] | None:
    """``14:00`` or ``07:14 PM`` as (hour 0-23, minute), else None. By hand: strptime is
    slow, and a Weather message has 48 of these."""
    if not isinstance(value, str) or len(value) > 16:
        return None
    match = _CLOCK.fullmatch(value.strip())
    if match is None:
        return None
    hour, minute, half = int(match[1]), int(match[2]), match[3]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "Pp" else 0)
    return (hour, minute) if hour <= 23 and minute <= 59 else None
