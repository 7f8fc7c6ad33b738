"""Which rotation entry is on screen, and when the rotation moves on."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from matrix_client.rotation import RotationEntry


class RotationState:
    """The rotation's position: an index, a pause, and a page shown on command.

    A ``page`` command for a page outside the rotation sets :attr:`forced`; the
    rotation holds still while paused or forced.
    """

    def __init__(self, entries: Sequence[RotationEntry], mono: float) -> None:
        if not entries:
            raise ValueError("the rotation is empty")
        self.entries = list(entries)
        self.index = 0
        self.paused = False
        self.forced: RotationEntry | None = None
        self.started = mono  # when the current entry came on

    @property
    def entry(self) -> RotationEntry:
        return self.forced or self.entries[self.index]

    @property
    def moving(self) -> bool:
        return not self.paused and self.forced is None

    def replace(self, entries: Sequence[RotationEntry], mono: float) -> None:
        """A new rotation (a profile came or went), live: the page on screen stays on if
        the new rotation has it, and a pause or a forced page holds."""
        if not entries:
            raise ValueError("the rotation is empty")
        current = self.entries[self.index].page
        self.entries = list(entries)
        for n, entry in enumerate(self.entries):
            if entry.page == current:
                self.index = n
                return
        self.index = 0
        self.started = mono

    def toggle_pause(self, mono: float) -> None:
        self.paused = not self.paused
        if not self.paused:
            self.forced = None
            self.started = mono

    def step_by(self, steps: int, mono: float) -> None:
        """Move ``steps`` entries (``fwd`` +1, ``rew`` -1) and pause there."""
        self.forced = None
        self.index = (self.index + steps) % len(self.entries)
        self.paused = True
        self.started = mono

    def show(self, name: str, mono: float, exists: Callable[[str], bool]) -> bool:
        """Show page ``name`` and pause: its rotation entry, or the page on its own when
        ``exists(name)``; False (nothing changes) for a page that does not exist."""
        for n, entry in enumerate(self.entries):
            if entry.page == name:
                self.index, self.forced = n, None
                break
        else:
            if not exists(name):
                return False
            self.forced = RotationEntry(page=name)
        self.paused = True
        self.started = mono
        return True

    def advance(self, mono: float, shows: Callable[[RotationEntry], bool] | None = None) -> bool:
        """Move on when the current entry's seconds are over, or at once when it has
        nothing to show; entries that have nothing to show (``shows`` false) are
        skipped. With nothing anywhere to show, the current entry stays. True if the
        rotation moved."""
        if not self.moving:
            return False
        current = self.entries[self.index]
        due = mono - self.started >= current.seconds
        if not due and (shows is None or shows(current)):
            return False
        count = len(self.entries)
        for step in range(1, count + 1):
            n = (self.index + step) % count
            if shows is None or shows(self.entries[n]):
                self.index = n
                self.started = mono
                return True
        if due:
            self.started = mono  # nothing shows anywhere: the current entry goes round again
        return False

    def wait(self, mono: float) -> float:
        """Seconds until :meth:`advance` has something to do (inf while held)."""
        return self.started + self.entry.seconds - mono if self.moving else math.inf
