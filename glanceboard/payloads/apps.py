"""Apps: small cards pushed over HTTP (``PUT /apps/{name}``) that displays show in turn.

The API server validates each app strictly (server/api/apps.py) and publishes the
whole live set as one ``Apps`` envelope; this is the lenient reader every display
uses, like the other payload models: a field that is missing or malformed is None
(or empty), an app without a usable name or expiry is left out, nothing raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from glanceboard.payloads.read import (
    RGB,
    compact,
    hex_color,
    integer,
    mapping,
    number,
    sequence,
    string,
)

MAX_APPS = 16  # what the server allows; a longer list is cut to this
MAX_LINES = 4
MAX_TEXT = 200
MAX_LINE = 100
MAX_SERIES = 64
MAX_IMAGE_CHARS = 12_000  # base64 of the server's image byte limit, with room to spare
CHART_KINDS = ("line", "bars")
DEFAULT_DURATION = 8


def epoch_ms(value: Any) -> int | None:
    """Milliseconds since the epoch (years 1970 to about 5000), else None."""
    n = number(value)
    return int(n) if n is not None and 0 <= n < 1e14 else None


def hex_of(color: RGB | None) -> str | None:
    return None if color is None else f"#{color[0]:02x}{color[1]:02x}{color[2]:02x}"


@dataclass(frozen=True, slots=True)
class Chart:
    values: tuple[float | None, ...]  # None: a gap
    kind: str = "line"
    color: RGB | None = None

    @classmethod
    def parse(cls, value: Any) -> Chart | None:
        data = mapping(value)
        raw = sequence(data.get("values"), MAX_SERIES)
        if not raw:
            return None
        kind = string(data.get("kind"), 10)
        return cls(tuple(number(v) for v in raw), kind if kind in CHART_KINDS else "line",
                   hex_color(data.get("color")))

    def to_values(self) -> dict[str, Any]:
        return compact({"values": list(self.values), "kind": self.kind,
                        "color": hex_of(self.color)})


@dataclass(frozen=True, slots=True)
class App:
    """One app as a display reads it. ``expires`` and ``updated`` are ms since the epoch."""

    name: str
    expires: int
    duration: int = DEFAULT_DURATION  # seconds on screen per turn
    text: str | None = None
    lines: tuple[str, ...] = ()
    icon: str | None = None
    image: str | None = None  # base64 PNG or GIF, checked again when decoded
    color: RGB | None = None
    background: RGB | None = None
    progress: float | None = None  # percent, 0-100
    progress_color: RGB | None = None
    chart: Chart | None = None
    updated: int | None = None

    @classmethod
    def parse(cls, value: Any) -> App | None:
        data = mapping(value)
        name = string(data.get("name"), 64)
        expires = epoch_ms(data.get("expires"))
        if not name or expires is None:
            return None
        progress = number(data.get("progress"))
        lines = tuple(line[:MAX_LINE] for line in sequence(data.get("lines"), MAX_LINES)
                      if isinstance(line, str))
        image = data.get("image")
        return cls(
            name=name,
            expires=expires,
            duration=integer(data.get("duration"), 1, 3600) or DEFAULT_DURATION,
            text=string(data.get("text"), MAX_TEXT),
            lines=lines,
            icon=string(data.get("icon"), 40),
            image=image if isinstance(image, str) and len(image) <= MAX_IMAGE_CHARS else None,
            color=hex_color(data.get("color")),
            background=hex_color(data.get("background")),
            progress=min(100.0, max(0.0, progress)) if progress is not None else None,
            progress_color=hex_color(data.get("progress_color")),
            chart=Chart.parse(data.get("chart")),
            updated=epoch_ms(data.get("updated")),
        )

    def live_at(self, now_ms: int) -> bool:
        return now_ms < self.expires

    def to_values(self) -> dict[str, Any]:
        return compact({
            "name": self.name, "text": self.text, "lines": list(self.lines) or None,
            "icon": self.icon, "image": self.image, "color": hex_of(self.color),
            "background": hex_of(self.background), "progress": self.progress,
            "progress_color": hex_of(self.progress_color),
            "chart": self.chart.to_values() if self.chart else None,
            "duration": self.duration, "expires": self.expires, "updated": self.updated,
        })


@dataclass(frozen=True, slots=True)
class Apps:
    """The live set, by name (one entry per name; the later one wins)."""

    apps: tuple[App, ...] = ()

    @classmethod
    def parse(cls, values: Any) -> Apps:
        found: dict[str, App] = {}
        for raw in sequence(mapping(values).get("apps"), MAX_APPS):
            app = App.parse(raw)
            if app is not None:
                found[app.name] = app
        return cls(tuple(sorted(found.values(), key=lambda a: a.name)))

    def live(self, now_ms: int) -> tuple[App, ...]:
        """The apps not yet expired at ``now_ms``, in name order."""
        return tuple(app for app in self.apps if app.live_at(now_ms))

    def to_values(self) -> dict[str, Any]:
        return {"apps": [app.to_values() for app in self.apps]}

    @staticmethod
    def of(apps: Sequence[App]) -> Apps:
        return Apps(tuple(sorted(apps, key=lambda a: a.name)))
