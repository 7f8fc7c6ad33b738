"""The API server's settings (PROTOCOL sections 3-5, 7): one model, :class:`ApiSettings`,
read in the layers of :mod:`server.layers`; :class:`ApiConfig` is what the running server uses."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BeforeValidator

from glanceboard.envelope import DEFAULT_MAX_BYTES
from server.api.security_headers import check_frame_ancestors
from server.layers import (
    LiveSettings,
    Loaded,
    add_flags,
    add_show_flag,
    load,
    setting,
)
from server.settings import (
    LOG_LEVELS,
    LogLevel,
    Port,
    PositiveFloat,
    PositiveInt,
    RedisFields,
    RedisSettings,
    add_redis_arguments,
    check_url,
    show_part,
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
    frame_ancestors: tuple[str, ...] = ("'self'",)
    backlog: int = 4096
    log_level: str = "info"
    web_dir: Path = DEFAULT_WEB_DIR
    max_displays: int = 1000
    display_stale: float = 90.0


def _origins(value: Any) -> tuple[str, ...]:
    """Comma-separated origins (a flag or variable) or a list (a file); '' is none."""
    if isinstance(value, str):
        return tuple(o.strip() for o in value.split(",") if o.strip())
    return tuple(value)


def _path(value: Any) -> Path:
    return Path(value).expanduser()


class ApiSettings(RedisFields):
    """Every setting of ``python -m server.api``."""

    part: ClassVar[str] = "api"

    host: str = setting("127.0.0.1", env="API_HOST", flag="--host",
                        help="address to listen on; 0.0.0.0 for every interface")
    port: Port = setting(8000, env="API_PORT", flag="--port",
                         help="TCP port; 0 picks a free port, and the first line on stdout "
                         "always names the URL actually used")
    control_token: str | None = setting(
        None, env="CONTROL_TOKEN", flag="--control-token", secret=True,
        help="bearer token that PUT /webcontrol/{command} must carry (prefer the env var, "
        "flags show in ps). Required: without one the server does not start, unless "
        "--insecure-control")
    insecure_control: bool = setting(
        False, flag="--insecure-control",
        help="start without a control token: anyone who reaches this server may send web "
        "control commands (off by default)")
    send_timeout: PositiveFloat = setting(
        10.0, env="SSE_SEND_TIMEOUT", flag="--send-timeout",
        help="seconds an SSE client may leave a send blocked (it stopped reading) before it "
        "is dropped")
    max_clients: PositiveInt = setting(10000, env="SSE_MAX_CLIENTS", flag="--max-clients",
                                       help="SSE connections held at once; past it /events "
                                       "answers 503")
    client_queue: PositiveInt = setting(256, env="SSE_CLIENT_QUEUE", flag="--client-queue",
                                        help="events queued for one slow SSE client before "
                                        "it is dropped")
    replay_size: PositiveInt = setting(
        1024, env="SSE_REPLAY_SIZE", flag="--replay-size",
        help="recent events kept for clients that resume with Last-Event-ID; older ids get "
        "the whole state instead")
    replay_mb: PositiveInt = setting(
        64, env="SSE_REPLAY_MB", flag="--replay-mb",
        help="memory bound of the replay buffer in MiB: the oldest events go first when it "
        "is exceeded")
    heartbeat: PositiveFloat = setting(15.0, env="SSE_HEARTBEAT", flag="--heartbeat",
                                       help="seconds between ': ping' comments on every SSE "
                                       "stream")
    max_message_bytes: PositiveInt = setting(
        DEFAULT_MAX_BYTES, env="MAX_MESSAGE_BYTES", flag="--max-message-bytes",
        help="larger messages from Redis are rejected as 'oversize'")
    cors_origins: Annotated[tuple[str, ...], BeforeValidator(_origins)] = setting(
        ("*",), env="CORS_ORIGINS", flag="--cors-origins",
        help="comma-separated origins allowed to GET the API from a browser page served "
        "elsewhere; '' turns CORS off")
    frame_ancestors: Annotated[
        tuple[str, ...], BeforeValidator(_origins), AfterValidator(check_frame_ancestors)
    ] = setting(
        ("'self'",), env="FRAME_ANCESTORS", flag="--frame-ancestors",
        help="comma-separated origins whose pages may show the dashboard in a frame (a "
        "Home Assistant panel: http://homeassistant.local:8123); 'self' is this server's "
        "own pages, '' no page at all")
    backlog: PositiveInt = setting(4096, env="API_BACKLOG", flag="--backlog",
                                   help="listen backlog for bursts of connecting clients")
    log_level: LogLevel = setting("info", env="LOG_LEVEL", flag="--log-level",
                                  help="log verbosity: " + ", ".join(LOG_LEVELS))
    web_dir: Annotated[Path, BeforeValidator(_path)] = setting(
        DEFAULT_WEB_DIR, env="WEB_DIR", flag="--web-dir", shown_default="the packaged display",
        help="directory served at / (the web display) when it holds an index.html at start")
    max_displays: PositiveInt = setting(
        1000, env="MAX_DISPLAYS", flag="--max-displays",
        help="displays held by GET /displays; a new one past it replaces the longest-offline "
        "one, or is refused (507) while all are online")
    display_stale: PositiveFloat = setting(
        90.0, env="DISPLAY_STALE", flag="--display-stale",
        help="seconds without a report (PUT /displays/{id}) before a display is offline")


def build_parser() -> argparse.ArgumentParser:
    """The flags of ``python -m server.api``, made from :class:`ApiSettings`."""
    parser = argparse.ArgumentParser(
        prog="python -m server.api",
        description="The glanceboard API server: holds the latest message of every type, "
        "serves it over REST (/state, /key/{type}, also under /api/), streams updates as "
        "Server-Sent Events (/events), forwards web control commands, and exposes /live, "
        "/ready and Prometheus /metrics. Settings: defaults < environment < live settings "
        "< flags (docs/settings.md).",
    )
    add_flags(parser, ApiSettings, [n for n in ApiSettings.model_fields
                                    if n not in RedisFields.model_fields])
    add_show_flag(parser)
    add_redis_arguments(parser)
    return parser


def load_settings(args: argparse.Namespace, environ: Mapping[str, str] | None = None,
                  live: LiveSettings | None = None) -> Loaded[ApiSettings]:
    """The API server's settings from its layers; SettingsError names a bad key and source."""
    return load(ApiSettings, args=args, environ=os.environ if environ is None else environ,
                live=live)


def show_settings(loaded: Loaded[ApiSettings]) -> str:
    return show_part(loaded, "python -m server.api")


def config_from_settings(settings: ApiSettings) -> ApiConfig:
    """The running server's configuration; SettingsError when the Redis names cannot work
    together or the URL is not one."""
    redis = settings.redis()
    check_url(redis.url)
    return ApiConfig(
        redis=redis,
        host=settings.host,
        port=settings.port,
        control_token=settings.control_token or None,
        insecure_control=settings.insecure_control,
        send_timeout=settings.send_timeout,
        max_clients=settings.max_clients,
        client_queue=settings.client_queue,
        replay_size=settings.replay_size,
        replay_bytes=settings.replay_mb * 1024 * 1024,
        heartbeat=settings.heartbeat,
        max_message_bytes=settings.max_message_bytes,
        cors_origins=settings.cors_origins,
        frame_ancestors=settings.frame_ancestors,
        backlog=settings.backlog,
        log_level=settings.log_level,
        web_dir=settings.web_dir,
        max_displays=settings.max_displays,
        display_stale=settings.display_stale,
    )


def config_from_args(args: argparse.Namespace) -> ApiConfig:
    """The configuration from parsed flags and the environment (SettingsError if bad)."""
    return config_from_settings(load_settings(args).settings)
