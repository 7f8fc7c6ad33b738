"""Display profiles in Valkey: one JSON document per display id in ``keys.profiles_key``.

A change is one Lua script (check the version, write the next one), so that two API
replicas, or two people editing at once, can never both win: a ``PUT`` that names a
version other than the stored one gets 409. After each change the server publishes
the display's new profile on :func:`profiles_channel`, a channel of its own beside
the control channel: older API servers and clients follow ``control`` and never see
it. Every API server turns it into a ``profile`` event on its stream
(:func:`profile_event`), which the display it names applies.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from glanceboard import strictjson
from glanceboard.display_id import check_display_id
from glanceboard.profile import MAX_PROFILE_BYTES, Profile, ProfileError, parse_profile
from glanceboard.strictjson import RejectedMessage
from server.api.state import Event
from server.settings import RedisSettings

PROFILE_EVENT = "profile"  # the SSE event name: clients that follow "update" skip it
PROFILE_MESSAGE = "profile"  # the "type" of a message on the profiles channel

# KEYS[1] the profiles hash; ARGV: display id, the expected version ("" for any), and
# the new document after its opening brace ("" to delete). Answers {1, new version}
# or {0, stored version} when the expected one is not the stored one.
CHANGE_SCRIPT = """
local held = redis.call('HGET', KEYS[1], ARGV[1])
local version = 0
if held then
  local ok, doc = pcall(cjson.decode, held)
  if ok and type(doc) == 'table' and type(doc['version']) == 'number' then
    version = doc['version']
  end
end
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= version then
  return {0, version}
end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return {1, 0}
end
local new = version + 1
redis.call('HSET', KEYS[1], ARGV[1], '{"version":' .. string.format('%d', new) .. ',' .. ARGV[3])
return {1, new}
"""


class StaleVersion(Exception):
    """A change named a version that is not the stored one (HTTP 409)."""

    def __init__(self, given: int, stored: int) -> None:
        super().__init__(f"version {given} is not the stored version {stored}; read the "
                         "profile again and apply the change to it")
        self.stored = stored


def profiles_channel(redis: RedisSettings) -> str:
    """Channel: a display's new profile after each change (named as server.keys names
    its channels, so that a cluster keeps it in the control channel's slot)."""
    return f"{redis.control_channel}:profiles"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def empty_profile(display_id: str) -> dict[str, Any]:
    return {"display": display_id, "version": 0}


def read_stored(display_id: str, raw: bytes | str | None) -> Profile | None:
    """The stored profile of ``display_id``; None for none, and for one that does not
    read as a profile (``ProfileError`` names why to the caller)."""
    if raw is None:
        return None
    try:
        obj = strictjson.loads(raw)
    except RejectedMessage as exc:
        raise ProfileError({"": f"stored profile is not JSON ({exc.reason})"}) from None
    return parse_profile(obj, display=display_id)


class ProfileStore:
    """Reads and changes profiles; ``client`` is a Redis client (plain or cluster)."""

    def __init__(self, client: Any, redis: RedisSettings, key: str) -> None:
        self.client = client
        self.redis = redis
        self.key = key

    async def get(self, display_id: str) -> Profile | None:
        return read_stored(display_id, await self.client.hget(self.key, display_id))

    async def versions(self) -> dict[str, int]:
        """Display id -> the version stored for it (unreadable documents left out)."""
        out: dict[str, int] = {}
        for name, raw in (await self.client.hgetall(self.key)).items():
            display_id = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
            try:
                profile = read_stored(display_id, raw)
            except ProfileError:
                continue
            if profile is not None:
                out[display_id] = profile.version
        return out

    async def put(self, display_id: str, fields: dict[str, Any],
                  expected: int | None) -> Profile:
        """Store ``fields`` (checked by glanceboard.profile.parse_fields) as the next
        version; :class:`StaleVersion` when ``expected`` is given and not the stored one."""
        updated = now_iso()
        draft = Profile(display=display_id, updated=updated, timezone=fields["timezone"],
                        rotation=fields["rotation"], brightness=fields["brightness"])
        rest = {"display": display_id, "updated": updated, **draft.fields_json()}
        tail = json.dumps(rest, separators=(",", ":"), ensure_ascii=False)[1:]
        ok, version = await self._change(display_id, expected, tail)
        if not ok:
            raise StaleVersion(expected if expected is not None else -1, version)
        return Profile(display=display_id, version=version, updated=updated,
                       timezone=draft.timezone, rotation=draft.rotation,
                       brightness=draft.brightness)

    async def delete(self, display_id: str) -> None:
        await self._change(display_id, None, "")

    async def _change(self, display_id: str, expected: int | None, tail: str
                      ) -> tuple[bool, int]:
        answer = await self.client.eval(CHANGE_SCRIPT, 1, self.key, display_id,
                                        "" if expected is None else str(expected), tail)
        return bool(int(answer[0])), int(answer[1])


def profile_message(profile: dict[str, Any]) -> str:
    """What goes on the profiles channel for a display's new profile (version 0: none)."""
    return json.dumps({"type": PROFILE_MESSAGE, "display": profile["display"],
                       "profile": profile}, separators=(",", ":"), ensure_ascii=False)


def parse_profile_message(raw: bytes | str) -> dict[str, Any]:
    """A message from the profiles channel, checked again (another replica or another
    tool published it): the profile as the stream carries it; :class:`ValueError`
    naming what is wrong otherwise."""
    if len(raw) > MAX_PROFILE_BYTES * 2:
        raise ValueError(f"over the limit of {MAX_PROFILE_BYTES * 2} bytes")
    try:
        obj = strictjson.read(raw, encodable=False)
    except RejectedMessage as exc:
        raise ValueError(f"not JSON in the strict sense ({exc.reason})") from None
    if not isinstance(obj, dict) or obj.get("type") != PROFILE_MESSAGE:
        raise ValueError("not a profile message")
    display_id = check_display_id(obj.get("display"))
    profile = obj.get("profile")
    parsed = parse_profile(profile, display=display_id)  # ProfileError is a ValueError
    return parsed.to_json()


def profile_event(profile: dict[str, Any]) -> Event:
    """The stream event carrying ``profile``: named ``profile``, without an id (a display
    reads its profile again at every reconnect, so there is nothing to replay)."""
    data = json.dumps({"type": PROFILE_MESSAGE, "display": profile["display"],
                       "profile": profile}, separators=(",", ":"), ensure_ascii=False)
    return Event(frame=f"event: {PROFILE_EVENT}\ndata: {data}\n\n".encode())
