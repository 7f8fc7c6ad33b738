"""The page rotation: a YAML list of pages, each with its time on screen.

```yaml
- page: clock
  seconds: 10
- page: weather
  seconds: 15
  frames: 10      # optional: at most 10 frames per second while scrolling
- page: mlb
  show_empty: true  # optional: shown even before its data arrives (skipped otherwise)
```

A page with nothing real to show is skipped: one whose messages never arrived,
the Wi-Fi page without a QR string, the apps page with no live app.

The older keys ``Page``/``Time``/``Frames`` are read too. Unknown page
names are refused with the file and the entry number, at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glanceboard.profile import ProfileEntry

DEFAULT_SECONDS = 10.0
DEFAULT_FRAMES = 20
# Pages shown on a command, not in the default rotation ("out": the garbage alert).
COMMAND_PAGES = frozenset({"out"})
# Pages a rotation file may name but the default rotation leaves out: "generic" lists
# every message raw, which helps a developer, not a wall.
NOT_BY_DEFAULT = COMMAND_PAGES | {"generic"}


class RotationError(ValueError):
    """A rotation file that cannot be used, naming the file and the entry."""


@dataclass(frozen=True)
class RotationEntry:
    page: str
    seconds: float = DEFAULT_SECONDS
    frames: int = DEFAULT_FRAMES  # frames per second, at most, on this page
    # Shown even while the page has nothing real to show (its data never arrived).
    show_empty: bool = False
    # From a display profile: when the entry takes its turn (enabled, schedule, ``when``);
    # None for an entry of the local rotation file.
    rule: ProfileEntry | None = None


def profile_rotation(entries: Iterable[ProfileEntry], local: Iterable[RotationEntry]
                     ) -> list[RotationEntry]:
    """A profile's rotation as rotation entries; each page keeps the frame rate the
    local rotation gives it (a profile does not set one)."""
    frames = {entry.page: entry.frames for entry in local}
    return [RotationEntry(page=rule.page, seconds=rule.seconds,
                          frames=frames.get(rule.page, DEFAULT_FRAMES),
                          show_empty=rule.when == "always", rule=rule) for rule in entries]


_ALIASES = {"page": "page", "seconds": "seconds", "time": "seconds", "frames": "frames",
            "show_empty": "show_empty"}


def _registered() -> list[str]:
    """The page names; imported here, not at start, so ``--help`` does not load the pages."""
    from matrix_client.pages import registry

    return list(registry())


def _nameable() -> list[str]:
    """The names a rotation file may use: the registered pages, and installed plugin
    pages that failed to load, which show their error card rather than stop the panel."""
    from matrix_client.pages import broken_plugin_pages

    return _registered() + list(broken_plugin_pages())


def _entry(raw: Any, where: str, known: Iterable[str]) -> RotationEntry:
    if isinstance(raw, str):
        raw = {"page": raw}
    if not isinstance(raw, dict):
        raise RotationError(f"{where}: expected a mapping with 'page' and 'seconds', got {raw!r}")
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        name = _ALIASES.get(str(key).lower())
        if name is None:
            raise RotationError(
                f"{where}: unknown key {key!r} (use page, seconds, frames, show_empty)")
        fields[name] = value
    page = fields.get("page")
    if not isinstance(page, str) or not page:
        raise RotationError(f"{where}: 'page' must be a page name")
    known = sorted(known)
    if page not in known:
        raise RotationError(f"{where}: unknown page {page!r}; known pages: {', '.join(known)}")
    seconds = fields.get("seconds", DEFAULT_SECONDS)
    number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
    if not number or not 0 < seconds <= 86400:
        raise RotationError(f"{where}: 'seconds' must be a number of seconds > 0, got {seconds!r}")
    frames = fields.get("frames", DEFAULT_FRAMES)
    if isinstance(frames, bool) or not isinstance(frames, int) or not 1 <= frames <= 120:
        raise RotationError(f"{where}: 'frames' must be an integer 1-120, got {frames!r}")
    show_empty = fields.get("show_empty", False)
    if not isinstance(show_empty, bool):
        raise RotationError(f"{where}: 'show_empty' must be true or false, got {show_empty!r}")
    return RotationEntry(page=page, seconds=float(seconds), frames=frames, show_empty=show_empty)


def parse_rotation(data: Any, source: str, known: Iterable[str] | None = None
                   ) -> list[RotationEntry]:
    known = list(_nameable() if known is None else known)
    if isinstance(data, dict) and isinstance(data.get("pages"), list):
        data = data["pages"]  # also accept {pages: [...]}
    if not isinstance(data, list) or not data:
        raise RotationError(f"{source}: expected a non-empty YAML list of pages")
    return [_entry(raw, f"{source}: entry {n}", known) for n, raw in enumerate(data, 1)]


def load_rotation(path: Path | None, known: Iterable[str] | None = None) -> list[RotationEntry]:
    """The rotation in ``path``; without a file, every registered page for 10 s each
    (except the pages shown only on a command, and the raw "generic" list)."""
    if path is None:
        names = [n for n in (_registered() if known is None else known)
                 if n not in NOT_BY_DEFAULT]
        if not names:
            raise RotationError("no pages are registered")
        return [RotationEntry(page=name) for name in names]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RotationError(f"{path}: cannot read rotation file: {exc.strerror}") from None
    import yaml  # only a rotation file needs it: the default run never loads the parser

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RotationError(f"{path}: not valid YAML: {exc}") from None
    return parse_rotation(data, str(path), known)
