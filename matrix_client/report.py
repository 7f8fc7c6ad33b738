"""Tell the API server who this display is: ``PUT /displays/{id}`` (docs/api.md).

One small background thread. It sends what the display runs, its panel size,
the page on screen, the brightness and the version of the display profile it
applies (left out while it applies none: a server older than profiles refuses
the field) every ``interval`` seconds, and within
about a second when the report changes (page, brightness). A failed report is retried at the next
turn and logged once per outage: reporting never holds up the picture.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable
from importlib import metadata
from typing import Any
from urllib.parse import quote

import requests

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often the page on screen is looked at


@functools.cache  # read once: the report is built every second
def client_version() -> str:
    try:
        return metadata.version("glanceboard")
    except metadata.PackageNotFoundError:
        return "unknown"


def loop_report(loop: Any, size: tuple[int, int], backend: str) -> dict[str, Any]:
    """What a running render loop shows now, as a report body."""
    forced = loop.forced
    report = {"version": client_version(), "backend": backend, "width": size[0],
              "height": size[1], "page": (forced or loop.entry).page[:64],
              "brightness": int(loop.brightness)}
    profile = int(getattr(loop, "profile_version", 0))
    if profile:
        report["profile"] = profile
    return report


class Reporter:
    """Sends the report made by ``build`` now and then, and when it changes."""

    def __init__(self, base_url: str, display_id: str, build: Callable[[], dict[str, Any]],
                 *, token: str = "", interval: float = 30.0, timeout: float = 5.0) -> None:
        self.url = f"{base_url.rstrip('/')}/displays/{quote(display_id, safe='')}"
        self.build = build
        self.interval = interval
        self.timeout = timeout
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.sent = 0
        self.failed = 0
        # Set when the server refuses the ``profile`` field (older than profiles).
        self.without_profile = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="glanceboard-report",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.session.close()

    def _run(self) -> None:
        last: dict[str, Any] | None = None
        since = self.interval  # report at once
        while not self._stop.is_set():
            try:
                report = self.build()
            except Exception:  # noqa: BLE001 - a bug here must not end the thread
                log.exception("could not build the display report")
                report = None
            if report is not None and (since >= self.interval or report != last):
                self.send(report)
                # A failed one waits for the next turn too: an older server without
                # /displays is not asked every second.
                last = report
                since = 0.0
            self._stop.wait(POLL_SECONDS)
            since += POLL_SECONDS

    def send(self, report: dict[str, Any]) -> bool:
        if self.without_profile:
            report = {name: value for name, value in report.items() if name != "profile"}
        body = json.dumps(report, separators=(",", ":")).encode()
        try:
            response = self.session.put(self.url, data=body, timeout=self.timeout,
                                        headers={"Content-Type": "application/json"})
        except (requests.RequestException, OSError) as exc:
            return self._failed(f"{type(exc).__name__}: {exc}")
        if response.status_code == 400 and "profile" in report and \
                "profile" in response.text and not self.without_profile:
            # A server older than profiles (a cached profile, a downgraded server): the
            # rest of the report still counts.
            log.info("%s does not take the profile field; reporting without it", self.url)
            self.without_profile = True
            return self.send(report)
        if response.status_code != 200:
            return self._failed(f"HTTP {response.status_code}: {response.text[:200]}")
        if self.failed:
            log.info("reports to %s accepted again", self.url)
        self.failed = 0
        self.sent += 1
        return True

    def _failed(self, why: str) -> bool:
        self.failed += 1
        # Once per outage, then every 20th try (an older server has no /displays: 404).
        level = logging.WARNING if self.failed % 20 == 1 else logging.DEBUG
        log.log(level, "report to %s failed (try %d): %s", self.url, self.failed, why)
        return False
