"""The apps routes (PUT/DELETE /apps/{name}, GET /apps, GET /apps/schema) and the task
that removes apps at the end of their lifetime.

The live set is the ``Apps`` envelope the state holds (read from the hash at start,
followed on the channel like every type), so every API replica sees the same set.
A change builds the next envelope from it, writes it into the hash and publishes it
in one atomic step (:func:`server.kv_store.store_and_publish`), and folds it into
this server's state at once, so ``GET /apps`` answers with it straight after.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from redis.exceptions import RedisError

from glanceboard.payloads import names
from glanceboard.payloads.apps import Apps
from server.api.apps import (
    AppRejected,
    check_name,
    envelope_of,
    listing,
    parse_body,
    schema,
    to_app,
    with_app,
    without_app,
)
from server.kv_store import store_and_publish
from server.redis_link import LINK_ERRORS, connect

log = logging.getLogger("glanceboard.api.apps")

RETRY_SECONDS = 2.0  # after a failed prune (Redis away)
MAX_SLEEP = 300.0  # look again at least this often, whatever changed meanwhile


def _now() -> datetime:
    return datetime.now(UTC)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class AppsKeeper:
    """Changes the live set for the routes and prunes what expired."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self._lock = asyncio.Lock()  # one change at a time within this server
        self._changed = asyncio.Event()
        self._client: Any = None

    def live(self) -> Apps:
        held = self.service.state.held.get(names.APPS)
        return Apps.parse(held.envelope.values) if held is not None else Apps()

    def _held_ts(self) -> int | None:
        held = self.service.state.held.get(names.APPS)
        return held.envelope.ts if held is not None else None

    async def change(self, build: Callable[[Apps, int], Apps]) -> Apps:
        """Apply ``build(live, now_ms)`` and publish the result; AppRejected passes through."""
        if not self.service.state.loaded:
            raise AppRejected(503, "the server has not read the state yet; try again shortly")
        async with self._lock:
            now = _now()
            updated = build(self.live(), _ms(now))
            await self._publish(updated, now)
        self._changed.set()
        return updated

    async def _publish(self, live: Apps, now: datetime) -> None:
        config = self.service.config
        envelope = envelope_of(live, now, self._held_ts(), config.max_message_bytes)
        if self._client is None:
            self._client = connect(config.redis)
        try:
            written, _ = await asyncio.wait_for(
                store_and_publish(self._client, config.redis, envelope, envelope.to_json()), 5.0)
        except (*LINK_ERRORS, TimeoutError, RedisError) as exc:
            raise AppRejected(503, f"Redis unavailable, apps not changed: {exc}") from None
        if not written:
            raise AppRejected(409, "another server changed the apps at the same moment; "
                              "send the request again")
        event = self.service.state.offer(envelope)
        if event is not None:
            self.service.hub.publish(event)

    async def prune_forever(self, sleep: Callable[[float], Awaitable[Any]] | None = None
                            ) -> None:
        """Publish the set without the apps whose lifetime ended, when each ends.

        Displays hide an expired app by themselves at its expiry; this keeps the
        stored set (and ``GET /apps``, and new displays) free of them.
        """
        while True:
            wait = MAX_SLEEP
            if self.service.state.loaded:
                now_ms = _ms(_now())
                live = self.live()
                if len(live.live(now_ms)) < len(live.apps):
                    try:
                        await self.change(lambda apps, at: Apps.of(apps.live(at)))
                        log.info("apps: removed %d expired",
                                 len(live.apps) - len(live.live(now_ms)))
                        continue
                    except AppRejected as exc:
                        log.warning("apps: could not remove expired apps: %s", exc)
                        wait = RETRY_SECONDS
                    except Exception:  # noqa: BLE001 - a bug must not end expiry for good
                        log.exception("apps: removing expired apps failed")
                        wait = RETRY_SECONDS
                elif live.apps:
                    wait = min(wait, (min(a.expires for a in live.apps) - now_ms) / 1000)
            else:
                wait = 0.5
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), max(0.05, wait))

    def watch(self) -> None:
        """Call when an ``Apps`` envelope arrived from elsewhere (another replica)."""
        self._changed.set()

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()


def _refused(exc: AppRejected) -> JSONResponse:
    return JSONResponse(exc.body(), status_code=exc.status)


def apps_router(keeper: AppsKeeper, authorized: Callable[[Request], bool],
                read_body: Callable[[Request], Awaitable[bytes]]) -> APIRouter:
    """The routes; ``read_body`` reads a body no further than MAX_BODY_BYTES (raising
    AppRejected 413 past it), ``authorized`` checks the control token."""
    router = APIRouter()
    schema_bytes = json.dumps(schema(), indent=1).encode("utf-8")

    def unauthorized() -> JSONResponse:
        return JSONResponse({"detail": "a valid 'Authorization: Bearer <token>' is required",
                             "errors": [{"field": "authorization", "message": "missing or wrong"}]},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @router.get("/apps/schema")
    async def get_schema() -> Response:
        return Response(schema_bytes, media_type="application/schema+json")

    @router.get("/apps")
    async def get_apps() -> JSONResponse:
        return JSONResponse(listing(keeper.live(), _ms(_now())))

    @router.put("/apps/{name}")
    async def put_app(name: str, request: Request) -> JSONResponse:
        if not authorized(request):
            return unauthorized()
        try:
            check_name(name)
            body = parse_body(await read_body(request))
            now_ms = _ms(_now())
            app = to_app(name, body, now_ms)
            await keeper.change(lambda live, at: with_app(live, app, at))
        except AppRejected as exc:
            return _refused(exc)
        return JSONResponse({"status": "App published", "name": name,
                             "expires": app.expires, "expires_in": body.lifetime})

    @router.delete("/apps/{name}")
    async def delete_app(name: str, request: Request) -> JSONResponse:
        if not authorized(request):
            return unauthorized()
        try:
            check_name(name)
            await keeper.change(lambda live, at: without_app(live, name, at))
        except AppRejected as exc:
            return _refused(exc)
        return JSONResponse({"status": "App removed", "name": name})

    return router
