"""The conditional, atomic write of the state hash (PROTOCOL section 2).

One server-side Lua script compares the ``ts`` of the stored envelope with the
incoming one and writes only if the incoming one is not older, so two writers
(KV updaters, API servers, replicas) racing each other can never put an older
message back. Without ``ts`` on either side, arrival order decides, as the
envelope rules say.

The same script can also PUBLISH the envelope (SPUBLISH on a cluster, where
the channel shares the state key's hash tag) in the same atomic step: our
producers store and publish with :func:`store_and_publish`, so the hash holds
their messages even while no KV updater is subscribed (e.g. reconnecting
after a Redis restart). The KV updater uses :func:`store_envelope` for what
other producers only PUBLISH.

Both run the script by its SHA (EVALSHA) and load it with EVAL when the
server does not know it yet (after a restart or a SCRIPT FLUSH).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from redis.exceptions import NoScriptError

from glanceboard.envelope import Envelope
from server.settings import RedisSettings

# KEYS[1] state hash; KEYS[2] (only with legacy keys) the plain per-type key.
# ARGV[1] type; ARGV[2] envelope JSON; ARGV[3] ts or ""; ARGV[4] legacy value or "";
# ARGV[5] "" (no publish), "PUBLISH" or "SPUBLISH"; ARGV[6] the channel.
# Returns {1 when written / 0 when the held envelope has a newer ts, receivers of the
# publish (0 without one)}. The publish happens either way, as a plain PUBLISH would.
STORE_SCRIPT = """
local written = 1
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and ARGV[3] ~= '' then
  local ok, obj = pcall(cjson.decode, held)
  if ok and type(obj) == 'table' then
    local held_ts = tonumber(obj['ts'])
    if held_ts and held_ts > tonumber(ARGV[3]) then
      written = 0
    end
  end
end
if written == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  if #KEYS > 1 then
    redis.call('SET', KEYS[2], ARGV[4])
  end
end
local receivers = 0
if ARGV[5] == 'PUBLISH' or ARGV[5] == 'SPUBLISH' then
  receivers = redis.call(ARGV[5], ARGV[6], ARGV[2])
end
return {written, receivers}
"""

STORE_SCRIPT_SHA = hashlib.sha1(STORE_SCRIPT.encode("utf-8")).hexdigest()


def legacy_key(settings: RedisSettings, kind: str) -> str:
    """The older plain key of a type: the type name itself (what older readers GET)."""
    return kind


async def _run_script(client: Any, keys: list[str], args: list[str]) -> tuple[bool, int]:
    try:
        result = await client.evalsha(STORE_SCRIPT_SHA, len(keys), *keys, *args)
    except NoScriptError:
        result = await client.eval(STORE_SCRIPT, len(keys), *keys, *args)
    written, receivers = result
    return int(written) == 1, int(receivers)


def _ts_arg(envelope: Envelope) -> str:
    return "" if envelope.ts is None else str(envelope.ts)


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
    legacy = ""
    if legacy_keys:
        keys.append(legacy_key(settings, envelope.type))
        legacy = json.dumps(envelope.without_type(), separators=(",", ":"), ensure_ascii=False)
    written, _ = await _run_script(
        client, keys, [envelope.type, envelope.to_json(), _ts_arg(envelope), legacy, "", ""])
    return written


async def store_and_publish(client: Any, settings: RedisSettings, envelope: Envelope,
                            payload: str) -> tuple[bool, int]:
    """Write ``envelope`` into the state hash unless a newer one is held, and PUBLISH
    ``payload`` (its JSON) on the data channel, in one atomic step.

    Returns (written, receivers). ``payload`` is published as given, so
    subscribers see exactly what a plain PUBLISH would have sent.
    """
    verb = "SPUBLISH" if settings.cluster else "PUBLISH"
    return await _run_script(client, [settings.state_key],
                             [envelope.type, payload, _ts_arg(envelope), "", verb,
                              settings.data_channel])
