"""Shape checks for upstream answers: a missing or mistyped field is named, with its path.

A producer must refuse to publish when the upstream API changed under it; the
error names exactly which field broke so the log line is enough to fix it:

    >>> Field({"current": {}}, "Weather").key("current").key("temperature_2m").number()
    Traceback (most recent call last):
    ...
    server.producers.shape.UpstreamShapeError: Weather: upstream field \
'current.temperature_2m' is missing

Only the fields we read are checked, so unrelated upstream additions never break us.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from glanceboard.payloads import original
from glanceboard.zones import zone_named
from server.producers.base import ShapeError


class UpstreamShapeError(ShapeError):
    """The upstream answer no longer has the shape we map from; nothing is published."""

    def __init__(self, source: str, path: str, problem: str) -> None:
        super().__init__(f"{source}: upstream field {path!r} {problem}")
        self.source = source
        self.path = path
        self.problem = problem


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class Field:
    """A value from an upstream JSON answer, with the path that led to it."""

    __slots__ = ("value", "source", "path")

    def __init__(self, value: Any, source: str, path: str = "") -> None:
        self.value = value
        self.source = source
        self.path = path

    def _child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def _fail(self, problem: str, path: str | None = None) -> UpstreamShapeError:
        return UpstreamShapeError(self.source, path if path is not None else self.path or "<root>",
                                  problem)

    # -- navigation --------------------------------------------------------
    def key(self, name: str) -> Field:
        """The member ``name`` of this object; missing is an error."""
        obj = self.object()
        if name not in obj:
            raise self._fail("is missing", self._child_path(name))
        return Field(obj[name], self.source, self._child_path(name))

    def opt(self, name: str) -> Field | None:
        """The member ``name``, or None where it is absent or null."""
        obj = self.object()
        if obj.get(name) is None:
            return None
        return Field(obj[name], self.source, self._child_path(name))

    def index(self, i: int) -> Field:
        items = self.list()
        if not -len(items) <= i < len(items):
            raise self._fail(f"has {len(items)} items, no item {i}")
        return Field(items[i], self.source, self._child_path(i))

    def items(self) -> Iterator[Field]:
        """Each element of this list, as a Field."""
        for i, item in enumerate(self.list()):
            yield Field(item, self.source, self._child_path(i))

    # -- typed leaves ------------------------------------------------------
    def object(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self._fail(f"should be an object, got {_describe(self.value)}")
        return self.value

    def list(self) -> list[Any]:
        if not isinstance(self.value, list):
            raise self._fail(f"should be a list, got {_describe(self.value)}")
        return self.value

    def str(self) -> str:
        if not isinstance(self.value, str):
            raise self._fail(f"should be a string, got {_describe(self.value)}")
        return self.value

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self._fail(f"should be a number, got {_describe(self.value)}")
        return float(self.value)

    def int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self._fail(f"should be a number, got {_describe(self.value)}")
        if isinstance(self.value, float) and not self.value.is_integer():
            raise self._fail(f"should be a whole number, got {self.value}")
        return int(self.value)

    def bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise self._fail(f"should be true/false, got {_describe(self.value)}")
        return self.value

    def time(self, zone: tzinfo) -> datetime:
        """An ISO 8601 time in ``zone``: one with an offset (or ``Z``) is converted to it,
        one without (Open-Meteo's local times) is taken as already local to it."""
        try:
            moment = datetime.fromisoformat(self.str())
        except ValueError:
            raise self._fail(f"is not an ISO time: {self.value!r}") from None
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)

    def zone(self) -> ZoneInfo:
        """An IANA time zone name, e.g. ``America/New_York``."""
        zone = zone_named(self.str())
        if zone is None:
            raise self._fail(f"is not a known time zone: {self.value!r}")
        return zone

    def numeric_str(self) -> int:
        """An integer sent as a string (ESPN scores: ``"21"``) or as a number."""
        if isinstance(self.value, str) and self.value.strip().lstrip("-").isdigit():
            return int(self.value)
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return self.value
        raise self._fail(f"should be a whole number, got {_describe(self.value)}")


def columns(block: Field, names: list[str], length: int | None = None) -> dict[str, list[Any]]:
    """Open-Meteo's column blocks (``hourly``/``daily``): parallel lists of equal length.

    Returns the named columns; each must be a list as long as ``time`` (or ``length``).
    """
    want = length if length is not None else len(block.key("time").list())
    out: dict[str, list[Any]] = {}
    for name in names:
        col = block.key(name).list()
        if len(col) != want:
            raise UpstreamShapeError(block.source, block._child_path(name),
                                     f"has {len(col)} entries, expected {want} (as 'time')")
        out[name] = col
    return out


def require_original_shape(kind: str, values: Any) -> None:
    """A ShapeError naming the first fields the original clients could not read."""
    found = original.values_problems(kind, values)
    if found:
        more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
        raise ShapeError(f"{kind}: not what the original clients read: "
                         + "; ".join(found[:3]) + more)
