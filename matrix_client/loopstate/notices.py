"""What comes and goes over the pages: the garbage alert and the notify banner."""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime

from PIL import Image

log = logging.getLogger(__name__)

ALERT_SECONDS = 30.0  # how long "out" shows the garbage alert
MAX_WAITING = 16  # notifications waiting per queue (critical; info and warning)


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


@dataclass(frozen=True)
class Notice:
    """One notification as the ``notify`` command gave it."""

    text: str
    seconds: float
    level: str = "info"
    icon: str = ""
    blink: bool = False

    @property
    def critical(self) -> bool:
        return self.level == "critical"


class Notifications:
    """The notification on screen and those waiting, by level.

    ``info`` and ``warning`` queue in arrival order and each shows for its
    seconds, counted from when it comes on. A ``critical`` one comes on at once:
    one it interrupts goes back to the head of the queue with the time it had
    left; it stays until :meth:`dismiss` or its seconds run out, and criticals
    that arrive meanwhile wait their turn ahead of the others. At most
    ``max_waiting`` wait per queue (:data:`MAX_WAITING`); one more is refused,
    logged and counted in :attr:`overflowed`, never silently lost.
    """

    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self.max_waiting = max_waiting
        self.current: Notice | None = None
        self.until = -math.inf
        self.waiting: deque[Notice] = deque()
        self.critical: deque[Notice] = deque()
        self.shown = 0
        self.dismissed = 0
        self.overflowed = 0

    def notify(self, notice: Notice, mono: float) -> bool:
        """Show ``notice`` now or queue it; False if its queue was full (counted)."""
        self._expire(mono)
        current = self.current
        if current is None:
            self._start(notice, mono)
        elif notice.critical and not current.critical:
            # The interrupted one loses nothing: back first in line with its time left.
            self.waiting.appendleft(replace(current, seconds=max(0.0, self.until - mono)))
            if len(self.waiting) > self.max_waiting:
                self._refuse(self.waiting.pop())
            self._start(notice, mono)
        else:
            line = self.critical if notice.critical else self.waiting
            if len(line) >= self.max_waiting:
                return self._refuse(notice)
            line.append(notice)
        return True

    def dismiss(self, mono: float) -> bool:
        """Acknowledge the notification on screen; the next one comes on. False if none."""
        self._expire(mono)
        if self.current is None:
            return False
        self.dismissed += 1
        self._next(mono)
        return True

    def on_screen(self, mono: float) -> Notice | None:
        self._expire(mono)
        return self.current

    def wait(self, mono: float) -> float:
        return self.until - mono if self.current is not None else math.inf

    def _refuse(self, notice: Notice) -> bool:
        self.overflowed += 1
        log.warning("notification %r refused: %d already waiting (%d refused so far)",
                    notice.text[:40], self.max_waiting, self.overflowed)
        return False

    def _start(self, notice: Notice, mono: float) -> None:
        self.current, self.until = notice, mono + notice.seconds
        self.shown += 1

    def _next(self, mono: float) -> None:
        line = self.critical or self.waiting
        if line:
            self._start(line.popleft(), mono)
        else:
            self.current, self.until = None, -math.inf

    def _expire(self, mono: float) -> None:
        while self.current is not None and mono >= self.until:
            self._next(mono)


class Banner:
    """The drawn picture of the notification on screen, redrawn only when it changes:
    another notification, a scroll step, a blink.

    :attr:`step` counts redraws, so an :class:`~matrix_client.overlay.Overlay`
    holding it compares unequal exactly when the pixels may have moved.
    """

    def __init__(self, size: tuple[int, int], max_fps: int) -> None:
        self.size = size
        self.min_gap = 1.0 / max(1, max_fps)
        self.notice: Notice | None = None
        self.layer: Image.Image | None = None
        self.step = 0
        self.redraw = -math.inf

    def update(self, notice: Notice | None, mono: float, now: datetime) -> None:
        """Draw ``notice`` anew if it is another one or its next step is due."""
        if notice is None:
            self.notice = None
            return
        if notice is self.notice and mono < self.redraw:
            return
        # Imported on the first notification: the widget layer is not needed to start.
        from matrix_client.pages.overlays import notify_overlay

        drawn = notify_overlay(notice.text, now, self.size, level=notice.level,
                               icon=notice.icon, blink=notice.blink)
        self.notice, self.layer = notice, drawn.image
        self.step += 1
        self.redraw = mono + max(drawn.ttl, self.min_gap)

    def wait(self, mono: float) -> float:
        return self.redraw - mono if self.notice is not None else math.inf
