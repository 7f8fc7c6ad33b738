"""The API server's ASGI application: state from Redis, REST routes, SSE, web control.

``build_app(config)`` returns the application; ``ApiService`` holds what the
routes share (state, client hub, Redis link) and runs the background tasks.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import importlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from redis.exceptions import RedisError
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from glanceboard.payloads import names
from glanceboard.payloads.display import tile_values
from server.api.apps import MAX_BODY_BYTES as MAX_APP_BODY_BYTES
from server.api.apps import AppRejected
from server.api.apps_routes import AppsKeeper, apps_router
from server.api.config import ApiConfig
from server.api.control import REJECT_REASONS as CONTROL_REJECT_REASONS
from server.api.control import (
    BadCommand,
    parse_control_message,
    validate_command,
    validate_target,
)
from server.api.hub import Hub
from server.api.metrics import CONTENT_TYPE, Exposition
from server.api.profiles_routes import DisplaysKeeper, displays_router
from server.api.security_headers import SecurityHeaders
from server.api.settings_routes import MAX_BODY_BYTES as MAX_SETTINGS_BODY_BYTES
from server.api.settings_routes import SettingsKeeper, SettingsRefused, settings_router
from server.api.sse import EVENTS_PATHS, EventsEndpoint
from server.api.state import StateHolder, control_event
from server.redis_link import (
    LINK_ERRORS,
    ChannelFollower,
    ClusterSettingError,
    connect,
    publish,
    redact,
)
from server.rejections import Rejections

log = logging.getLogger("glanceboard.api")

ENVIRONMENT_TYPES = names.ENVIRONMENT_TYPES
# Web control bodies are a few dozen bytes; anything near this is a mistake or abuse.
MAX_BODY_BYTES = 16 * 1024


class ApiService:
    """State, clients and the Redis link of one API server process."""

    def __init__(self, config: ApiConfig) -> None:
        self.config = config
        self.state = StateHolder(config.replay_size, config.max_message_bytes,
                                 config.replay_bytes)
        self.hub = Hub(config.send_timeout, config.client_queue, config.max_clients)
        # The display registry and profiles (docs/profiles.md), with their own channel.
        self.displays_keeper = DisplaysKeeper(self)
        self.displays = self.displays_keeper.registry
        self.follower = ChannelFollower(
            config.redis,
            [config.redis.data_channel, config.redis.control_channel,
             self.displays_keeper.channel],
            self._on_message,
            self._on_subscribed,
            name="api",
        )
        self.control_in = 0
        # Control-channel messages and PUT /webcontrol bodies refused, by reason.
        self.control_rejections = Rejections(log, reasons=CONTROL_REJECT_REASONS)
        self.webcontrol_refused: dict[str, int] = dict.fromkeys(CONTROL_REJECT_REASONS, 0)
        self.control_published = 0
        self._publisher: aioredis.Redis | None = None
        self.apps = AppsKeeper(self)  # PUT/DELETE /apps and their expiry (docs/apps.md)
        self.settings = SettingsKeeper(self)  # GET/PUT /settings (docs/api.md)
        self._tasks: list[asyncio.Task[None]] = []
        # Set when the Redis link stops for good (a setting to fix, e.g. --cluster against
        # a plain server); ``on_fatal`` lets the process end instead of idling not-ready.
        self.fatal: str | None = None
        self.on_fatal: Callable[[], None] | None = None

    # Redis side

    async def _on_subscribed(self, client: aioredis.Redis) -> None:
        """Subscribed: now read the hash, and tell clients what changed meanwhile."""
        fields = await client.hgetall(self.config.redis.state_key)
        for event in self.state.merge_snapshot(fields):
            self.hub.publish(event)
        self.settings.state_loaded()  # republish the settings if the state lags them
        log.info("state loaded from %r: %d types, last event %s", self.config.redis.state_key,
                 len(self.state.held), self.state.last_event_id)

    async def _on_message(self, channel: str, data: bytes) -> None:
        where = f"channel {channel!r} ({len(data)} bytes)"
        try:
            if channel == self.config.redis.control_channel:
                self._on_control(data, where)
                return
            if channel == self.displays_keeper.channel:
                self.displays_keeper.on_message(data, where)
                return
            event = self.state.ingest(data, source=where)
            if event is not None:
                self.hub.publish(event)
                if event.type == names.APPS:
                    self.apps.watch()  # another replica changed them: new expiries
        except Exception as exc:  # noqa: BLE001 - a bug here must cost a message, not the server
            rejections = (self.control_rejections
                          if channel == self.config.redis.control_channel
                          else self.state.rejections)
            rejections.failed(exc, where)

    def _on_control(self, data: bytes, where: str) -> None:
        if len(data) > MAX_BODY_BYTES:
            self.control_rejections.count("oversize", f"limit {MAX_BODY_BYTES} bytes", where)
            return
        try:
            command, args, target = parse_control_message(data)
        except BadCommand as exc:
            self.control_rejections.count(exc.reason, str(exc), where)
            return
        self.control_in += 1
        self.hub.publish(control_event(command, args, target))

    async def publish_command(self, command: str, args: dict[str, Any],
                              target: str | None = None) -> None:
        if self._publisher is None:
            self._publisher = connect(self.config.redis)
        message: dict[str, Any] = {"type": "webcontrol", "command": command, "args": args}
        if target is not None:
            message["display"] = target
        payload = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
        for attempt in (1, 2):
            try:
                await asyncio.wait_for(
                    publish(self._publisher, self.config.redis,
                            self.config.redis.control_channel, payload), timeout=5.0)
                break
            except LINK_ERRORS:
                # The pooled connection may predate a Redis restart: one fresh try.
                if attempt == 2:
                    raise
        self.control_published += 1

    # lifecycle

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        follower = loop.create_task(self.follower.run(), name="redis-follower")
        follower.add_done_callback(self._follower_ended)
        self._tasks = [
            follower,
            loop.create_task(self.hub.heartbeat(self.config.heartbeat), name="sse-heartbeat"),
            loop.create_task(self.hub.sweep(), name="sse-sweeper"),
            loop.create_task(self.apps.prune_forever(), name="apps-expiry"),
            loop.create_task(self.settings.keep_in_step(), name="settings-in-step"),
        ]

    def _follower_ended(self, task: asyncio.Task[None]) -> None:
        """The follower retries lost links forever; if it ends, it met something it
        cannot retry (a wrong setting, or a bug), and the server cannot work without it."""
        if task.cancelled():
            return
        exc = task.exception()
        if isinstance(exc, ClusterSettingError):
            self.fatal = str(exc)
        elif isinstance(exc, RedisError):  # a refusal, e.g. an ACL without our channels
            self.fatal = (f"Redis at {redact(self.config.redis.url)} refused the API server: "
                          f"{type(exc).__name__}: {exc}")
        else:
            self.fatal = f"the Redis follower stopped: {type(exc).__name__}: {exc}"
        log.error("%s", self.fatal)
        if self.on_fatal is not None:
            self.on_fatal()

    async def stop(self) -> None:
        self.hub.close_all()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._publisher is not None:
            with contextlib.suppress(Exception):
                await self._publisher.aclose()
        await self.apps.close()
        await self.settings.close()
        await self.displays_keeper.close()

    # readiness and metrics

    def not_ready_reason(self) -> str | None:
        if self.fatal is not None:
            return self.fatal
        if not self.follower.connected.is_set():
            return f"not subscribed to Redis: {self.follower.last_error or 'connecting'}"
        if not self.state.loaded:
            return "state not loaded yet"
        return None

    def metrics(self) -> bytes:
        state, hub = self.state, self.hub
        out = Exposition()
        out.metric("glanceboard_api_sse_clients", "gauge", "SSE clients connected now",
                   len(hub.clients))
        out.metric("glanceboard_api_sse_connections_total", "counter",
                   "SSE connections accepted", hub.accepted)
        out.metric("glanceboard_api_sse_refused_total", "counter",
                   "SSE connections refused with 503 at the connection limit", hub.refused)
        out.labelled("glanceboard_api_sse_dropped_total", "counter",
                     "SSE clients dropped by the server, by reason", "reason", hub.dropped)
        out.metric("glanceboard_api_events_in_total", "counter",
                   "valid data messages received from Redis (channel and hash)",
                   state.events_in)
        out.metric("glanceboard_api_events_total", "counter",
                   "state changes turned into SSE events (the last event id's sequence)",
                   state.seq)
        out.metric("glanceboard_api_events_out_total", "counter",
                   "SSE frames delivered to clients (events, control commands, pings)",
                   hub.frames_out)
        out.metric("glanceboard_api_sse_blocked_sends_total", "counter",
                   "sends that found a client's socket full and waited in the background",
                   hub.blocked_sends)
        out.metric("glanceboard_api_broadcasts_total", "counter",
                   "events and pings handed to all clients", hub.broadcasts)
        out.metric("glanceboard_api_broadcast_seconds_total", "counter",
                   "time spent handing events to all clients", hub.broadcast_seconds)
        out.metric("glanceboard_api_broadcast_max_seconds", "gauge",
                   "longest single hand-out to all clients so far", hub.broadcast_max)
        out.labelled("glanceboard_api_messages_rejected_total", "counter",
                     "messages rejected as malformed, by reason", "reason", state.rejected)
        out.metric("glanceboard_api_messages_stale_total", "counter",
                   "messages dropped because their ts is older than the one held",
                   state.stale_dropped)
        out.metric("glanceboard_api_control_received_total", "counter",
                   "web control commands received on the control channel", self.control_in)
        out.labelled("glanceboard_api_control_rejected_total", "counter",
                     "messages ignored on the control channel, by reason", "reason",
                     self.control_rejections.counts)
        out.labelled("glanceboard_api_webcontrol_refused_total", "counter",
                     "PUT /webcontrol requests answered 400, by reason", "reason",
                     self.webcontrol_refused)
        out.metric("glanceboard_api_control_published_total", "counter",
                   "web control commands accepted over HTTP and published",
                   self.control_published)
        out.metric("glanceboard_api_displays", "gauge", "displays held (reported at least once)",
                   len(self.displays.held))
        out.labelled("glanceboard_api_display_reports_refused_total", "counter",
                     "PUT /displays/{id} refused, by reason", "reason", self.displays.refused)
        out.metric("glanceboard_api_profiles_published_total", "counter",
                   "display profile changes published by this server",
                   self.displays_keeper.profiles_published)
        out.metric("glanceboard_api_profiles_delivered_total", "counter",
                   "display profile changes handed to this server's streams",
                   self.displays_keeper.profiles_delivered)
        out.labelled("glanceboard_api_profiles_rejected_total", "counter",
                     "messages ignored on the profiles channel, by reason", "reason",
                     self.displays_keeper.rejections.counts)
        out.metric("glanceboard_api_redis_reconnects_total", "counter",
                   "times the Redis link was lost", self.follower.reconnects)
        out.metric("glanceboard_api_redis_connected", "gauge",
                   "1 while subscribed to Redis", int(self.follower.connected.is_set()))
        out.metric("glanceboard_api_state_types", "gauge", "message types held",
                   len(state.held))
        return out.render()


def _bearer_ok(request: Request, token: str | None) -> bool:
    if not token:
        return True
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              token.encode())


def _unauthorized() -> JSONResponse:
    return JSONResponse({"detail": "a valid 'Authorization: Bearer <token>' is required"},
                        status_code=401, headers={"WWW-Authenticate": "Bearer"})


async def _limited_body(request: Request, command: str, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, read no further than ``limit``: a client must not make the
    server hold an arbitrarily large body in memory before it is refused."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BadCommand(f"{command}: body of {declared} bytes, limit {limit}", "oversize")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BadCommand(f"{command}: body over the limit of {limit} bytes", "oversize")
    return bytes(body)


async def _app_body(request: Request) -> bytes:
    try:
        return await _limited_body(request, "app", MAX_APP_BODY_BYTES)
    except BadCommand as exc:
        raise AppRejected(413, str(exc), [("body", "too large")]) from None


async def _settings_body(request: Request) -> bytes:
    try:
        return await _limited_body(request, "settings", MAX_SETTINGS_BODY_BYTES)
    except BadCommand as exc:
        raise SettingsRefused(413, str(exc), {"body": "too large"}) from None


def _routes(service: ApiService) -> APIRouter:
    router = APIRouter()
    state = service.state

    cached: dict[str, Any] = {"event_id": None, "body": b""}

    @router.get("/state")
    async def get_state() -> Response:
        # Encoded once per change: after a restart every display asks at once.
        if cached["event_id"] != state.last_event_id:
            cached["body"] = json.dumps(state.snapshot(), separators=(",", ":"),
                                        ensure_ascii=False).encode("utf-8")
            cached["event_id"] = state.last_event_id
        return Response(cached["body"], media_type="application/json")

    @router.get("/key/Environment")
    async def get_environment() -> JSONResponse:
        return JSONResponse({name: state.key(name) for name in ENVIRONMENT_TYPES})

    @router.get("/key/{name}")
    async def get_key(name: str) -> JSONResponse:
        return JSONResponse(state.key(name))

    @router.get("/view/{name}")
    async def get_view(name: str) -> JSONResponse:
        # What the dashboard's tile of this type reads, from either ecosystem's shape.
        held = state.key(name)
        if not held:
            return JSONResponse({})
        today = datetime.now().astimezone().date()
        return JSONResponse({"type": name, "ts": held.get("ts"),
                             "values": tile_values(name, held, today)})

    @router.put("/webcontrol/{command}", status_code=202)
    async def put_webcontrol(command: str, request: Request) -> JSONResponse:
        if not _bearer_ok(request, service.config.control_token):
            return _unauthorized()
        try:
            target = validate_target(request.query_params.get("display"))
            body = await _limited_body(request, command)
            args = validate_command(command, body)
        except BadCommand as exc:
            refused = service.webcontrol_refused
            refused[exc.reason] = refused.get(exc.reason, 0) + 1
            return JSONResponse({"detail": str(exc)}, status_code=400)
        try:
            await service.publish_command(command, args, target)
        except (*LINK_ERRORS, TimeoutError) as exc:
            log.warning("could not publish %s on %r: %s", command,
                        service.config.redis.control_channel, exc)
            return JSONResponse({"detail": f"Redis unavailable, command not queued: {exc}"},
                                status_code=503)
        return JSONResponse({"status": "Command queued"}, status_code=202)

    router.include_router(displays_router(
        service.displays_keeper, lambda request: _bearer_ok(request, service.config.control_token),
        _unauthorized, _limited_body))

    @router.get("/live")
    async def live() -> JSONResponse:
        return JSONResponse({"status": "alive"})

    @router.get("/ready")
    async def ready() -> JSONResponse:
        reason = service.not_ready_reason()
        if reason is not None:
            return JSONResponse({"status": "not ready", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready", "types": len(state.held),
                             "event_id": state.last_event_id})

    @router.get("/metrics")
    async def metrics() -> Response:
        return Response(service.metrics(), media_type=CONTENT_TYPE)

    return router


def _optional_router(module: str) -> APIRouter | None:
    """A router another part of the project may provide (e.g. page previews)."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    router = getattr(found, "router", None)
    return router if isinstance(router, APIRouter) else None


class _EventsFirst:
    """Sends ``/events`` straight to the SSE handler, everything else to the framework."""

    def __init__(self, events: EventsEndpoint, app: Any) -> None:
        self.events = events
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] in EVENTS_PATHS:
            await self.events(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def build_app(config: ApiConfig, service: ApiService | None = None) -> Any:
    service = service or ApiService(config)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(title="glanceboard API", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.service = service
    routes = _routes(service)
    routes.include_router(apps_router(
        service.apps, lambda request: _bearer_ok(request, config.control_token), _app_body))
    routes.include_router(settings_router(
        service.settings, lambda request: _bearer_ok(request, config.control_token),
        _unauthorized, _settings_body))
    app.include_router(routes)
    app.include_router(routes, prefix="/api")
    preview = _optional_router("server.preview")
    if preview is not None:
        app.include_router(preview)
    if config.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(config.cors_origins),
                           allow_methods=["GET"], allow_headers=["Last-Event-ID"])
    app.add_middleware(SecurityHeaders, frame_ancestors=config.frame_ancestors)
    # Last, so that every API route above wins over a file of the same name.
    if (config.web_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=config.web_dir, html=True), name="web")
        log.info("serving the web display from %s at /", config.web_dir)
    return _EventsFirst(EventsEndpoint(service.state, service.hub, config.cors_origins), app)
