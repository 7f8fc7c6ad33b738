"""The API server's settings: flags, environment variables, defaults (PROTOCOL sections 3-5, 7)."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from glanceboard.envelope import DEFAULT_MAX_BYTES
from server.settings import RedisSettings, add_redis_arguments, redis_settings_from_args

# The web display's files, shipped inside the package.
DEFAULT_WEB_DIR = Path(__file__).resolve().parent.parent / "web"


@dataclass(frozen=True)
class ApiConfig:
    redis: RedisSettings = field(default_factory=RedisSettings)
    host: str = "127.0.0.1"
    port: int = 8000
    control_token: str | None = None
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


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return value


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m server.api",
        description="The glanceboard API server: holds the latest message of every type, "
        "serves it over REST (/state, /key/{type}, also under /api/), streams updates as "
        "Server-Sent Events (/events), forwards web control commands, and exposes /live, "
        "/ready and Prometheus /metrics.",
    )
    parser.add_argument("--host", default=os.environ.get("API_HOST", "127.0.0.1"),
                        help="address to listen on (env API_HOST, default %(default)s; "
                        "0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=_env_int("API_PORT", 8000),
                        help="TCP port (env API_PORT, default %(default)s). 0 picks a free "
                        "port; the first line on stdout always names the URL actually used")
    parser.add_argument("--control-token", default=os.environ.get("CONTROL_TOKEN") or None,
                        help="bearer token that PUT /webcontrol/{command} must carry "
                        "(env CONTROL_TOKEN; unset means anyone may send commands)")
    parser.add_argument("--send-timeout", type=_positive_float,
                        default=_env_float("SSE_SEND_TIMEOUT", 10.0),
                        help="seconds an SSE client may leave a send blocked (it stopped "
                        "reading) before it is dropped (env SSE_SEND_TIMEOUT, "
                        "default %(default)s)")
    parser.add_argument("--max-clients", type=_positive_int,
                        default=_env_int("SSE_MAX_CLIENTS", 10000),
                        help="SSE connections held at once; past it /events answers 503 "
                        "(env SSE_MAX_CLIENTS, default %(default)s)")
    parser.add_argument("--client-queue", type=_positive_int,
                        default=_env_int("SSE_CLIENT_QUEUE", 256),
                        help="events queued for one slow SSE client before it is dropped "
                        "(env SSE_CLIENT_QUEUE, default %(default)s)")
    parser.add_argument("--replay-size", type=_positive_int,
                        default=_env_int("SSE_REPLAY_SIZE", 1024),
                        help="recent events kept for clients that resume with Last-Event-ID; "
                        "older ids get the whole state instead (env SSE_REPLAY_SIZE, "
                        "default %(default)s)")
    parser.add_argument("--replay-mb", type=_positive_int,
                        default=_env_int("SSE_REPLAY_MB", 64),
                        help="memory bound of the replay buffer in MiB: the oldest events go "
                        "first when it is exceeded (env SSE_REPLAY_MB, default %(default)s)")
    parser.add_argument("--heartbeat", type=_positive_float,
                        default=_env_float("SSE_HEARTBEAT", 15.0),
                        help="seconds between ': ping' comments on every SSE stream "
                        "(env SSE_HEARTBEAT, default %(default)s)")
    parser.add_argument("--max-message-bytes", type=_positive_int,
                        default=_env_int("MAX_MESSAGE_BYTES", DEFAULT_MAX_BYTES),
                        help="larger messages from Redis are rejected as 'oversize' "
                        "(env MAX_MESSAGE_BYTES, default %(default)s)")
    parser.add_argument("--cors-origins", default=os.environ.get("CORS_ORIGINS", "*"),
                        help="comma-separated origins allowed to GET the API from a browser "
                        "page served elsewhere; '' turns CORS off (env CORS_ORIGINS, "
                        "default %(default)s)")
    parser.add_argument("--backlog", type=_positive_int, default=_env_int("API_BACKLOG", 4096),
                        help="listen backlog for bursts of connecting clients "
                        "(env API_BACKLOG, default %(default)s)")
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "info"),
                        choices=["debug", "info", "warning", "error"],
                        help="log verbosity (env LOG_LEVEL, default %(default)s)")
    parser.add_argument("--web-dir", type=Path,
                        default=Path(os.environ.get("WEB_DIR") or DEFAULT_WEB_DIR),
                        help="directory served at / (the web display) when it holds an "
                        "index.html at start (env WEB_DIR, default: the packaged display)")
    add_redis_arguments(parser)
    return parser


def config_from_args(args: argparse.Namespace) -> ApiConfig:
    try:
        redis = redis_settings_from_args(args)
    except ValueError as exc:  # names that cannot work together (e.g. on a cluster)
        raise SystemExit(f"error: {exc}") from None
    origins = tuple(o.strip() for o in args.cors_origins.split(",") if o.strip())
    return ApiConfig(
        redis=redis,
        host=args.host,
        port=args.port,
        control_token=args.control_token,
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
