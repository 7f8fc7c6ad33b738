"""Track: the last position of a Garmin inReach, as its MapShare KML feed writes it.

The original keys are the feed's ``ExtendedData`` names; numbers arrive as
text except ``Velocity`` (knots, 2 dp).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from glanceboard.payloads.read import flag, mapping, number, string
from glanceboard.payloads.times import parse_any, stamp_garmin

KMH_PER_KNOT = 1.852


@dataclass(frozen=True, slots=True)
class Track:
    time: datetime | None = None
    time_text: str | None = None
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    velocity: float | None = None  # knots
    course: str | None = None  # 16-point compass
    valid_fix: bool | None = None

    @property
    def first_name(self) -> str | None:
        return self.name.split()[0] if self.name and self.name.split() else None

    @classmethod
    def parse(cls, values: Any, zone: tzinfo | None = None) -> Track:
        """``zone``: where the feed's zone-less times are (the display's zone)."""
        data = mapping(values)
        latitude, longitude = number(data.get("Latitude")), number(data.get("Longitude"))
        return cls(
            time=parse_any(data.get("Time"), zone),
            time_text=string(data.get("Time"), 64),
            name=string(data.get("Name"), 200),
            latitude=latitude if latitude is not None and -90 <= latitude <= 90 else None,
            longitude=longitude if longitude is not None and -180 <= longitude <= 180 else None,
            velocity=number(data.get("Velocity")),
            course=string(data.get("Course"), 8),
            valid_fix=flag(data.get("Valid GPS Fix")),
        )

    def to_values(self) -> dict[str, Any]:
        return {
            "Time": stamp_garmin(self.time) if self.time else (self.time_text or ""),
            "Name": self.name or "",
            "Latitude": f"{self.latitude:.6f}" if self.latitude is not None else "",
            "Longitude": f"{self.longitude:.6f}" if self.longitude is not None else "",
            "Velocity": int((self.velocity or 0.0) * 100) / 100,
            "Course": self.course or "",
            "Valid GPS Fix": "True" if self.valid_fix else "False",
        }
