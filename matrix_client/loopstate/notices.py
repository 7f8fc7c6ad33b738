"""What comes and goes over the pages: the garbage alert and the notify banner."""

from __future__ import annotations

import math
from datetime import datetime

from PIL import Image

from matrix_client.pages.overlays import notify_overlay

ALERT_SECONDS = 30.0  # how long "out" shows the garbage alert


class AlertState:
    """The ``out`` alert: on for :data:`ALERT_SECONDS`, or until another command."""

    def __init__(self) -> None:
        self.until = -math.inf

    def start(self, mono: float) -> None:
        self.until = mono + ALERT_SECONDS

    def end(self) -> None:
        self.until = -math.inf

    def active(self, mono: float) -> bool:
        return mono < self.until

    def wait(self, mono: float) -> float:
        return self.until - mono if self.until > mono else math.inf


class Notifications:
    """The notification on screen: a new one replaces it; it ends when its time is up."""

    def __init__(self) -> None:
        self.text = ""
        self.until = -math.inf

    def notify(self, text: str, seconds: float, mono: float) -> None:
        self.text, self.until = text, mono + seconds

    def current(self, mono: float) -> str:
        return self.text if mono < self.until else ""

    def wait(self, mono: float) -> float:
        return self.until - mono if self.until > mono else math.inf


class Banner:
    """The drawn banner for the current notification, redrawn only when it scrolls.

    :attr:`step` counts redraws, so an :class:`~matrix_client.overlay.Overlay`
    holding it compares unequal exactly when the pixels may have moved.
    """

    def __init__(self, size: tuple[int, int], max_fps: int) -> None:
        self.size = size
        self.min_gap = 1.0 / max(1, max_fps)
        self.text = ""
        self.layer: Image.Image | None = None
        self.step = 0
        self.redraw = -math.inf

    def update(self, text: str, mono: float, now: datetime) -> None:
        """Draw ``text`` anew if it changed or its scroll step is due."""
        if not text:
            self.text = ""
            return
        if text == self.text and mono < self.redraw:
            return
        drawn = notify_overlay(text, now, self.size)
        self.text, self.layer = text, drawn.image
        self.step += 1
        self.redraw = mono + max(drawn.ttl, self.min_gap)

    def wait(self, mono: float) -> float:
        return self.redraw - mono if self.text else math.inf
