"""The household settings document in Redis/Valkey: read, change, publish; and the
sources hash that says which part uses what from where.

The document at ``keys.settings_key`` is JSON
``{"version": N, "updated": "<ISO 8601 UTC>", "values": {name: value}}`` (only set
names). A change is optimistic and atomic: read the document, build the next one,
and write it with a script that first checks the stored bytes are still the ones
read (else read again), then PUBLISHes the version on ``keys.settings_channel``.
After it the public values go out as a ``Settings`` envelope through
:func:`server.kv_store.store_and_publish`, like every message, so displays get them
at start and over the stream.

One implementation serves both redis-py clients: the functions are coroutines,
and :func:`sync` runs one on a synchronous client (its calls never suspend).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from redis.exceptions import NoScriptError, ResponseError

from glanceboard.envelope import Envelope, validate_object
from glanceboard.payloads import names
from glanceboard.payloads.settings import Settings
from glanceboard.payloads.times import stamp_minutes, stamp_seconds
from server import keys
from server.kv_store import store_and_publish
from server.settings import RedisSettings
from server.user_settings import FIELDS, SECRET_NAMES, public_values, stored_values

log = logging.getLogger("glanceboard.settings")

T = TypeVar("T")

MAX_ATTEMPTS = 20  # optimistic retries when other writers keep changing the document
# Settings do not go stale: the envelope is valid this long after its change.
ENVELOPE_VALID = timedelta(days=3650)
# A sources entry older than this is from a part that stopped (or stopped refreshing
# it): it is still listed, marked stale, but locks nothing.
SOURCES_FRESH_MS = 24 * 3600 * 1000
MASK = "***"
MAX_CLOCK_AHEAD = timedelta(hours=1)  # another server's clock may be this far ahead

# KEYS[1] the document. ARGV[1] what was read: "" (no key), "=" .. the bytes read, or
# "!" (a key of another type); ARGV[2] the new document; ARGV[3] PUBLISH or SPUBLISH;
# ARGV[4] the settings channel; ARGV[5] the new version. Returns {1, receivers} when
# written, {0, 0} when the key changed since it was read.
CHANGE_SCRIPT = """
local kind = redis.call('TYPE', KEYS[1])['ok']
local now = ''
if kind == 'string' then
  now = '=' .. redis.call('GET', KEYS[1])
elseif kind ~= 'none' then
  now = '!'
end
if now ~= ARGV[1] then
  return {0, 0}
end
redis.call('SET', KEYS[1], ARGV[2])
local receivers = redis.call(ARGV[3], ARGV[4], ARGV[5])
return {1, receivers}
"""
CHANGE_SCRIPT_SHA = hashlib.sha1(CHANGE_SCRIPT.encode("utf-8")).hexdigest()


class SettingsConflict(RuntimeError):
    """The document's version is not the one the change was made against."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class SettingsDocument:
    """The stored settings; version 0 and no values when none (or none readable) is stored."""

    version: int = 0
    updated: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def updated_at(self, now: datetime | None = None) -> datetime | None:
        """When it changed; None when unknown, unreadable or further ahead of ``now``
        than clocks disagree (a hand edit: the envelope's ts must stay near the clock)."""
        if self.updated is None:
            return None
        try:
            moment = datetime.fromisoformat(self.updated)
        except ValueError:
            return None
        if moment.tzinfo is None:
            return None
        if moment - (now or datetime.now(UTC)) > MAX_CLOCK_AHEAD:
            return None
        return moment

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "updated": self.updated,
                           "values": self.values}, separators=(",", ":"), ensure_ascii=False)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- running on either client ----------------------------------------------------------


class _AsAsync:
    """A synchronous redis-py client seen through awaitable methods."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return method(*args, **kwargs)
        return call


def sync(client: Any, make: Any, *args: Any, **kwargs: Any) -> Any:
    """``make(client, *args)`` (one of this module's coroutines) run on a synchronous
    client: ``sync(redis.Redis(...), read_document, redis_settings)``."""
    coroutine: Coroutine[Any, Any, Any] = make(_AsAsync(client), *args, **kwargs)
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError(f"{make.__name__} waited on something other than the client")


# --- reading ---------------------------------------------------------------------------


class _WarnOnce:
    """Logs a problem once per distinct stored content, not at every read."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, raw: bytes | str | None, message: str, *args: Any) -> None:
        digest = hashlib.sha1(raw if isinstance(raw, bytes) else str(raw).encode()).hexdigest()
        if digest in self._seen:
            return
        if len(self._seen) > 1000:
            self._seen.clear()
        self._seen.add(digest)
        log.warning(message, *args)


_warn = _WarnOnce()


def parse_document(raw: bytes | str | None, where: str = "the settings document"
                   ) -> SettingsDocument:
    """The stored document; missing or unreadable reads as version 0 (one warning),
    values no longer valid are left out (one warning naming them)."""
    if raw is None:
        return SettingsDocument()
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        _warn(raw, "%s is not JSON (%s): read as empty, version 0", where, exc)
        return SettingsDocument()
    version = obj.get("version") if isinstance(obj, dict) else None
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        _warn(raw, "%s has no version (got %.80r): read as empty, version 0", where, obj)
        return SettingsDocument()
    updated = obj.get("updated")
    values, dropped = stored_values(obj.get("values"))
    if dropped:
        _warn(raw, "%s v%d: left out %s", where, version,
              "; ".join(f"{name!r:.40}: {why}" for name, why in dropped.items()))
    document = SettingsDocument(version, updated if isinstance(updated, str) else None, values)
    return document


async def _read_raw(client: Any, key: str) -> tuple[str | bytes, SettingsDocument]:
    """The document and the marker of what was read (see CHANGE_SCRIPT)."""
    try:
        raw = await client.get(key)
    except ResponseError as exc:  # WRONGTYPE: someone put something else there
        _warn(f"wrongtype {key}", "%r is not a string (%s): read as empty, version 0", key, exc)
        return "!", SettingsDocument()
    if raw is None:
        return "", SettingsDocument()
    raw_bytes = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
    return b"=" + raw_bytes, parse_document(raw_bytes, f"{key!r}")


async def read_document(client: Any, redis: RedisSettings) -> SettingsDocument:
    """The stored settings (version 0, empty, when none); never raises for content."""
    return (await _read_raw(client, keys.settings_key(redis)))[1]


# --- changing --------------------------------------------------------------------------


def _next_document(current: SettingsDocument, change: Mapping[str, Any], now: datetime
                   ) -> SettingsDocument | None:
    """The document after ``change`` (None values unset), or None if nothing changes."""
    values = dict(current.values)
    for name, value in change.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    if values == current.values:
        return None
    # Strictly later than the previous change even if this clock is behind another's:
    # the envelope's ts comes from it, so a newer version always has a newer ts.
    previous = current.updated_at(now)
    moment = now if previous is None else max(now, previous + timedelta(milliseconds=1))
    ordered = {name: values[name] for name in FIELDS if name in values}
    return SettingsDocument(current.version + 1, iso_utc(moment), ordered)


async def _run_change_script(client: Any, key: str, seen: str | bytes, document: str,
                             verb: str, channel: str, version: int) -> bool:
    args = (seen, document, verb, channel, str(version))
    try:
        result = await client.evalsha(CHANGE_SCRIPT_SHA, 1, key, *args)
    except NoScriptError:
        result = await client.eval(CHANGE_SCRIPT, 1, key, *args)
    return int(result[0]) == 1


async def change(client: Any, redis: RedisSettings, change: Mapping[str, Any], *,
                 expected_version: int | None = None, now: datetime | None = None
                 ) -> tuple[SettingsDocument, bool]:
    """Apply an already checked change (:func:`server.user_settings.check_change`).

    Returns (the document now stored, whether it changed). The new version is
    PUBLISHed on the settings channel in the same atomic step, then the Settings
    envelope is stored and published. :class:`SettingsConflict` when
    ``expected_version`` is given and is not the stored one. Redis errors pass through.
    """
    key = keys.settings_key(redis)
    verb = "SPUBLISH" if redis.cluster else "PUBLISH"
    for _ in range(MAX_ATTEMPTS):
        seen, current = await _read_raw(client, key)
        if expected_version is not None and expected_version != current.version:
            raise SettingsConflict(f"the settings are at version {current.version}, not "
                                   f"{expected_version}: someone changed them meanwhile; "
                                   "load them again", current.version)
        document = _next_document(current, change, now or datetime.now(UTC))
        if document is None:
            return current, False
        if await _run_change_script(client, key, seen, document.to_json(), verb,
                                    keys.settings_channel(redis), document.version):
            await publish_envelope(client, redis, document)
            return document, True
    raise SettingsConflict("the settings kept changing under this request; send it again",
                           -1)


# --- the Settings envelope -------------------------------------------------------------


def envelope_of(document: SettingsDocument, now: datetime | None = None) -> Envelope:
    """The ``Settings`` envelope of ``document``: its public values and version, ``ts``
    the moment of its change (so the same document always makes the same envelope)."""
    now = now or datetime.now(UTC)
    moment = document.updated_at(now) or now
    values = Settings.parse({**public_values(document.values), "version": document.version})
    return validate_object({
        "type": names.SETTINGS, "values": values.to_values(),
        "updated": stamp_minutes(moment), "valid": stamp_seconds(moment + ENVELOPE_VALID),
        "ts": int(moment.timestamp() * 1000),
    })


async def publish_envelope(client: Any, redis: RedisSettings, document: SettingsDocument
                           ) -> Envelope:
    """Store and publish the ``Settings`` envelope of ``document`` (written unless the
    state already holds a newer one)."""
    envelope = envelope_of(document)
    written, _ = await store_and_publish(client, redis, envelope, envelope.to_json())
    if not written:
        log.warning("settings v%d: the state holds a newer Settings envelope; kept it",
                    document.version)
    return envelope


def held_version(envelope_values: Any) -> int | None:
    """The settings version a held ``Settings`` envelope carries (None: none)."""
    return Settings.parse(envelope_values).version if envelope_values is not None else None


async def stored_envelope_version(client: Any, redis: RedisSettings) -> int | None:
    """The version of the ``Settings`` envelope in the state hash (None: none there, or
    none readable)."""
    raw = await client.hget(redis.state_key, names.SETTINGS)
    try:
        obj = json.loads(raw) if raw is not None else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return held_version(obj.get("values")) if isinstance(obj, dict) else None


# --- the sources hash ------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One part's use of one setting, as that part wrote it into the sources hash."""

    part: str
    setting: str
    value: Any
    origin: str
    locked: bool
    at: int | None  # epoch ms

    def stale(self, now_ms: int) -> bool:
        return self.at is None or now_ms - self.at > SOURCES_FRESH_MS

    def to_json(self, now_ms: int) -> dict[str, Any]:
        return {"part": self.part, "setting": self.setting, "value": self.value,
                "origin": self.origin, "locked": self.locked, "at": self.at,
                "stale": self.stale(now_ms)}

    def lock_reason(self) -> str:
        return f"fixed by {self.origin or 'a flag'} of the {self.part} producer"


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse_source(field_name: bytes | str, raw: bytes | str) -> Source | None:
    """One entry of the sources hash (``"<part>/<setting>"`` -> JSON), or None with a
    warning when it is unreadable or names no known setting."""
    label = field_name.decode("utf-8", "replace") if isinstance(field_name, bytes) else field_name
    part, _, setting = label.partition("/")
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        obj = None
    if not isinstance(obj, dict) or not part or setting not in FIELDS:
        _warn(raw, "settings sources: entry %.80r is not a known setting's JSON: ignored",
              label)
        return None
    at = obj.get("at")
    at = at if isinstance(at, int) and not isinstance(at, bool) and 0 <= at < 2**53 else None
    value = obj.get("value")
    if setting in SECRET_NAMES and value is not None:
        value = MASK  # whatever the part wrote, a secret is never shown
    elif not isinstance(value, str | int | float | bool | list | type(None)):
        value = None
    elif isinstance(value, str | list):
        value = value[:500]
    return Source(part=part[:64], setting=setting, value=value,
                  origin=_text(obj.get("origin")), locked=obj.get("locked") is True, at=at)


def parse_sources(fields: Mapping[bytes | str, bytes | str]) -> dict[str, list[Source]]:
    """The sources hash as entries per setting name, each list sorted by part."""
    found: dict[str, list[Source]] = {}
    for name, raw in fields.items():
        source = parse_source(name, raw)
        if source is not None:
            found.setdefault(source.setting, []).append(source)
    for entries in found.values():
        entries.sort(key=lambda s: s.part)
    return found


async def read_sources(client: Any, redis: RedisSettings) -> dict[str, list[Source]]:
    try:
        fields = await client.hgetall(keys.settings_sources_key(redis))
    except ResponseError as exc:  # WRONGTYPE
        _warn(f"wrongtype {keys.settings_sources_key(redis)}",
              "settings sources %r unreadable (%s): none listed",
              keys.settings_sources_key(redis), exc)
        return {}
    return parse_sources(fields)


def lock_reasons(sources: Mapping[str, list[Source]], now_ms: int) -> dict[str, str]:
    """Setting name -> why it cannot be set live (a running part fixed it by a flag)."""
    reasons: dict[str, str] = {}
    for name, entries in sources.items():
        locks = [s.lock_reason() for s in entries if s.locked and not s.stale(now_ms)]
        if locks:
            reasons[name] = "; ".join(locks)
    return reasons


def write_source(part: str, setting: str, value: Any, origin: str, locked: bool,
                 at_ms: int) -> tuple[str, str]:
    """The (field, value) a part HSETs into the sources hash for one setting it uses;
    a secret's value is masked here already."""
    shown = MASK if setting in SECRET_NAMES and value is not None else value
    return f"{part}/{setting}", json.dumps(
        {"part": part, "setting": setting, "value": shown, "origin": origin,
         "locked": locked, "at": at_ms}, separators=(",", ":"), ensure_ascii=False)


async def write_sources(client: Any, redis: RedisSettings,
                        entries: Iterable[tuple[str, str]]) -> None:
    """HSET entries made by :func:`write_source` into the sources hash, in one command."""
    mapping = dict(entries)
    if mapping:
        await client.hset(keys.settings_sources_key(redis), mapping=mapping)
