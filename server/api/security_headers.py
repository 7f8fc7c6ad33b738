"""Response headers that keep the web dashboard to its own files.

The dashboard is plain modules, a stylesheet and same-origin requests, so a strict
Content-Security-Policy costs it nothing and means that a string from a message that
ever reached markup could not run or load anything. Panel pictures from /preview are
shown through blob: URLs and an app's picture through a data: URL, so images allow
both. Who may show the page in a frame is a setting (``--frame-ancestors``): by
default only this server's own pages, so a page elsewhere cannot lay the dashboard's
control buttons under its own.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# An origin a frame may come from: scheme, host and an optional port, nothing that
# could end the directive (";" or ",") or the header.
_ORIGIN = re.compile(r"^(https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?|'self')$")


def check_frame_ancestors(origins: Sequence[str]) -> tuple[str, ...]:
    """``origins`` as given, each ``'self'`` or ``http(s)://host[:port]`` (ValueError
    naming the first that is not); none at all means no page may frame the dashboard."""
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise ValueError(
                f"{origin!r} is not an origin a frame may come from: give 'self' or "
                "http(s)://host[:port], comma-separated")
    return tuple(origins)


def policy(frame_ancestors: Sequence[str]) -> str:
    """The Content-Security-Policy of every response."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP response that lacks them, without
    buffering the body (a stream passes through as it is sent)."""

    def __init__(self, app: ASGIApp, frame_ancestors: Sequence[str] = ("'self'",)) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", policy(frame_ancestors).encode("ascii")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in self.headers if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
