"""The displays that report themselves (``PUT /displays/{id}``), kept in Valkey.

A report is small, strict JSON with a fixed set of fields. The registry lives in
the hash ``keys.displays_key`` (one field per display id), so every API replica
lists the same displays and a restart forgets none. It holds at most
``max_displays`` of them and each process accepts one report per id per
``min_interval`` seconds, so a hostile client can neither grow the hash without
bound nor keep the server busy. A display not heard from for ``stale_after``
seconds is offline.

:class:`DisplayRegistry` makes the decisions (pure, in memory);
:class:`DisplayBook` keeps its entries in Valkey.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from glanceboard import strictjson
from glanceboard.display_id import check_display_id
from glanceboard.profile import MAX_VERSION
from glanceboard.strictjson import RejectedMessage

log = logging.getLogger("glanceboard.api.displays")

MAX_REPORT_BYTES = 2048
MAX_TEXT = 64
MAX_SIDE = 1024  # LEDs per panel side: bigger is a mistake, not a wall
# ``profile``: the version of the display profile the display applies (0: none).
REPORT_FIELDS = ("version", "backend", "width", "height", "page", "brightness", "profile")
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
        obj = strictjson.read(body, encodable=False)
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
    if "profile" in obj:
        report["profile"] = _integer("profile", obj["profile"], 0, MAX_VERSION)
    return report


def read_entry(display_id: str, raw: bytes | str) -> dict[str, Any] | None:
    """A registry entry as stored in Valkey, or None for one that is not (another
    tool wrote the hash): the listing skips it rather than fail."""
    try:
        entry = strictjson.loads(raw)
    except RejectedMessage:
        return None
    if not isinstance(entry, dict) or entry.get("id") != display_id:
        return None
    last_seen = entry.get("last_seen")
    if isinstance(last_seen, bool) or not isinstance(last_seen, int):
        return None
    return entry


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
        """Record one report in memory; raises :class:`BadReport` (400/413/429/507) and
        then changes nothing."""
        fields = self.check(display_id, body)
        forget = self.room_for(display_id, self.held)
        if forget is not None:
            self.forget(forget)
        return self.view(self.record(display_id, fields))

    def check(self, display_id: str, body: bytes) -> dict[str, Any]:
        """The fields of a report that may be recorded now (valid, not too soon after
        the last one of this id); :class:`BadReport` otherwise."""
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
        return fields

    def room_for(self, display_id: str, held: Mapping[str, dict[str, Any]]) -> str | None:
        """Whether ``display_id`` fits beside ``held``: None when it does as it is, the id
        to forget first (the one offline longest) when that makes room; :class:`BadReport`
        507 when every held display is online."""
        if display_id in held or len(held) < self.max_displays:
            return None
        oldest = min(held.values(), key=lambda entry: entry["last_seen"])
        if not self._online(oldest):
            return str(oldest["id"])
        self.refused["full"] += 1
        raise BadReport(f"display {display_id!r}: {self.max_displays} displays held "
                        "and all online; not recording another", 507)

    def record(self, display_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The entry for an accepted report, now (also held in memory)."""
        self._last_accepted[display_id] = self.monotonic()
        entry = {"id": display_id, **fields, "last_seen": int(self.clock() * 1000)}
        self.held[display_id] = entry
        return entry

    def forget(self, display_id: str) -> None:
        self.held.pop(display_id, None)
        self._last_accepted.pop(display_id, None)

    def _online(self, entry: dict[str, Any]) -> bool:
        return self.clock() * 1000 - entry["last_seen"] <= self.stale_after * 1000

    def view(self, entry: dict[str, Any]) -> dict[str, Any]:
        return {**entry, "online": self._online(entry)}

    def listing(self, profile_versions: Mapping[str, int] | None = None) -> dict[str, Any]:
        """Every held display, by id, with ``profile_version`` (the profile stored for it,
        0 for none) and ``profile_applied`` (the version it reported it runs, or None for
        a display that does not report one) when ``profile_versions`` is given."""
        displays = []
        for _, entry in sorted(self.held.items()):
            shown = self.view(entry)
            shown.pop("profile", None)
            if profile_versions is not None:
                shown["profile_version"] = profile_versions.get(entry["id"], 0)
                shown["profile_applied"] = entry.get("profile")
            displays.append(shown)
        return {"displays": displays, "stale_after": self.stale_after,
                "max_displays": self.max_displays}


class DisplayBook:
    """The registry's entries in Valkey: ``client`` is a Redis client (plain or cluster)
    made on first use by ``connect``, ``key`` the registry hash."""

    def __init__(self, registry: DisplayRegistry, key: str,
                 connect: Callable[[], Any]) -> None:
        self.registry = registry
        self.key = key
        self._connect = connect
        self._client: Any = None
        self._unreadable: set[str] = set()  # ids whose stored entry was logged as bad

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._connect()
        return self._client

    async def read_all(self) -> dict[str, dict[str, Any]]:
        """Every readable entry in the hash; the registry holds them afterwards."""
        raw = await self.client.hgetall(self.key)
        held: dict[str, dict[str, Any]] = {}
        for field_name, value in raw.items():
            display_id = field_name.decode("utf-8", "replace") \
                if isinstance(field_name, bytes) else str(field_name)
            entry = read_entry(display_id, value)
            if entry is None:
                if display_id not in self._unreadable:
                    self._unreadable.add(display_id)
                    log.warning("display registry %r: entry %r is not a report; skipped",
                                self.key, display_id[:70])
                continue
            held[display_id] = entry
        self.registry.held = held
        return held

    async def report(self, display_id: str, body: bytes) -> dict[str, Any]:
        """Check and store one report; :class:`BadReport` changes nothing, a Redis error
        passes through (the route answers 503)."""
        fields = self.registry.check(display_id, body)
        client = self.client
        if not await client.hexists(self.key, display_id) and \
                await client.hlen(self.key) >= self.registry.max_displays:
            forget = self.registry.room_for(display_id, await self.read_all())
            if forget is not None:
                await client.hdel(self.key, forget)
                self.registry.forget(forget)
        entry = self.registry.record(display_id, fields)
        await client.hset(self.key, display_id,
                          json.dumps(entry, separators=(",", ":"), ensure_ascii=False))
        return self.registry.view(entry)

    async def listing(self, profile_versions: Mapping[str, int]) -> dict[str, Any]:
        await self.read_all()
        return self.registry.listing(profile_versions)

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
