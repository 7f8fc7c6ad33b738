"""Plugin pages: installed packages that name a :class:`~matrix_client.pages.plugin.Page`
in the ``glanceboard.pages`` entry point group.

Read once, when the registry is first needed. A plugin that cannot be imported, names
a page that is already there, or names something that is not a Page is logged once,
with its entry point and distribution, and left out; the other pages carry on.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING

from glanceboard.plugins import distribution_of, entry_points, first_claims, log, where
from matrix_client.pages.base import PageSpec

if TYPE_CHECKING:
    # Imported when a plugin is there: it brings the widget layer, which a panel
    # without plugins may not need.
    from matrix_client.pages.plugin import Page

GROUP = "glanceboard.pages"


@dataclass(frozen=True)
class PluginPage:
    page: Page
    spec: PageSpec
    distribution: str  # "name version", as pip shows it


def load_page(entry: metadata.EntryPoint) -> Page:
    """The Page ``entry`` names; raises with a message a plugin's author can act on."""
    from matrix_client.pages.plugin import Page

    page = entry.load()
    if not isinstance(page, Page):
        raise TypeError(f"it names a {type(page).__name__}, not a "
                        "matrix_client.pages.plugin.Page")
    if page.name != entry.name:
        raise ValueError(f"the entry point is named {entry.name!r} but its page {page.name!r}")
    return page


@dataclass(frozen=True)
class Discovery:
    pages: dict[str, PluginPage]  # name -> the usable plugin pages
    broken: tuple[str, ...]  # names of plugin pages that failed to load


def discover(taken: Collection[str]) -> Discovery:
    """Every usable plugin page whose name is not in ``taken``, and the names of those
    that could not be loaded."""
    found: dict[str, PluginPage] = {}
    broken: list[str] = []
    for name, entry in first_claims(entry_points(GROUP), taken, "page").items():
        try:
            page = load_page(entry)
            spec = page.spec()
        except Exception as exc:  # noqa: BLE001 - one broken plugin must not stop the others
            log.error("plugin page left out: %s: %s: %s", where(entry), type(exc).__name__,
                      exc)
            broken.append(name)
            continue
        found[name] = PluginPage(page, spec, distribution_of(entry))
    return Discovery(found, tuple(broken))
