"""Entry points of installed plugins, read from the distributions' metadata.

Pages (``glanceboard.pages``) and producers (``glanceboard.producers``) of other
packages are found this way. Reading the metadata imports nothing of the plugins;
a plugin's code is imported only when its page or producer is used.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import metadata

log = logging.getLogger("glanceboard.plugins")


def distribution_of(entry: metadata.EntryPoint) -> str:
    """The distribution that declares ``entry``, as "name version"."""
    dist = entry.dist
    if dist is None:
        return "an unknown distribution"
    return f"{dist.metadata['Name'] or dist.name} {dist.version}"


def where(entry: metadata.EntryPoint) -> str:
    """How a log line names a plugin: entry point, target and distribution."""
    return f"{entry.group} entry point {entry.name!r} ({entry.value}) of {distribution_of(entry)}"


def entry_points(group: str) -> list[metadata.EntryPoint]:
    """The group's entry points, each (name, target) once, sorted by name."""
    try:
        found = metadata.entry_points(group=group)
    except Exception as exc:  # noqa: BLE001 - a broken metadata file must not stop anything
        log.error("cannot read the %s entry points: %s: %s", group, type(exc).__name__, exc)
        return []
    unique: dict[tuple[str, str], metadata.EntryPoint] = {}
    for entry in found:
        # The same distribution can be reached twice on the path; it counts once.
        unique.setdefault((entry.name, entry.value), entry)
    return sorted(unique.values(), key=lambda e: (e.name, e.value))


def first_claims(entries: Iterable[metadata.EntryPoint], taken: Iterable[str],
                 what: str) -> dict[str, metadata.EntryPoint]:
    """Name -> entry point, leaving out (and logging) those naming a built-in ``what``
    in ``taken`` and those naming one an earlier plugin claimed."""
    builtin = set(taken)
    claimed: dict[str, metadata.EntryPoint] = {}
    for entry in entries:
        if entry.name in builtin:
            log.error("plugin %s left out: %s names the built-in %s %r", what, where(entry),
                      what, entry.name)
        elif entry.name in claimed:
            log.error("plugin %s left out: %s names the %s %r that %s already adds", what,
                      where(entry), what, entry.name, distribution_of(claimed[entry.name]))
        else:
            claimed[entry.name] = entry
    return claimed
