"""The conditional, atomic write of the state hash (PROTOCOL section 2).

One server-side Lua script compares the ``ts`` of the stored envelope with the
incoming one and writes only if the incoming one is not older, so two writers
(KV updaters, API servers, replicas) racing each other can never put an older
message back. Without ``ts`` on either side, arrival order decides, as the
envelope rules say.

Any part may import :func:`store_envelope`; it runs the script by its SHA
(EVALSHA) and loads it with EVAL when the server does not know it yet (after
a restart or a SCRIPT FLUSH).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from redis.exceptions import NoScriptError

from glanceboard.envelope import Envelope
from server.settings import RedisSettings

# KEYS[1] state hash; KEYS[2] (only with legacy keys) the plain per-type key.
# ARGV[1] type; ARGV[2] envelope JSON; ARGV[3] ts or ""; ARGV[4] legacy value.
# Returns 1 when written, 0 when the held envelope has a newer ts.
STORE_SCRIPT = """
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and ARGV[3] ~= '' then
  local ok, obj = pcall(cjson.decode, held)
  if ok and type(obj) == 'table' then
    local held_ts = tonumber(obj['ts'])
    if held_ts and held_ts > tonumber(ARGV[3]) then
      return 0
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if #KEYS > 1 then
  redis.call('SET', KEYS[2], ARGV[4])
end
return 1
"""

STORE_SCRIPT_SHA = hashlib.sha1(STORE_SCRIPT.encode("utf-8")).hexdigest()


def legacy_key(settings: RedisSettings, kind: str) -> str:
    """The older plain key of a type: the type name itself (what older readers GET)."""
    return kind


async def store_envelope(client: Any, settings: RedisSettings, envelope: Envelope, *,
                         legacy_keys: bool = False) -> bool:
    """Write ``envelope`` into the state hash unless a newer one is held.

    Returns True when written, False when dropped as older. With
    ``legacy_keys`` it also SETs the plain key named after the type to the
    envelope without ``type`` (the ``/key/{type}`` shape), in the same
    atomic step; that needs a non-cluster server, since that key has no
    hash tag.
    """
    keys = [settings.state_key]
    args: list[str | int] = [envelope.type, envelope.to_json(),
                             "" if envelope.ts is None else str(envelope.ts)]
    if legacy_keys:
        keys.append(legacy_key(settings, envelope.type))
        args.append(json.dumps(envelope.without_type(), separators=(",", ":"),
                               ensure_ascii=False))
    try:
        result = await client.evalsha(STORE_SCRIPT_SHA, len(keys), *keys, *args)
    except NoScriptError:
        result = await client.eval(STORE_SCRIPT, len(keys), *keys, *args)
    return int(result) == 1
