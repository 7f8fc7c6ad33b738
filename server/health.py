"""A tiny HTTP port for Kubernetes probes and Prometheus, on the standard library.

The KV updater and the producers are not web servers; they only need ``/live``
(and the KV updater ``/metrics``). A thread running ``http.server`` keeps
that out of their asyncio loop and adds no dependency.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("glanceboard.health")

# A route answers (status, content type, body).
Route = Callable[[], tuple[int, str, bytes]]


class HealthServer:
    """Serves ``routes`` (path -> callable) on ``host:port`` in a daemon thread."""

    def __init__(self, routes: dict[str, Route], port: int, host: str = "0.0.0.0") -> None:
        self.routes = routes
        self.host = host
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Bind and serve; returns the bound port (useful with port 0 in tests)."""
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?", 1)[0]
                route = routes.get(path)
                if route is None:
                    status, ctype, body = 404, "text/plain", b"not found\n"
                else:
                    try:
                        status, ctype, body = route()
                    except Exception as exc:  # a probe must never kill the process
                        log.exception("health route %s failed", path)
                        status, ctype, body = 500, "text/plain", f"{path}: {exc}\n".encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return  # probes every few seconds would flood the log

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="health-http", daemon=True)
        self._thread.start()
        log.info("health port listening on %s:%d", self.host, self.port)
        return self.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def text(body: str, status: int = 200, ctype: str = "text/plain; charset=utf-8"
         ) -> tuple[int, str, bytes]:
    return status, ctype, body.encode("utf-8")
