"""What a page is: a pure function of (state, time, panel size) to an image.

Pages do no I/O and keep no globals. The loop hands each one a
:class:`PageContext` and gets back a :class:`PageFrame`: the picture and how
long it stays right by the clock alone, so the loop renders only when the
picture can have changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PIL import Image, ImageDraw

ERROR_TTL = 10.0  # a failing page is tried again after this long


@dataclass(frozen=True)
class PageSettings:
    """The user's choices that pages read (from the client config)."""

    favorite_mlb: tuple[str, ...] = ()
    favorite_nfl: tuple[str, ...] = ()
    # Weekday (0 = Monday) whose evening is garbage night, or None.
    garbage_weekday: int | None = None
    wifi_qr: str | None = None
    clock_24h: bool = False
    # Seconds past an envelope's ``valid`` before pages call it stale: the next
    # publish needs time to arrive, and producer and display clocks differ a little.
    stale_grace: float = 30.0
    # Extra BDF fonts by role name ("small", "medium", ...), paths from the config.
    fonts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PageContext:
    """Everything a page may look at."""

    state: Mapping[str, Mapping[str, Any]]  # type -> envelope (with "type")
    now: datetime  # aware, in the display's time zone
    width: int
    height: int
    settings: PageSettings = PageSettings()
    started: datetime | None = None  # when the client started (Uptime page)
    stream_ok: bool = True  # False while the link to the API server is down

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def envelope(self, kind: str) -> Mapping[str, Any] | None:
        value = self.state.get(kind)
        return value if isinstance(value, Mapping) else None

    def values(self, kind: str) -> Any:
        envelope = self.envelope(kind)
        return None if envelope is None else envelope.get("values")

    def view(self, kind: str) -> Any:
        """The typed view of ``kind`` (glanceboard.payloads), or None before it arrives."""
        envelope = self.envelope(kind)
        return None if envelope is None else _view_of(kind, envelope)


# The last view per type and the envelope it came from: pages re-render often with the
# same state, and one parse per message is enough.
_VIEWS: dict[str, tuple[Mapping[str, Any], Any]] = {}


def _view_of(kind: str, envelope: Mapping[str, Any]) -> Any:
    held = _VIEWS.get(kind)
    if held is not None and held[0] is envelope:
        return held[1]
    from glanceboard.payloads import view

    parsed = view(kind, envelope)
    _VIEWS[kind] = (envelope, parsed)
    return parsed


@dataclass(frozen=True)
class PageFrame:
    """A rendered picture and the seconds it stays right by time alone."""

    image: Image.Image
    ttl: float = math.inf


@dataclass(frozen=True)
class PageSpec:
    """A page as the registry knows it.

    ``types`` are the state types it reads (``("*",)`` for all): the loop
    re-renders it when one of them changes.
    """

    name: str
    render: Callable[[PageContext], PageFrame]
    types: tuple[str, ...] = ()
    title: str = ""


def render_checked(spec: PageSpec, context: PageContext) -> PageFrame:
    """``spec``'s frame for ``context``, in RGB; raises if the page fails or draws a
    picture of another size than the panel."""
    frame = spec.render(context)
    image = frame.image
    if image.size != context.size:
        raise ValueError(f"page {spec.name} drew {image.size[0]}x{image.size[1]} "
                         f"for a {context.width}x{context.height} panel")
    if image.mode != "RGB":
        frame = PageFrame(image.convert("RGB"), frame.ttl)
    return frame


def error_frame(width: int, height: int) -> PageFrame:
    """A dim red cross: this page failed; the rest of the display carries on."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    draw.line((0, 0, width - 1, height - 1), fill=(96, 0, 0))
    draw.line((0, height - 1, width - 1, 0), fill=(96, 0, 0))
    return PageFrame(image, ERROR_TTL)
