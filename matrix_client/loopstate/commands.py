"""Draining the web control queue and dispatching each command to its handler."""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable, Mapping
from typing import Any

from matrix_client.control import Command, parse_command

log = logging.getLogger(__name__)

Handler = Callable[[Command, float], None]


class CommandDispatcher:
    """Commands from the data thread's queue, checked and handed to ``handlers`` by name.

    ``before`` runs for every command ahead of its handler (the loop ends the
    garbage alert there). A bad command is logged by :func:`parse_command` and
    counted in :attr:`ignored`; a command without a handler is logged and counted too.
    """

    def __init__(self, controls: queue.Queue[dict[str, Any]],
                 handlers: Mapping[str, Handler], before: Handler | None = None) -> None:
        self.controls = controls
        self.handlers = dict(handlers)
        self.before = before
        self.handled = 0
        self.ignored = 0

    def drain(self, mono: float) -> int:
        """Run every queued command now; the number run."""
        ran = 0
        while True:
            try:
                obj = self.controls.get_nowait()
            except queue.Empty:
                return ran
            command = parse_command(obj)
            if command is None:
                self.ignored += 1
            elif self.dispatch(command, mono):
                ran += 1

    def dispatch(self, command: Command, mono: float) -> bool:
        handler = self.handlers.get(command.name)
        if handler is None:
            log.warning("control: no handler for %r", command.name)
            self.ignored += 1
            return False
        log.info("control: %s", command.name)
        if self.before is not None:
            self.before(command, mono)
        handler(command, mono)
        self.handled += 1
        return True
