"""The page registry: every page module is listed here, and only here."""

from __future__ import annotations

from matrix_client.pages.base import PageContext, PageFrame, PageSettings, PageSpec

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


def registry() -> dict[str, PageSpec]:
    """Name -> page, imported on first use so start-up stays light."""
    global _registry
    if _registry is None:
        import importlib

        pages: dict[str, PageSpec] = {}
        for module_name in _PAGE_MODULES:
            module = importlib.import_module(f"matrix_client.pages.{module_name}")
            spec: PageSpec = module.PAGE
            pages[spec.name] = spec
        _registry = pages
    return _registry


def get_page(name: str) -> PageSpec:
    pages = registry()
    try:
        return pages[name]
    except KeyError:
        known = ", ".join(sorted(pages)) or "none"
        raise KeyError(f"unknown page {name!r}; known pages: {known}") from None


__all__ = ["PageContext", "PageFrame", "PageSettings", "PageSpec", "get_page", "registry"]
