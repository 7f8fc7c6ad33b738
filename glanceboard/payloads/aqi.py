"""AQI: the US EPA air quality index and its band (the one table of EPA bands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard.payloads.read import RGB, hex_color, integer, mapping, string
from glanceboard.payloads.times import parse_any, parse_iso, stamp_zone_name
from glanceboard.timefmt import format_time


@dataclass(frozen=True, slots=True)
class Band:
    upper: int  # the highest score in the band
    adjective: str
    color: RGB

    @property
    def color_text(self) -> str:
        """``(0,228,0)``: the payload's form (the original web display writes rgb + it)."""
        return "({},{},{})".format(*self.color)


BANDS: tuple[Band, ...] = (
    Band(50, "Good", (0, 228, 0)),
    Band(100, "Moderate", (255, 255, 0)),
    Band(150, "Unhealthy for Sensitive Groups", (255, 126, 0)),
    Band(200, "Unhealthy", (255, 0, 0)),
    Band(300, "Very Unhealthy", (143, 63, 151)),
    Band(500, "Hazardous", (126, 0, 35)),
)

# Pollutant names as the original producer writes them, and short forms for small panels.
POLLUTANTS: dict[str, str] = {
    "Ozone": "Ozone",
    "Particulate Matter (2.5 microns)": "PM2.5",
    "Particulate Matter (10 microns)": "PM10",
    "Carbon Monoxide": "CO",
    "Sulfur Dioxide": "SO2",
    "Nitrogen Dioxide": "NO2",
}
_LONG_NAMES = {"PM2.5": "Particulate Matter (2.5 microns)",
               "PM10": "Particulate Matter (10 microns)"}


def band_of(score: int) -> Band:
    """The EPA band of a score (above 500 counts as Hazardous)."""
    for band in BANDS:
        if score <= band.upper:
            return band
    return BANDS[-1]


def parse_color(value: Any) -> RGB | None:
    """``(0,228,0)`` (the payload's form), ``#00e400`` or ``00e400`` -> RGB, else None."""
    if not isinstance(value, str) or len(value) > 32:
        return None
    text = value.strip()
    if text.startswith("("):
        parts = text.strip("()").split(",")
        if len(parts) != 3:
            return None
        try:
            rgb = tuple(int(p.strip()) for p in parts)
        except ValueError:
            return None
        return rgb if all(0 <= c <= 255 for c in rgb) else None  # type: ignore[return-value]
    return hex_color(text)


def long_pollutant(name: str) -> str:
    """The original producer's name of a pollutant (``PM2.5`` -> its long form)."""
    return _LONG_NAMES.get(name, name)


@dataclass(frozen=True, slots=True)
class Aqi:
    measured: datetime | None = None
    score: int | None = None
    adjective: str | None = None
    color: RGB | None = None
    pollutant: str | None = None  # the original's long name

    @property
    def band(self) -> Band | None:
        return None if self.score is None else band_of(self.score)

    @property
    def label(self) -> str | None:
        """The adjective sent, else the band's."""
        band = self.band
        return self.adjective or (band.adjective if band else None)

    @property
    def shown_color(self) -> RGB | None:
        band = self.band
        return self.color or (band.color if band else None)

    @property
    def pollutant_short(self) -> str | None:
        return None if self.pollutant is None else POLLUTANTS.get(self.pollutant, self.pollutant)

    @classmethod
    def parse(cls, values: Any) -> Aqi:
        data = mapping(values)
        return cls(
            measured=parse_iso(data.get("date_time_at")) or parse_any(data.get("date_time")),
            score=integer(data.get("aqi_score"), 0, 999),
            adjective=string(data.get("aqi_adjective"), 200),
            color=parse_color(data.get("color")),
            pollutant=(lambda p: long_pollutant(p) if p else p)(
                string(data.get("main_pollutant"), 200)),
        )

    @classmethod
    def of_score(cls, score: int, pollutant: str, measured: datetime) -> Aqi:
        """What a producer knows: the band follows from the score."""
        band = band_of(score)
        return cls(measured, score, band.adjective, band.color, long_pollutant(pollutant))

    def to_values(self) -> dict[str, Any]:
        band = self.band
        color = self.shown_color
        out: dict[str, Any] = {
            "date_time": stamp_zone_name(self.measured) if self.measured else None,
            "aqi_score": self.score,
            "aqi_adjective": self.adjective or (band.adjective if band else None),
            "color": "({},{},{})".format(*color) if color else None,
            "main_pollutant": self.pollutant,
        }
        if self.measured is not None:  # beside the zone-abbreviated text: the moment
            out["date_time_at"] = format_time(self.measured)
        return out
