"""The keys and channel glanceboard adds beside the state hash, named after it.

Each name is the state key (or the control channel) plus a suffix, so that on a
Redis/Valkey Cluster they carry the same hash tag and live in the same slot
(``{glanceboard}state`` -> ``{glanceboard}state:settings``), and a second
installation that renames its state key gets its own set.
"""

from __future__ import annotations

from server.settings import RedisSettings


def settings_key(redis: RedisSettings) -> str:
    """String: the household settings document (JSON: version, values, updated)."""
    return f"{redis.state_key}:settings"


def settings_sources_key(redis: RedisSettings) -> str:
    """Hash: "<part>/<setting>" -> JSON of the value a running part uses and where it
    comes from (default, file, env, live, flag; a flag locks it), secrets masked."""
    return f"{redis.state_key}:settings-sources"


def profiles_key(redis: RedisSettings) -> str:
    """Hash: display id -> JSON of its profile (version, updated, fields)."""
    return f"{redis.state_key}:profiles"


def displays_key(redis: RedisSettings) -> str:
    """Hash: display id -> JSON of its newest report (the display registry)."""
    return f"{redis.state_key}:displays"


def settings_channel(redis: RedisSettings) -> str:
    """Channel: the new settings version, published after every change."""
    return f"{redis.control_channel}:settings"
