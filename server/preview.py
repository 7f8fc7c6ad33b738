"""The panel mirror: what a panel of a given size shows for a page, as a PNG.

``GET /preview/{page}.png?size=128x64&scale=4`` renders the page with the
matrix client's own page code from the state this API server holds, so the
web dashboard (and anyone with a browser) sees exactly what the LED panel
draws. ``GET /preview/pages`` lists the pages and sizes.

The API server includes :data:`router` when this module exists and reaches
its state through ``request.app.state.service`` (an ``ApiService``).

Page settings (favourite teams, garbage day, Wi-Fi QR, 24-hour clock, fonts),
the clock's time zone and the default panel size come from the matrix
client's own configuration, read the way the client reads it: the file named
by ``$GLANCEBOARD_CONFIG`` and the ``GLANCEBOARD_<SECTION>_<KEY>`` variables.
"""

from __future__ import annotations

import functools
import io
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from PIL import Image
from starlette.concurrency import run_in_threadpool

from glanceboard.payloads import names
from glanceboard.timefmt import TimeFormatError, parse_time
from glanceboard.zones import zone_named
from matrix_client.pages import PageContext, PageSettings, PageSpec, get_page, registry
from matrix_client.pages.base import failed_frame, render_checked
from matrix_client.pages.live_settings import merge_settings

log = logging.getLogger("glanceboard.preview")

router = APIRouter()
_LOGGED_FAILURES: set[tuple[str, str]] = set()  # (page, kind of failure) already logged

# The panel sizes the pages are designed and tested for (tests/golden/<size>/).
SIZES: tuple[str, ...] = ("64x32", "128x32", "64x64", "128x64")
DEFAULT_SIZE = "128x64"
MAX_SCALE = 16
# The times ``at=`` may name: wide enough for any picture worth drawing, far
# enough from the ends of the calendar for every page's date arithmetic.
EARLIEST_AT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_AT = datetime(3000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PreviewSettings:
    """What the mirror takes from the matrix client's configuration."""

    page: PageSettings = PageSettings()
    zone: tzinfo | None = None  # None: the server's local zone
    default_size: str = DEFAULT_SIZE


@functools.cache
def preview_settings() -> PreviewSettings:
    """Read once per process; a bad configuration is logged and the defaults used."""
    from matrix_client.config import CONFIG_ENV, ConfigError, load_config

    try:
        config = load_config()
        page = config.page_settings()
        zone_name = config.get("display", "timezone")
        zone = zone_named(zone_name)
        size = f"{config.width}x{config.height}"
    except (ConfigError, ValueError) as exc:
        log.warning("panel mirror: cannot use the matrix client configuration (%s); "
                    "using default page settings", exc)
        return PreviewSettings()
    # Without a config file the client's built-in panel size is no user's choice.
    if not os.environ.get(CONFIG_ENV) or size not in SIZES:
        size = DEFAULT_SIZE
    return PreviewSettings(page, zone, size)


class PreviewError(ValueError):
    """A request the preview cannot honour; the message says what to send instead."""


def parse_size(text: str) -> tuple[int, int]:
    if text not in SIZES:
        raise PreviewError(f"unknown size {text!r}; known sizes: {', '.join(SIZES)}")
    width, _, height = text.partition("x")
    return int(width), int(height)


def parse_scale(text: str | None) -> int:
    if text is None or text == "":
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_SCALE:
        raise PreviewError(f"scale must be a whole number from 1 to {MAX_SCALE}, got {text!r}")
    return int(text)


def parse_zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    zone = zone_named(text)
    if zone is None:
        raise PreviewError(f"unknown time zone {text!r}; use an IANA name such as "
                           "'America/New_York'")
    return zone


def parse_moment(at: str | None, zone: tzinfo | None) -> datetime:
    """The page's "now": ``at`` (frozen time) or the server's clock, in ``zone`` if given
    (else in ``at``'s own offset, or the server's local zone)."""
    if at:
        try:
            moment = parse_time(at)
        except TimeFormatError as exc:
            raise PreviewError(f"at: {exc}") from None
        if not EARLIEST_AT <= moment < LATEST_AT:
            # Pages add days and weeks to "now"; near year 1 or 9999 that overflows.
            raise PreviewError(f"at: {at!r:.60} is outside the times a page can draw, "
                               f"{EARLIEST_AT:%Y-%m-%d} to {LATEST_AT:%Y-%m-%d} UTC")
    else:
        moment = datetime.now().astimezone()
    return moment.astimezone(zone) if zone is not None else moment


def find_page(name: str) -> PageSpec:
    try:
        return get_page(name)
    except KeyError as exc:
        raise PreviewError(str(exc.args[0])) from None


def render_png(spec: PageSpec, context: PageContext, scale: int
               ) -> tuple[bytes, float, str | None]:
    """The page as PNG bytes, magnified ``scale`` times (nearest neighbour), its ttl, and
    why it failed, if it did: then the picture is the panel's own error card."""
    error: str | None = None
    try:
        frame = render_checked(spec, context)
    except Exception as exc:  # noqa: BLE001 - a page that fails shows what the panel shows
        error = f"{type(exc).__name__}: {exc}"
        # Logged once per page and kind of failure: the mirror is asked again and again.
        frame = failed_frame(spec.name, exc, context.size, _LOGGED_FAILURES)
    image = frame.image
    if scale > 1:
        image = image.resize((context.width * scale, context.height * scale),
                             Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), frame.ttl, error


def _held_state(request: Request) -> tuple[Mapping[str, Mapping[str, Any]], bool]:
    """The server's state (type -> envelope) and whether its Redis link is up.

    Called on the event loop, where the state is changed, so the copy is consistent.
    """
    service = getattr(request.app.state, "service", None)
    if service is None:
        return {}, False
    state = dict(service.state.snapshot()["state"])
    follower = getattr(service, "follower", None)
    connected = getattr(follower, "connected", None)
    link_ok = connected.is_set() if connected is not None else True
    return state, link_ok


def _bad_request(message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=400)


@router.get("/preview/pages")
async def list_pages() -> JSONResponse:
    pages = [
        {"name": spec.name, "title": spec.title or spec.name, "types": list(spec.types)}
        for spec in registry().values()
    ]
    return JSONResponse({"pages": pages, "sizes": list(SIZES),
                         "default_size": preview_settings().default_size,
                         "max_scale": MAX_SCALE})


@router.get("/preview/{page}.png")
async def preview(request: Request, page: str, size: str | None = None,
                  scale: str | None = None, at: str | None = None,
                  tz: str | None = None) -> Response:
    settings = preview_settings()
    state, link_ok = _held_state(request)
    # The household settings over the config's, as a panel's loop merges them.
    page_settings = merge_settings(settings.page, state.get(names.SETTINGS))
    try:
        spec = find_page(page)
        width, height = parse_size(size or settings.default_size)
        magnification = parse_scale(scale)
        zone = parse_zone(tz) or parse_zone(page_settings.timezone or None) or settings.zone
        now = parse_moment(at, zone)
    except PreviewError as exc:
        return _bad_request(str(exc))
    # started=None: the server cannot know when a panel's client started.
    context = PageContext(state=state, now=now, width=width, height=height,
                          settings=page_settings, started=None, stream_ok=link_ok)
    png, ttl, error = await run_in_threadpool(render_png, spec, context, magnification)
    headers = {"Cache-Control": "no-store", "X-Page-Time": now.isoformat()}
    if math.isfinite(ttl):
        headers["X-Page-TTL"] = f"{max(0.0, ttl):.3f}"
    if error is not None:
        # A header carries Latin-1 only; the reason is for people, so keep it readable ASCII.
        headers["X-Page-Error"] = " ".join(error.encode("ascii", "replace").decode().split())[:300]
    return Response(png, media_type="image/png", headers=headers)
