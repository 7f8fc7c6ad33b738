"""What a page is: a pure function of (state, time, panel size) to an image.

Pages do no I/O and keep no globals. The loop hands each one a
:class:`PageContext` and gets back a :class:`PageFrame`: the picture and how
long it stays right by the clock alone, so the loop renders only when the
picture can have changed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PIL import Image

ERROR_TTL = 10.0  # a failing page is tried again after this long

log = logging.getLogger("matrix_client.pages")


@dataclass(frozen=True)
class PageSettings:
    """The user's choices that pages read: the client config's, with the household's
    ``Settings`` envelope over them (:mod:`matrix_client.pages.live_settings`)."""

    favorite_mlb: tuple[str, ...] = ()
    favorite_nfl: tuple[str, ...] = ()
    # Weekday (0 = Monday) whose evening is garbage night, or None.
    garbage_weekday: int | None = None
    wifi_qr: str | None = None
    clock_24h: bool = False
    # What the numbers of a message without its own ``units`` are in: "imperial" (°F,
    # mph) or "metric" (°C, km/h).
    units: str = "imperial"
    # The display's IANA time zone; "" = the clock's own (the system zone).
    timezone: str = ""
    # Seconds past an envelope's ``valid`` before pages call it stale: the next
    # publish needs time to arrive, and producer and display clocks differ a little.
    stale_grace: float = 30.0
    # Extra BDF fonts by role name ("small", "medium", ...), paths from the config.
    fonts: Mapping[str, str] = field(default_factory=dict)
    # The fields above that a command-line flag fixed: live settings leave them alone.
    locked: frozenset[str] = frozenset()

    @property
    def metric(self) -> bool:
        return self.units == "metric"


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
    # Whether the page has something real to show; None: any of its types has arrived.
    # A rotation skips a page without (docs/matrix-client.md, "What the wall shows").
    ready: Callable[[PageContext], bool] | None = None


def has_content(spec: PageSpec, context: PageContext) -> bool:
    """Whether ``spec`` would show real data now rather than a placeholder: its own
    ``ready`` rule, else whether any message it reads has arrived. A page reading
    everything (``"*"``) or nothing always has content."""
    if spec.ready is not None:
        try:
            return bool(spec.ready(context))
        except Exception:  # the page's own fault: let it render and show its error card
            return True
    if not spec.types or "*" in spec.types:
        return True
    return any(context.envelope(kind) is not None for kind in spec.types)


class PageGarbage(ValueError):
    """A page returned something the loop cannot show; ``kind`` says what, in a few words
    (one log line per page and kind)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def failure_kind(exc: BaseException) -> str:
    """What went wrong, as a short key: the garbage kind or the exception's class."""
    return exc.kind if isinstance(exc, PageGarbage) else type(exc).__name__


def render_checked(spec: PageSpec, context: PageContext) -> PageFrame:
    """``spec``'s frame for ``context``, in RGB; raises if the page fails, and
    :class:`PageGarbage` if it returns anything but a :class:`PageFrame` holding an image
    of the panel's size and a ttl that is a number."""
    frame = spec.render(context)
    if not isinstance(frame, PageFrame):
        raise PageGarbage("not a PageFrame", f"page {spec.name} returned "
                          f"{type(frame).__name__}, not a PageFrame")
    image = frame.image
    if not isinstance(image, Image.Image):
        raise PageGarbage("not an image", f"page {spec.name} returned a frame holding "
                          f"{type(image).__name__}, not a Pillow image")
    if image.size != context.size:
        raise PageGarbage("wrong size", f"page {spec.name} drew {image.size[0]}x"
                          f"{image.size[1]} for a {context.width}x{context.height} panel")
    ttl = frame.ttl
    if isinstance(ttl, bool) or not isinstance(ttl, int | float) or math.isnan(ttl):
        raise PageGarbage("bad ttl", f"page {spec.name} returned the ttl {ttl!r:.40}, "
                          "not a number of seconds")
    if image.mode != "RGB":
        frame = PageFrame(image.convert("RGB"), ttl)
    return frame


def failed_frame(page: str, exc: Exception, size: tuple[int, int],
                 logged: set[tuple[str, str]]) -> PageFrame:
    """The error card for ``page``, which raised ``exc``; the failure is logged, with its
    traceback, only the first time this page fails in this way (``logged``, the
    caller's memory of (page, kind) pairs), so a broken page does not log every frame."""
    key = (page, failure_kind(exc))
    if key not in logged:
        logged.add(key)
        log.error("page %s failed (%s; shown as an error card, logged once): %s", page,
                  key[1], exc, exc_info=exc)
    return error_frame(size[0], size[1], page)


def error_frame(width: int, height: int, page: str = "") -> PageFrame:
    """The error card: ``page``'s name and "error" in red on a dim red frame, so the
    viewer knows which page failed; the rest of the display carries on. Drawn with the
    widget layer in the built-in fonts (a user's font may be what failed)."""
    try:
        from matrix_client.pages.error_card import error_card

        image = error_card(page, (width, height))
    except Exception:  # noqa: BLE001 - the card stands in for a failure; it must not fail
        log.exception("the error card cannot be drawn; showing a plain dark red panel")
        image = Image.new("RGB", (max(1, width), max(1, height)), (64, 0, 0))
    return PageFrame(image, ERROR_TTL)
