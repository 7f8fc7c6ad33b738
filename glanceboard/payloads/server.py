"""``<Name>-Server``: a producer's start-up announcement, ``{"message": "... started."}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glanceboard.payloads.names import ORIGINAL_PRODUCER_CLASSES
from glanceboard.payloads.read import mapping, string


@dataclass(frozen=True, slots=True)
class Announcement:
    message: str | None = None

    @classmethod
    def parse(cls, values: Any) -> Announcement:
        return cls(string(mapping(values).get("message"), 200))

    @classmethod
    def of(cls, name: str) -> Announcement:
        """The original's text for the original types (``OWMServer started.``)."""
        return cls(f"{ORIGINAL_PRODUCER_CLASSES.get(name, name)} started.")

    def to_values(self) -> dict[str, Any]:
        return {"message": self.message or ""}
