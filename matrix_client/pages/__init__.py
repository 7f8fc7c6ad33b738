"""The page registry: every built-in page module is listed here, and only here; pages
of installed plugins (the ``glanceboard.pages`` entry points) join them when the
registry is first needed (:mod:`matrix_client.pages.discovery`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matrix_client.pages.base import PageContext, PageFrame, PageSettings, PageSpec

if TYPE_CHECKING:
    from matrix_client.pages.discovery import PluginPage

_PAGE_MODULES: tuple[str, ...] = (
    # One line per page module; each defines ``PAGE: PageSpec``.
    "clock",
    "weather",
    "hourly",
    "forecast",
    "moon",
    "calendar",
    "events",
    "github",
    "uptime",
    "mlb",
    "nfl",
    "track",
    "wifi",
    "out",
    "generic",
    "apps",
)

_registry: dict[str, PageSpec] | None = None
_plugins: dict[str, PluginPage] = {}
_broken: tuple[str, ...] = ()


def registry() -> dict[str, PageSpec]:
    """Name -> page, the built-in pages first, then the plugins' pages; imported on first
    use so start-up stays light."""
    global _registry, _plugins, _broken
    if _registry is None:
        import importlib

        from matrix_client.pages.discovery import discover

        pages: dict[str, PageSpec] = {}
        for module_name in _PAGE_MODULES:
            module = importlib.import_module(f"matrix_client.pages.{module_name}")
            spec: PageSpec = module.PAGE
            pages[spec.name] = spec
        found = discover(taken=pages.keys())
        _plugins, _broken = found.pages, found.broken
        pages.update((name, plugin.spec) for name, plugin in _plugins.items())
        _registry = pages
    return _registry


def plugin_pages() -> dict[str, PluginPage]:
    """Name -> the plugin pages in the registry, with their Page and distribution."""
    registry()
    return dict(_plugins)


def broken_plugin_pages() -> tuple[str, ...]:
    """Names of plugin pages that are installed but failed to load (logged once): a
    rotation may still name them, and the panel shows their error card."""
    registry()
    return _broken


def builtin_pages() -> list[str]:
    """The names of the pages this package brings, in registry order."""
    return [name for name in registry() if name not in _plugins]


def get_page(name: str) -> PageSpec:
    pages = registry()
    try:
        return pages[name]
    except KeyError:
        known = ", ".join(sorted(pages)) or "none"
        raise KeyError(f"unknown page {name!r}; known pages: {known}") from None


__all__ = [
    "PageContext",
    "PageFrame",
    "PageSettings",
    "PageSpec",
    "broken_plugin_pages",
    "builtin_pages",
    "get_page",
    "plugin_pages",
    "registry",
]
