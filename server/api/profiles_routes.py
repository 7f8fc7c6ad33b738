"""The display routes: reports (``PUT /displays/{id}``), the registry (``GET /displays``)
and each display's profile (``GET/PUT/DELETE /displays/{id}/profile``), docs/profiles.md.

:class:`DisplaysKeeper` holds the Valkey side of both (one client), and turns the
profile messages other servers publish into stream events for the displays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from glanceboard import strictjson
from glanceboard.display_id import check_display_id
from glanceboard.profile import MAX_PROFILE_BYTES, ProfileError, parse_fields
from glanceboard.strictjson import RejectedMessage
from server import keys
from server.api.displays import MAX_REPORT_BYTES, BadReport, DisplayBook, DisplayRegistry
from server.api.profiles import (
    ProfileStore,
    StaleVersion,
    empty_profile,
    parse_profile_message,
    profile_event,
    profile_message,
    profiles_channel,
)
from server.redis_link import LINK_ERRORS, connect, publish
from server.rejections import Rejections

log = logging.getLogger("glanceboard.api.profiles")

REDIS_TIMEOUT = 5.0
PROFILE_REJECT_REASONS = ("bad_profile",)


class TooLarge(ValueError):
    """A body over its limit (HTTP 413)."""


class DisplaysKeeper:
    """The registry and the profiles of one API server, both in Valkey."""

    def __init__(self, service: Any) -> None:
        self.service = service
        config = service.config
        self.redis = config.redis
        self._client: Any = None
        self.registry = DisplayRegistry(config.max_displays, stale_after=config.display_stale)
        self.book = DisplayBook(self.registry, keys.displays_key(config.redis),
                                lambda: self.client)
        self.channel = profiles_channel(config.redis)
        self.rejections = Rejections(log, reasons=PROFILE_REJECT_REASONS)
        self.profiles_published = 0
        self.profiles_delivered = 0

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = connect(self.redis)
        return self._client

    @property
    def store(self) -> ProfileStore:
        return ProfileStore(self.client, self.redis, keys.profiles_key(self.redis))

    async def publish_profile(self, profile: dict[str, Any]) -> None:
        await publish(self.client, self.redis, self.channel, profile_message(profile))
        self.profiles_published += 1

    def on_message(self, data: bytes, where: str) -> None:
        """A message on the profiles channel: checked, then one event to every display
        (the one it names applies it)."""
        try:
            profile = parse_profile_message(data)
        except ValueError as exc:
            self.rejections.count("bad_profile", str(exc)[:300], where)
            return
        self.profiles_delivered += 1
        self.service.hub.publish(profile_event(profile))

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            with contextlib.suppress(Exception):
                await client.aclose()


def _errors(status: int, errors: dict[str, str], detail: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"errors": errors}
    body["detail"] = detail or "; ".join(f"{path or 'body'}: {why}"
                                         for path, why in errors.items())
    return JSONResponse(body, status_code=status)


def _unavailable(what: str, exc: BaseException) -> JSONResponse:
    log.warning("%s: Redis unavailable: %s", what, exc)
    return JSONResponse({"detail": f"Redis unavailable, {what}: {exc}"}, status_code=503)


async def _json_body(request: Request, limit: int) -> Any:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"body of {declared} bytes, limit {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"body over the limit of {limit} bytes")
    return strictjson.read(bytes(body), encodable=False)


def displays_router(keeper: DisplaysKeeper, authorised: Callable[[Request], bool],
                    unauthorized: Callable[[], JSONResponse],
                    read_body: Callable[[Request, str, int], Awaitable[bytes]]) -> APIRouter:
    router = APIRouter()
    redis_errors = (*LINK_ERRORS, TimeoutError)

    @router.put("/displays/{display_id}")
    async def put_display(display_id: str, request: Request) -> JSONResponse:
        # A report can mislead the dashboard, so it needs the control token like a command.
        if not authorised(request):
            return unauthorized()
        try:
            body = await read_body(request, "report", MAX_REPORT_BYTES)
        except ValueError as exc:
            keeper.registry.refused["bad"] += 1
            return JSONResponse({"detail": str(exc)}, status_code=413)
        try:
            entry = await asyncio.wait_for(keeper.book.report(display_id, body),
                                           REDIS_TIMEOUT)
        except BadReport as exc:
            return JSONResponse({"detail": str(exc)}, status_code=exc.status)
        except redis_errors as exc:
            return _unavailable("report not recorded", exc)
        return JSONResponse(entry)

    @router.get("/displays")
    async def get_displays() -> JSONResponse:
        try:
            versions = await asyncio.wait_for(keeper.store.versions(), REDIS_TIMEOUT)
            listing = await asyncio.wait_for(keeper.book.listing(versions), REDIS_TIMEOUT)
        except redis_errors as exc:
            return _unavailable("displays not read", exc)
        return JSONResponse(listing)

    def refused(display_id: str, request: Request | None = None) -> JSONResponse | None:
        """The answer to a request that goes no further: no token (when ``request`` is
        given, for a change) or a path that is not a display id."""
        if request is not None and not authorised(request):
            return unauthorized()
        try:
            check_display_id(display_id)
        except ValueError as exc:
            return _errors(400, {"display": str(exc)})
        return None

    @router.get("/displays/{display_id}/profile")
    async def get_profile(display_id: str) -> JSONResponse:
        # No token: a display reads its own profile, which says nothing secret.
        if (answer := refused(display_id)) is not None:
            return answer
        try:
            profile = await asyncio.wait_for(keeper.store.get(display_id), REDIS_TIMEOUT)
        except ProfileError as exc:
            log.warning("profile of %r unreadable, served as none: %s", display_id, exc)
            profile = None
        except redis_errors as exc:
            return _unavailable("profile not read", exc)
        return JSONResponse(profile.to_json() if profile else empty_profile(display_id))

    @router.put("/displays/{display_id}/profile")
    async def put_profile(display_id: str, request: Request) -> JSONResponse:
        if (answer := refused(display_id, request)) is not None:
            return answer
        try:
            obj = await _json_body(request, MAX_PROFILE_BYTES)
        except TooLarge as exc:
            return _errors(413, {"body": str(exc)})
        except RejectedMessage as exc:
            return _errors(400, {"body": f"not JSON in the strict sense ({exc.reason}: "
                                         f"{exc.detail})"})
        if isinstance(obj, dict) and obj.get("display") not in (None, display_id):
            return _errors(422, {"display": f"the body names {obj['display']!r:.70}, the "
                                            f"path {display_id!r}"})
        try:
            fields = parse_fields(obj)
        except ProfileError as exc:
            return _errors(422, exc.errors)
        try:
            stored = await asyncio.wait_for(
                keeper.store.put(display_id, fields, fields["version"]), REDIS_TIMEOUT)
        except StaleVersion as exc:
            return JSONResponse({"detail": str(exc), "version": exc.stored}, status_code=409)
        except redis_errors as exc:
            return _unavailable("profile not stored", exc)
        profile = stored.to_json()
        await _deliver(keeper, profile)
        return JSONResponse(profile)

    @router.delete("/displays/{display_id}/profile")
    async def delete_profile(display_id: str, request: Request) -> JSONResponse:
        if (answer := refused(display_id, request)) is not None:
            return answer
        try:
            await asyncio.wait_for(keeper.store.delete(display_id), REDIS_TIMEOUT)
        except redis_errors as exc:
            return _unavailable("profile not deleted", exc)
        profile = empty_profile(display_id)
        await _deliver(keeper, profile)
        return JSONResponse(profile)

    return router


async def _deliver(keeper: DisplaysKeeper, profile: dict[str, Any]) -> None:
    """Publish the stored change; if that fails the display still gets it at its next
    reconnect (it reads its profile then), so the change stands."""
    try:
        await asyncio.wait_for(keeper.publish_profile(profile), REDIS_TIMEOUT)
    except (*LINK_ERRORS, TimeoutError) as exc:
        log.warning("profile of %r stored but not published: %s", profile["display"], exc)
