"""``python -m server.api``: run the API server under uvicorn."""

from __future__ import annotations

import logging
import resource
import socket
import sys

import uvicorn

from server.api.app import ApiService, build_app
from server.api.config import (
    ApiConfig,
    build_parser,
    config_from_settings,
    load_settings,
    show_settings,
)
from server.redis_link import redact
from server.settings import SettingsError

log = logging.getLogger("glanceboard.api")


def raise_file_limit() -> int:
    """Every SSE client is a file descriptor: lift the soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
        except (ValueError, OSError):
            return soft
    return soft


def bind_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # Reuse the port right after a restart, while old connections sit in TIME_WAIT.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


class _Server(uvicorn.Server):
    """Ends the SSE streams first, so a graceful shutdown does not wait on them."""

    def __init__(self, config: uvicorn.Config, service: ApiService) -> None:
        super().__init__(config)
        self.service = service

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.service.hub.close_all()
        await super().shutdown(sockets)


class _QuietDroppedStreams(logging.Filter):
    """A stream the hub ended on purpose is not an error worth a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing response" not in record.getMessage()


def serve(config: ApiConfig) -> int:
    limit = raise_file_limit()
    if limit < config.max_clients + 64:
        log.warning("file descriptor limit %d is below --max-clients %d; raise ulimit -n",
                    limit, config.max_clients)
    try:
        sock = bind_socket(config.host, config.port, config.backlog)
    except OSError as exc:
        print(f"error: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    host = f"[{config.host}]" if ":" in config.host else config.host
    service = ApiService(config)
    app = build_app(config, service)
    uv_config = uvicorn.Config(
        app,
        lifespan="on",
        access_log=False,
        log_level=config.log_level,
        backlog=config.backlog,
        timeout_graceful_shutdown=5,
        limit_concurrency=None,
        proxy_headers=True,
    )
    logging.getLogger("uvicorn.error").addFilter(_QuietDroppedStreams())
    server = _Server(uv_config, service)

    def give_up() -> None:
        server.should_exit = True

    service.on_fatal = give_up
    if not config.control_token:
        log.warning("--insecure-control: no control token, anyone who reaches this server "
                    "may send web control commands")
    log.info("Redis at %s, channels %r/%r, state key %r", redact(config.redis.url),
             config.redis.data_channel, config.redis.control_channel, config.redis.state_key)
    # The first stdout line names the URL: tests and the demo read it (port 0 = any).
    print(f"API server listening on http://{host}:{port}", flush=True)
    server.run(sockets=[sock])
    if service.fatal is not None:
        print(f"error: {service.fatal}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        loaded = load_settings(args)
        if args.show_settings:
            print(show_settings(loaded), end="")
            return 0
        config = config_from_settings(loaded.settings)
    except SettingsError as exc:  # a bad environment variable, or names that cannot work
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not config.control_token and not config.insecure_control:
        print("error: no control token: set CONTROL_TOKEN (or --control-token), or pass "
              "--insecure-control to let anyone who reaches this server send web control "
              "commands", file=sys.stderr)
        return 2
    logging.basicConfig(level=config.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return serve(config)
