"""The displays that report themselves (``PUT /displays/{id}``), held per process.

A report is small, strict JSON with a fixed set of fields; the registry holds at
most ``max_displays`` of them and accepts one report per id per ``min_interval``
seconds, so a hostile client can neither grow memory without bound nor keep the
server busy. A display not heard from for ``stale_after`` seconds is offline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from glanceboard import strictjson
from glanceboard.display_id import check_display_id
from glanceboard.strictjson import RejectedMessage

MAX_REPORT_BYTES = 2048
MAX_TEXT = 64
MAX_SIDE = 1024  # LEDs per panel side: bigger is a mistake, not a wall
REPORT_FIELDS = ("version", "backend", "width", "height", "page", "brightness")
REPORT_REQUIRED = ("width", "height")


class BadReport(ValueError):
    """A report refused: ``status`` is the HTTP answer, the text says what and where."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or not value.isprintable():
        raise BadReport(f"report: {name!r} must be printable text of at most {MAX_TEXT} "
                        f"characters, got {value!r:.40}")
    return value


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadReport(f"report: {name!r} must be an integer {low}-{high}, got {value!r:.40}")
    return value


def parse_report(body: bytes) -> dict[str, Any]:
    """The fields of a valid report body; :class:`BadReport` otherwise."""
    if len(body) > MAX_REPORT_BYTES:
        raise BadReport(f"report: body over the limit of {MAX_REPORT_BYTES} bytes", 413)
    try:
        obj = strictjson.loads(body)
        strictjson.check_tree(obj)
    except RejectedMessage as exc:
        raise BadReport(f"report: not JSON in the strict sense ({exc.reason}: "
                        f"{exc.detail})") from None
    if not isinstance(obj, dict):
        raise BadReport(f"report: body must be a JSON object, got {type(obj).__name__}")
    extra = sorted(set(obj) - set(REPORT_FIELDS))
    if extra:
        raise BadReport(f"report: unknown field(s) {', '.join(extra)}; allowed: "
                        f"{', '.join(REPORT_FIELDS)}")
    missing = [name for name in REPORT_REQUIRED if name not in obj]
    if missing:
        raise BadReport(f"report: missing field(s) {', '.join(missing)}")
    report: dict[str, Any] = {
        "width": _integer("width", obj["width"], 1, MAX_SIDE),
        "height": _integer("height", obj["height"], 1, MAX_SIDE),
    }
    for name in ("version", "backend", "page"):
        if name in obj:
            report[name] = _text(name, obj[name])
    if "brightness" in obj:
        report["brightness"] = _integer("brightness", obj["brightness"], 0, 100)
    return report


@dataclass
class DisplayRegistry:
    """Newest report per display id, with when it came (wall clock, epoch ms)."""

    max_displays: int = 1000
    min_interval: float = 0.5  # seconds between two accepted reports of one id
    stale_after: float = 90.0  # seconds without a report before a display is offline
    clock: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    held: dict[str, dict[str, Any]] = field(default_factory=dict)
    _last_accepted: dict[str, float] = field(default_factory=dict)
    refused: dict[str, int] = field(
        default_factory=lambda: {"bad": 0, "rate": 0, "full": 0})

    def report(self, display_id: str, body: bytes) -> dict[str, Any]:
        """Record one report; raises :class:`BadReport` (400/413/422/429/507) and then
        changes nothing."""
        try:
            check_display_id(display_id)
            fields = parse_report(body)
        except (ValueError, BadReport) as exc:
            self.refused["bad"] += 1
            if isinstance(exc, BadReport):
                raise
            raise BadReport(f"path: {exc}") from None
        now = self.monotonic()
        last = self._last_accepted.get(display_id)
        if last is not None and now - last < self.min_interval:
            self.refused["rate"] += 1
            raise BadReport(f"display {display_id!r}: one report per {self.min_interval:g} s",
                            429)
        if display_id not in self.held and len(self.held) >= self.max_displays:
            self._forget_oldest_offline()
            if len(self.held) >= self.max_displays:
                self.refused["full"] += 1
                raise BadReport(f"display {display_id!r}: {self.max_displays} displays held "
                                "and all online; not recording another", 507)
        self._last_accepted[display_id] = now
        entry = {"id": display_id, **fields, "last_seen": int(self.clock() * 1000)}
        self.held[display_id] = entry
        return self.view(entry)

    def _forget_oldest_offline(self) -> None:
        """Room for a new display: drop the one heard from longest ago, if offline."""
        oldest = min(self.held.values(), key=lambda entry: entry["last_seen"])
        if not self._online(oldest):
            del self.held[oldest["id"]]
            self._last_accepted.pop(oldest["id"], None)

    def _online(self, entry: dict[str, Any]) -> bool:
        return self.clock() * 1000 - entry["last_seen"] <= self.stale_after * 1000

    def view(self, entry: dict[str, Any]) -> dict[str, Any]:
        return {**entry, "online": self._online(entry)}

    def listing(self) -> dict[str, Any]:
        displays = [self.view(entry) for _, entry in sorted(self.held.items())]
        return {"displays": displays, "stale_after": self.stale_after,
                "max_displays": self.max_displays}
