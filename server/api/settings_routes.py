"""The household settings routes (GET/PUT /settings, GET /settings/schema) and the task
that republishes the ``Settings`` envelope when the state lags the stored document.

All three routes need the control token: the settings carry a secret (shown only
as "set") and the sources show what runs where. A change is checked field by field
(every reason at once, nothing written with any), refused for a field a running
part fixed by a flag, applied atomically with an optional expected version (409
when stale), and its envelope folded into this server's state at once, so
``GET /state`` answers with it straight after.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from redis.exceptions import RedisError

from glanceboard import strictjson
from glanceboard.payloads import names
from glanceboard.strictjson import RejectedMessage
from server import settings_store
from server.redis_link import LINK_ERRORS, connect
from server.settings_store import SettingsConflict, SettingsDocument, Source
from server.user_settings import FIELDS, check_change, schema

log = logging.getLogger("glanceboard.api.settings")

MAX_BODY_BYTES = 16 * 1024  # every field at its longest is about 5 KiB
REDIS_TIMEOUT = 5.0
RETRY_SECONDS = 2.0  # after a failed republish (Redis away)
BODY_FIELDS = ("values", "version")


class SettingsRefused(ValueError):
    """A request refused: ``status`` is the HTTP status, ``errors`` name -> reason."""

    def __init__(self, status: int, detail: str, errors: Mapping[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.errors = dict(errors or {})
        self.extra = extra

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"detail": str(self), **self.extra}
        if self.errors:
            body["errors"] = self.errors
        return JSONResponse(body, status_code=self.status)


def _now_ms() -> int:
    return int(time.time() * 1000)


def document_body(document: SettingsDocument, sources: Mapping[str, list[Source]],
                  now_ms: int) -> dict[str, Any]:
    """The ``GET /settings`` body: each field's value (a secret only as set or not),
    what the page needs to show it, who uses it from where, and why it is locked."""
    locks = settings_store.lock_reasons(sources, now_ms)
    fields: dict[str, Any] = {}
    for name, info in FIELDS.items():
        value = document.values.get(name)
        entry: dict[str, Any] = {
            "value": None if info.secret else value, "set": value is not None,
            "label": info.label, "help": info.help, "kind": info.kind,
            "secret": info.secret, "public": info.public,
            "locked": locks.get(name),
            "used_by": [source.to_json(now_ms) for source in sources.get(name, [])],
        }
        if info.choices is not None:
            entry["choices"] = list(info.choices)
        fields[name] = entry
    return {"version": document.version, "updated": document.updated, "fields": fields}


def parse_put(raw: bytes) -> tuple[dict[str, Any], int | None]:
    """The change and expected version of a ``PUT /settings`` body; SettingsRefused
    (400 for a body that is not a JSON object, 422 naming every bad field) otherwise."""
    if not raw.strip():
        raise SettingsRefused(400, 'the body must be a JSON object: {"values": {...}}',
                              {"body": "empty"})
    try:
        obj = strictjson.read(raw)
    except RejectedMessage as exc:
        message = f"not JSON in the strict sense ({exc.reason}: {exc.detail})"
        raise SettingsRefused(400, message, {"body": message}) from None
    if not isinstance(obj, dict):
        message = f"must be a JSON object, got {type(obj).__name__}"
        raise SettingsRefused(400, message, {"body": message})
    errors = {str(name): f"unknown field; the body has {' and '.join(BODY_FIELDS)}"
              for name in obj if name not in BODY_FIELDS}
    version = obj.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                or not 0 <= version < 2**53):
        errors["version"] = "must be the version the change was made against, an integer >= 0"
    if "values" not in obj:
        errors["values"] = 'missing: {"values": {name: value or null}}'
    change, value_errors = check_change(obj.get("values", {}))
    errors.update(value_errors)
    if errors:
        raise SettingsRefused(422, "invalid settings: " + "; ".join(
            f"{name:.40}: {why}" for name, why in errors.items()), errors)
    return change, version


def refuse_locked(change: Mapping[str, Any], locks: Mapping[str, str]) -> None:
    """A value for a field a running part fixed by a flag is refused (the flag would win
    anyway); unsetting one is allowed."""
    errors = {name: locks[name] for name, value in change.items()
              if value is not None and name in locks}
    if errors:
        raise SettingsRefused(422, "locked settings: " + "; ".join(
            f"{name}: {why}" for name, why in errors.items()), errors)


class SettingsKeeper:
    """Reads and changes the settings for the routes; keeps the envelope in step."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self._lock = asyncio.Lock()  # one change at a time within this server
        self._check = asyncio.Event()
        self._client: Any = None

    @property
    def redis(self) -> Any:
        return self.service.config.redis

    def client(self) -> Any:
        if self._client is None:
            self._client = connect(self.redis)
        return self._client

    async def _redis(self, what: str, work: Awaitable[Any]) -> Any:
        try:
            return await asyncio.wait_for(work, REDIS_TIMEOUT)
        except (*LINK_ERRORS, TimeoutError, RedisError) as exc:
            raise SettingsRefused(503, f"Redis unavailable, settings not {what}: "
                                  f"{type(exc).__name__}: {exc}") from None

    async def _read(self) -> tuple[SettingsDocument, dict[str, list[Source]]]:
        client = self.client()
        document = await settings_store.read_document(client, self.redis)
        return document, await settings_store.read_sources(client, self.redis)

    async def current(self) -> dict[str, Any]:
        document, sources = await self._redis("read", self._read())
        return document_body(document, sources, _now_ms())

    async def change(self, raw: bytes) -> dict[str, Any]:
        change, version = parse_put(raw)
        async with self._lock:
            sources = await self._redis("read", settings_store.read_sources(
                self.client(), self.redis))
            refuse_locked(change, settings_store.lock_reasons(sources, _now_ms()))
            try:
                document, changed = await self._redis("changed", settings_store.change(
                    self.client(), self.redis, change, expected_version=version))
            except SettingsConflict as exc:
                raise SettingsRefused(409, str(exc), current=exc.current) from None
            except SettingsRefused:
                # Redis went away, perhaps between the document and its envelope.
                self._check.set()
                raise
        if changed:
            log.info("settings v%d: %s", document.version,
                     ", ".join(f"{name} {'unset' if value is None else 'set'}"
                               for name, value in change.items()))
            self._fold(document)
        return document_body(document, sources, _now_ms())

    def _fold(self, document: SettingsDocument) -> None:
        """The new envelope into this server's state now, not when it comes back."""
        event = self.service.state.offer(settings_store.envelope_of(document))
        if event is not None:
            self.service.hub.publish(event)

    def state_loaded(self) -> None:
        """Call after every (re)read of the state hash: compare it with the document."""
        self._check.set()

    async def republish_when_behind(self) -> bool:
        """Publish the envelope again if the state hash or this server's state lacks the
        stored version (a crash between the two writes, or a Valkey restart that kept
        only one). True if it did."""
        client = self.client()
        document = await settings_store.read_document(client, self.redis)
        if document.version == 0:
            return False
        in_hash = await settings_store.stored_envelope_version(client, self.redis)
        held = self.service.state.held.get(names.SETTINGS)
        in_memory = settings_store.held_version(held.envelope.values if held else None)
        if in_hash == document.version and in_memory == document.version:
            return False
        log.info("settings v%d stored, the state holds %s: publishing it again",
                 document.version, "none" if in_hash is None else f"v{in_hash}")
        await settings_store.publish_envelope(self.client(), self.redis, document)
        self._fold(document)
        return True

    async def keep_in_step(self) -> None:
        """Forever: after each state load, republish when behind (retrying while Redis
        is away)."""
        while True:
            await self._check.wait()
            self._check.clear()
            try:
                await asyncio.wait_for(self.republish_when_behind(), REDIS_TIMEOUT)
            except (*LINK_ERRORS, TimeoutError, RedisError) as exc:
                log.warning("settings: could not compare with the state: %s", exc)
                await asyncio.sleep(RETRY_SECONDS)
                self._check.set()
            except Exception:  # noqa: BLE001 - a bug must not end the task for good
                log.exception("settings: comparing with the state failed")
                await asyncio.sleep(RETRY_SECONDS)

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):
                await self._client.aclose()


def settings_router(keeper: SettingsKeeper, authorized: Callable[[Request], bool],
                    unauthorized: Callable[[], Response],
                    read_body: Callable[[Request], Awaitable[bytes]]) -> APIRouter:
    """The routes; ``authorized`` checks the control token (``unauthorized`` is the
    answer without it), ``read_body`` reads at most MAX_BODY_BYTES (SettingsRefused 413
    past it)."""
    router = APIRouter()
    schema_bytes = json.dumps(schema(), indent=1).encode("utf-8")

    @router.get("/settings/schema")
    async def get_schema(request: Request) -> Response:
        if not authorized(request):
            return unauthorized()
        return Response(schema_bytes, media_type="application/schema+json")

    @router.get("/settings")
    async def get_settings(request: Request) -> Response:
        if not authorized(request):
            return unauthorized()
        try:
            return JSONResponse(await keeper.current())
        except SettingsRefused as exc:
            return exc.response()

    @router.put("/settings")
    async def put_settings(request: Request) -> Response:
        if not authorized(request):
            return unauthorized()
        try:
            return JSONResponse(await keeper.change(await read_body(request)))
        except SettingsRefused as exc:
            return exc.response()

    return router
