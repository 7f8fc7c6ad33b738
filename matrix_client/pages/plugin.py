"""What a plugin page is: the one object a package names in its ``glanceboard.pages``
entry point (docs/write-a-page.md).

    # pyproject.toml of the plugin
    [project.entry-points."glanceboard.pages"]
    countdown = "glanceboard_countdown.page:PAGE"

    # glanceboard_countdown/page.py
    from matrix_client.pages.plugin import Page
    PAGE = Page(name="countdown", tree=tree, types=("Countdown",), samples={...})

This contract is kept stable: a plugin written against it keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.render.widgets.engine import Scene

# Page names appear in rotation files, URLs (/preview/<name>.png) and golden file names.
NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")
# The envelope's rule for a type (glanceboard.envelope).
TYPE = re.compile(r"[A-Za-z0-9_.-]{1,64}")

TreeFunction = Callable[[PageContext], Scene]


@dataclass(frozen=True)
class Page:
    """A page a plugin adds.

    - ``name``: lowercase letters, digits, ``-`` and ``_``, starting with a letter; the
      entry point's name must be the same.
    - ``tree``: ``tree(ctx: PageContext) -> Scene``, pure: the widget tree for the
      state, time and panel size in ``ctx``, and how long it stays right by the clock.
    - ``types``: the message types it reads; the panel redraws it when one of them
      changes, and dims it while one of them is stale (``"*"``: every type).
    - ``title``: how people see it named (the dashboard), the name if empty.
    - ``samples``: sample ``values`` per message type for the golden frames and the
      contact sheet, by case: ``""`` is the normal case; ``nodata``, ``stale``,
      ``missing``, ``malformed`` and ``long`` are derived from it unless given; other
      names add cases of the plugin's own.
    """

    name: str
    tree: TreeFunction
    types: tuple[str, ...] = ()
    title: str = ""
    samples: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not NAME.fullmatch(self.name):
            raise ValueError(f"Page name {self.name!r:.60}: use 1-40 lowercase letters, "
                             "digits, '-' and '_', starting with a letter")
        if not callable(self.tree):
            raise TypeError(f"Page {self.name}: tree must be a function of the page "
                            f"context, got {type(self.tree).__name__}")
        types = self.types
        if isinstance(types, str) or not isinstance(types, tuple | list):
            raise TypeError(f"Page {self.name}: types must be a tuple of message types, "
                            f"got {types!r:.60}")
        for kind in types:
            if not isinstance(kind, str) or not (kind == "*" or TYPE.fullmatch(kind)):
                raise ValueError(f"Page {self.name}: {kind!r:.60} is not a message type")
        object.__setattr__(self, "types", tuple(types))
        if not isinstance(self.title, str):
            raise TypeError(f"Page {self.name}: title must be text, got {self.title!r:.60}")
        self._check_samples()

    def _check_samples(self) -> None:
        if not isinstance(self.samples, Mapping):
            raise TypeError(f"Page {self.name}: samples must map case -> {{type: values}}")
        for case, messages in self.samples.items():
            if not isinstance(case, str) or (case and not NAME.fullmatch(case)):
                raise ValueError(f"Page {self.name}: sample case {case!r:.60} is not a "
                                 "lowercase name")
            if not isinstance(messages, Mapping) or not all(
                    isinstance(kind, str) and TYPE.fullmatch(kind) for kind in messages):
                raise TypeError(f"Page {self.name}: samples[{case!r}] must map message "
                                "types to their values")

    def spec(self) -> PageSpec:
        """The page as the registry and the loop know it."""
        from matrix_client.pages.trees import tree_page

        stale_kinds = tuple(kind for kind in self.types if kind != "*")
        return PageSpec(self.name, tree_page(self.tree, stale_kinds), self.types,
                        self.title)


__all__ = ["Page", "PageContext", "Scene"]
