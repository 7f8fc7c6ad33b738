"""Moon: phase image index, illumination, and the next sun and moon events.

Each event is the original's text (``Sunset:   04:31 PM``, in the producer's
zone) and, from our producers, the same moment as ISO 8601 with offset
(``sunevent_at``), which readers prefer so that a display formats it in its
own zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard.payloads.read import mapping, number, string
from glanceboard.payloads.times import parse_clock, parse_iso
from glanceboard.timefmt import format_time

LABEL_WIDTH = 10  # "Sunset:   " - label and spaces, then the time


@dataclass(frozen=True, slots=True)
class SkyEvent:
    """``Sunset:   07:14 PM`` read as its label and clock."""

    label: str  # Sunrise, Sunset, Moonrise, Moonset (or whatever was sent)
    clock: str  # as sent: 07:14 PM, 16:31 or --:--
    at: tuple[int, int] | None  # (hour, minute) when readable

    @classmethod
    def parse(cls, value: Any) -> SkyEvent | None:
        text = string(value, 200)
        if text is None:
            return None
        label, _, rest = text.partition(":")
        clock = rest.strip()
        return cls(label.strip(), clock, parse_clock(clock))

    @staticmethod
    def write(label: str, moment: datetime | None, twelve_hour: bool = True) -> str:
        """The original's layout; ``--:--`` when there is no such event."""
        if moment is None:
            clock = "--:--"
        else:
            clock = moment.strftime("%I:%M %p" if twelve_hour else "%H:%M")
        return f"{label + ':':<{LABEL_WIDTH}}{clock}"


def _phase(n: float | None) -> float | None:
    return n if n is not None and 0 <= n < 100 else None


@dataclass(frozen=True, slots=True)
class Moon:
    phase: float | None = None  # 0-99: 0 new, 25 first quarter, 50 full, 75 last quarter
    illumination: float | None = None  # percent
    illumstr: str | None = None
    sun_event: SkyEvent | None = None
    moon_event: SkyEvent | None = None
    sunevent: str | None = None  # the texts as sent
    moonevent: str | None = None
    sun_at: datetime | None = None  # the events' moments, when known (ISO fields)
    moon_at: datetime | None = None

    @classmethod
    def parse(cls, values: Any) -> Moon:
        data = mapping(values)
        illumstr = string(data.get("illumstr"), 40)
        return cls(
            phase=_phase(number(data.get("phase"))),
            illumination=number(illumstr) if illumstr is not None else None,
            illumstr=illumstr,
            sun_event=SkyEvent.parse(data.get("sunevent")),
            moon_event=SkyEvent.parse(data.get("moonevent")),
            sunevent=string(data.get("sunevent"), 200),
            moonevent=string(data.get("moonevent"), 200),
            sun_at=parse_iso(data.get("sunevent_at")),
            moon_at=parse_iso(data.get("moonevent_at")),
        )

    def to_values(self) -> dict[str, Any]:
        illum = self.illumstr
        if illum is None and self.illumination is not None:
            illum = f"{self.illumination:.1f}%"
        phase = int(self.phase) % 100 if self.phase is not None else None
        out: dict[str, Any] = {"phase": phase, "illumstr": illum, "sunevent": self.sunevent,
                               "moonevent": self.moonevent}
        for key, moment in (("sunevent_at", self.sun_at), ("moonevent_at", self.moon_at)):
            if moment is not None:
                out[key] = format_time(moment)
        return out
