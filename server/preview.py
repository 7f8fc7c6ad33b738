"""The panel mirror: what a panel of a given size shows for a page, as a PNG.

``GET /preview/{page}.png?size=128x64&scale=4`` renders the page with the
matrix client's own page code from the state this API server holds, so the
web dashboard (and anyone with a browser) sees exactly what the LED panel
draws. ``GET /preview/pages`` lists the pages and sizes.

The API server includes :data:`router` when this module exists and reaches
its state through ``request.app.state.service`` (an ``ApiService``).
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from PIL import Image
from starlette.concurrency import run_in_threadpool

from glanceboard.timefmt import TimeFormatError, parse_time
from matrix_client.pages import PageContext, PageSettings, PageSpec, get_page, registry

log = logging.getLogger("glanceboard.preview")

router = APIRouter()

# The panel sizes the pages are designed and tested for (tests/golden/<size>/).
SIZES: tuple[str, ...] = ("64x32", "128x32", "64x64", "128x64")
DEFAULT_SIZE = "128x64"
MAX_SCALE = 16


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
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise PreviewError(f"unknown time zone {text!r}; use an IANA name such as "
                           "'America/New_York'") from None


def parse_moment(at: str | None, zone: tzinfo | None) -> datetime:
    """The page's "now": ``at`` (frozen time) or the server's clock, in ``zone`` if given."""
    if at:
        try:
            moment = parse_time(at)
        except TimeFormatError as exc:
            raise PreviewError(f"at: {exc}") from None
    else:
        moment = datetime.now().astimezone()
    return moment.astimezone(zone) if zone is not None else moment


def find_page(name: str) -> PageSpec:
    try:
        return get_page(name)
    except KeyError as exc:
        raise PreviewError(str(exc.args[0])) from None


def render_png(spec: PageSpec, context: PageContext, scale: int) -> tuple[bytes, float]:
    """The page as PNG bytes, magnified ``scale`` times (nearest neighbour), and its ttl."""
    frame = spec.render(context)
    image = frame.image
    if image.size != context.size:
        raise ValueError(f"page {spec.name} drew {image.size[0]}x{image.size[1]} "
                         f"for a {context.width}x{context.height} panel")
    if image.mode != "RGB":
        image = image.convert("RGB")
    if scale > 1:
        image = image.resize((context.width * scale, context.height * scale),
                             Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), frame.ttl


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
    return JSONResponse({"pages": pages, "sizes": list(SIZES), "default_size": DEFAULT_SIZE,
                         "max_scale": MAX_SCALE})


@router.get("/preview/{page}.png")
async def preview(request: Request, page: str, size: str = DEFAULT_SIZE,
                  scale: str | None = None, at: str | None = None,
                  tz: str | None = None) -> Response:
    try:
        spec = find_page(page)
        width, height = parse_size(size)
        magnification = parse_scale(scale)
        now = parse_moment(at, parse_zone(tz))
    except PreviewError as exc:
        return _bad_request(str(exc))
    state, link_ok = _held_state(request)
    # started=None: the server cannot know when a panel's client started.
    context = PageContext(state=state, now=now, width=width, height=height,
                          settings=PageSettings(), started=None, stream_ok=link_ok)
    try:
        png, ttl = await run_in_threadpool(render_png, spec, context, magnification)
    except Exception as exc:  # noqa: BLE001 - a broken page must not take the server down
        log.exception("preview of page %s at %s failed", page, size)
        return JSONResponse({"detail": f"page {page!r} failed to render: {exc}"},
                            status_code=500)
    headers = {"Cache-Control": "no-store", "X-Page-Time": now.isoformat()}
    if math.isfinite(ttl):
        headers["X-Page-TTL"] = f"{max(0.0, ttl):.3f}"
    return Response(png, media_type="image/png", headers=headers)
