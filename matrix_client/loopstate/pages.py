"""Page specs by name, and rendering one so that a failing page never stops the loop."""

from __future__ import annotations

import logging
from collections.abc import Callable

from matrix_client.pages.base import (
    PageContext,
    PageFrame,
    PageSpec,
    error_frame,
    failed_frame,
    render_checked,
)

log = logging.getLogger(__name__)


class PageBook:
    """Looks pages up once and renders them; a page that raises or draws a wrong picture
    gives its error card, counted in :attr:`errors` and logged once per way it fails
    (:func:`~matrix_client.pages.base.failed_frame`)."""

    def __init__(self, lookup: Callable[[str], PageSpec]) -> None:
        self.lookup = lookup
        self.errors = 0
        self._specs: dict[str, PageSpec] = {}
        self._failed: set[tuple[str, str]] = set()  # (page, failure kind) logged

    def spec(self, name: str) -> PageSpec:
        """The page called ``name``; KeyError (with the lookup's message) if there is none."""
        spec = self._specs.get(name)
        if spec is None:
            spec = self._specs[name] = self.lookup(name)
        return spec

    def find(self, name: str) -> PageSpec | None:
        try:
            return self.spec(name)
        except KeyError:
            return None

    def exists(self, name: str) -> bool:
        try:
            self.spec(name)
        except KeyError as exc:
            log.warning("page command: %s", exc.args[0])
            return False
        return True

    def spec_or_card(self, name: str) -> PageSpec:
        """The page, or (logged once) a stand-in that draws the error card."""
        try:
            return self.spec(name)
        except KeyError as exc:
            log.error("%s", exc.args[0])
            spec = self._specs[name] = PageSpec(
                name, lambda ctx: error_frame(ctx.width, ctx.height, name))
            return spec

    def render(self, spec: PageSpec, context: PageContext) -> PageFrame:
        try:
            return render_checked(spec, context)
        except Exception as exc:  # noqa: BLE001 - a page must never stop the display
            self.errors += 1
            return failed_frame(spec.name, exc, context.size, self._failed)
