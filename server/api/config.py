"""The API server's settings: flags, environment variables, defaults (PROTOCOL sections 3-5, 7)."""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glanceboard.envelope import DEFAULT_MAX_BYTES
from server.settings import (
    LOG_LEVELS,
    RedisSettings,
    add_redis_arguments,
    check_url,
    env_setting,
    log_level,
    port_number,
    positive_float,
    positive_int,
    redis_settings_from_args,
)

# The web display's files, shipped inside the package.
DEFAULT_WEB_DIR = Path(__file__).resolve().parent.parent / "web"


@dataclass(frozen=True)
class ApiConfig:
    redis: RedisSettings = field(default_factory=RedisSettings)
    host: str = "127.0.0.1"
    port: int = 8000
    control_token: str | None = None
    insecure_control: bool = False
    send_timeout: float = 10.0
    max_clients: int = 10000
    client_queue: int = 256
    replay_size: int = 1024
    replay_bytes: int = 64 * 1024 * 1024
    heartbeat: float = 15.0
    max_message_bytes: int = DEFAULT_MAX_BYTES
    cors_origins: tuple[str, ...] = ("*",)
    backlog: int = 4096
    log_level: str = "info"
    web_dir: Path = DEFAULT_WEB_DIR


def _env_flag(parser: argparse.ArgumentParser, flag: str, env: str,
              convert: Callable[[str], Any], default: Any, help_text: str) -> None:
    """A flag whose default comes from ``env``; the help names both."""
    parser.add_argument(flag, type=convert, default=env_setting(env, convert, default),
                        help=f"{help_text} (env {env}, default %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``python -m server.api``; a bad environment variable raises SettingsError."""
    parser = argparse.ArgumentParser(
        prog="python -m server.api",
        description="The glanceboard API server: holds the latest message of every type, "
        "serves it over REST (/state, /key/{type}, also under /api/), streams updates as "
        "Server-Sent Events (/events), forwards web control commands, and exposes /live, "
        "/ready and Prometheus /metrics.",
    )
    flag = functools.partial(_env_flag, parser)
    flag("--host", "API_HOST", str, "127.0.0.1",
         "address to listen on; 0.0.0.0 for every interface")
    flag("--port", "API_PORT", port_number, 8000,
         "TCP port; 0 picks a free port, and the first line on stdout always names the URL "
         "actually used")
    parser.add_argument("--control-token", default=os.environ.get("CONTROL_TOKEN") or None,
                        help="bearer token that PUT /webcontrol/{command} must carry "
                        "(env CONTROL_TOKEN; prefer the env var, flags show in ps). Required: "
                        "without one the server does not start, unless --insecure-control")
    parser.add_argument("--insecure-control", action="store_true",
                        help="start without a control token: anyone who reaches this server "
                        "may send web control commands (off by default)")
    flag("--send-timeout", "SSE_SEND_TIMEOUT", positive_float, 10.0,
         "seconds an SSE client may leave a send blocked (it stopped reading) before it is "
         "dropped")
    flag("--max-clients", "SSE_MAX_CLIENTS", positive_int, 10000,
         "SSE connections held at once; past it /events answers 503")
    flag("--client-queue", "SSE_CLIENT_QUEUE", positive_int, 256,
         "events queued for one slow SSE client before it is dropped")
    flag("--replay-size", "SSE_REPLAY_SIZE", positive_int, 1024,
         "recent events kept for clients that resume with Last-Event-ID; older ids get the "
         "whole state instead")
    flag("--replay-mb", "SSE_REPLAY_MB", positive_int, 64,
         "memory bound of the replay buffer in MiB: the oldest events go first when it is "
         "exceeded")
    flag("--heartbeat", "SSE_HEARTBEAT", positive_float, 15.0,
         "seconds between ': ping' comments on every SSE stream")
    flag("--max-message-bytes", "MAX_MESSAGE_BYTES", positive_int, DEFAULT_MAX_BYTES,
         "larger messages from Redis are rejected as 'oversize'")
    parser.add_argument("--cors-origins", default=os.environ.get("CORS_ORIGINS", "*"),
                        help="comma-separated origins allowed to GET the API from a browser "
                        "page served elsewhere; '' turns CORS off (env CORS_ORIGINS, "
                        "default %(default)s)")
    flag("--backlog", "API_BACKLOG", positive_int, 4096,
         "listen backlog for bursts of connecting clients")
    flag("--log-level", "LOG_LEVEL", log_level, "info", "log verbosity: " + ", ".join(LOG_LEVELS))
    parser.add_argument("--web-dir", type=Path,
                        default=Path(os.environ.get("WEB_DIR") or DEFAULT_WEB_DIR),
                        help="directory served at / (the web display) when it holds an "
                        "index.html at start (env WEB_DIR, default: the packaged display)")
    add_redis_arguments(parser)
    return parser


def config_from_args(args: argparse.Namespace) -> ApiConfig:
    """The settings; SettingsError when the Redis names cannot work together."""
    redis = redis_settings_from_args(args)
    check_url(redis.url)
    origins = tuple(o.strip() for o in args.cors_origins.split(",") if o.strip())
    return ApiConfig(
        redis=redis,
        host=args.host,
        port=args.port,
        control_token=args.control_token,
        insecure_control=args.insecure_control,
        send_timeout=args.send_timeout,
        max_clients=args.max_clients,
        client_queue=args.client_queue,
        replay_size=args.replay_size,
        replay_bytes=args.replay_mb * 1024 * 1024,
        heartbeat=args.heartbeat,
        max_message_bytes=args.max_message_bytes,
        cors_origins=origins,
        backlog=args.backlog,
        log_level=args.log_level,
        web_dir=args.web_dir,
    )
