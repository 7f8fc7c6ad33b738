"""Where Redis is and what the channels and keys are called (PROTOCOL sections 2 and 7).

Every server part reads these the same way: a command-line flag wins over an
environment variable, which wins over the default.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

EMBEDDED_DEFAULT_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class RedisSettings:
    url: str = EMBEDDED_DEFAULT_URL
    data_channel: str = "update"
    control_channel: str = "control"
    state_key: str = "state"
    cluster: bool = False

    @property
    def is_embedded_default(self) -> bool:
        return self.url == EMBEDDED_DEFAULT_URL


def add_redis_arguments(parser: argparse.ArgumentParser) -> None:
    """The Redis flags every server part shares."""
    group = parser.add_argument_group("Redis / Valkey")
    group.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or EMBEDDED_DEFAULT_URL,
        help="redis://[user:password@]host:port/db or rediss:// for TLS "
        "(env REDIS_URL; unset means the embedded default at %(default)s)",
    )
    group.add_argument(
        "--data-channel",
        default=os.environ.get("DATA_CHANNEL", "update"),
        help="channel producers publish on (env DATA_CHANNEL, default %(default)s)",
    )
    group.add_argument(
        "--control-channel",
        default=os.environ.get("CONTROL_CHANNEL", "control"),
        help="channel for web control commands (env CONTROL_CHANNEL, default %(default)s)",
    )
    group.add_argument(
        "--state-key",
        default=os.environ.get("STATE_KEY", "state"),
        help="hash holding the latest envelope per type (env STATE_KEY, default %(default)s)",
    )
    group.add_argument(
        "--cluster",
        action="store_true",
        default=os.environ.get("REDIS_CLUSTER", "").lower() in ("1", "true", "yes"),
        help="Redis/Valkey Cluster: sharded pub/sub; names must share one hash tag "
        "(env REDIS_CLUSTER=1)",
    )


def redis_settings_from_args(args: argparse.Namespace) -> RedisSettings:
    return RedisSettings(
        url=args.redis_url,
        data_channel=args.data_channel,
        control_channel=args.control_channel,
        state_key=args.state_key,
        cluster=args.cluster,
    )
