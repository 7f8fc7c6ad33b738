"""Page specs by name, and rendering one so that a failing page never stops the loop."""

from __future__ import annotations

import logging
from collections.abc import Callable

from matrix_client.pages.base import (
    PageContext,
    PageFrame,
    PageSpec,
    error_frame,
    render_checked,
)

log = logging.getLogger(__name__)


def _error_card(ctx: PageContext) -> PageFrame:
    return error_frame(*ctx.size)


class PageBook:
    """Looks pages up once and renders them; a page that raises or draws a wrong picture
    gives the error card, counted in :attr:`errors` and logged once until it works again."""

    def __init__(self, lookup: Callable[[str], PageSpec]) -> None:
        self.lookup = lookup
        self.errors = 0
        self._specs: dict[str, PageSpec] = {}
        self._failed: set[str] = set()

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
            spec = self._specs[name] = PageSpec(name, _error_card)
            return spec

    def render(self, spec: PageSpec, context: PageContext) -> PageFrame:
        try:
            frame = render_checked(spec, context)
        except Exception as exc:  # noqa: BLE001 - a page must never stop the display
            self.errors += 1
            if spec.name not in self._failed:
                log.exception("page %s failed: %s", spec.name, exc)
                self._failed.add(spec.name)
            return error_frame(context.width, context.height)
        self._failed.discard(spec.name)
        return frame
