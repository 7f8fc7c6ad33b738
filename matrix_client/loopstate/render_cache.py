"""What the page under the overlay was rendered from, and when it must be rendered again."""

from __future__ import annotations

import math

from PIL import Image

from matrix_client.pages.base import PageFrame, PageSpec
from matrix_client.store import Snapshot


def data_versions(spec: PageSpec, snapshot: Snapshot) -> tuple[int, ...]:
    """The versions of the types ``spec`` reads (the whole store's for ``*``)."""
    if "*" in spec.types:
        return (snapshot.version,)
    return tuple(snapshot.versions.get(kind, 0) for kind in spec.types)


class RenderCache:
    """The last rendered picture and its inputs: page, data versions, link state.

    A page renders again only when one of those changed, its ``ttl`` ran out,
    or (never sooner than the frame gap) both.
    """

    def __init__(self) -> None:
        self.name: str | None = None
        self.versions: tuple[int, ...] | None = None
        self.stream_ok = True
        self.image: Image.Image | None = None
        self.expires = -math.inf
        self.rendered_at = -math.inf

    def due(self, name: str, versions: tuple[int, ...], stream_ok: bool, mono: float,
            frame_gap: float) -> bool:
        return (
            name != self.name
            or versions != self.versions
            or stream_ok != self.stream_ok  # pages may draw a lost link their own way
            or mono >= self._next(frame_gap)
        )

    def keep(self, name: str, versions: tuple[int, ...], stream_ok: bool, frame: PageFrame,
             mono: float) -> None:
        self.image = frame.image
        self.name, self.versions, self.stream_ok = name, versions, stream_ok
        self.rendered_at = mono
        self.expires = mono + max(0.0, frame.ttl)

    def _next(self, frame_gap: float) -> float:
        return max(self.expires, self.rendered_at + frame_gap)

    def wait(self, mono: float, frame_gap: float) -> float:
        """Seconds until the picture's time runs out."""
        return self._next(frame_gap) - mono
