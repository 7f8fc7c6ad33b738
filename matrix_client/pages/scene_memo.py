"""A page's last scene, used again while it is right: the tree is built once per change.

A tree function is pure, and its scene says how long its tree stays right by the
clock alone. Between two messages a marquee re-renders its page up to 12 times a
second; without this each render would build and key the same tree again (about
two thirds of such a render). A page's render keeps its last scene with what it was
built from (the state's envelopes by identity, the panel, the settings, the start
time and the link) and hands it out again while those are the same and the clock is
within the scene's ttl of when it was built. A new message, setting or panel size,
or the ttl running out, builds the tree afresh.

Envelopes are compared by identity, as the typed views are (pages/base.py): the
store replaces an envelope when a message arrives and never changes one in place.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matrix_client.pages.base import PageContext
from matrix_client.render.widgets import Scene


@dataclass(frozen=True)
class _Held:
    """A scene and what it was built from."""

    envelopes: tuple[tuple[str, Any], ...]
    size: tuple[int, int]
    settings: object
    started: datetime | None
    stream_ok: bool
    built: datetime
    scene: Scene

    def serves(self, ctx: PageContext, envelopes: tuple[tuple[str, Any], ...]) -> bool:
        now = ctx.now
        if (
            now.tzinfo != self.built.tzinfo  # a system zone is a new equal object per call
            or now.utcoffset() != self.built.utcoffset()
            or ctx.size != self.size
            or ctx.stream_ok != self.stream_ok
            or ctx.started != self.started
            or not (ctx.settings is self.settings or ctx.settings == self.settings)
            or len(envelopes) != len(self.envelopes)
            or not 0 <= self.age(now) < self.scene.ttl
        ):
            return False
        return all(
            kind == held_kind and envelope is held
            for (kind, envelope), (held_kind, held) in zip(envelopes, self.envelopes, strict=True)
        )

    def age(self, now: datetime) -> float:
        """Seconds since the scene was built (negative if the clock was set back)."""
        return (now - self.built).total_seconds()


def _envelopes(state: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(state.items())


class SceneMemo:
    """One page's last scene (one slot: a panel renders one size at a time)."""

    def __init__(self) -> None:
        # Replaced whole, never changed: the loop and a snapshot may render at once.
        self._held: _Held | None = None
        _MEMOS.add(self)

    def get(self, ctx: PageContext) -> Scene | None:
        """The kept scene if it serves ``ctx``, with the ttl it has left; else None."""
        held = self._held
        if held is None or not held.serves(ctx, _envelopes(ctx.state)):
            return None
        return Scene(held.scene.root, held.scene.ttl - held.age(ctx.now))

    def keep(self, ctx: PageContext, scene: Scene) -> None:
        """Hold ``scene``, just built from ``ctx``; a ttl that is not a positive number
        is not held (the tree is built again next time, as without the memo)."""
        ttl = scene.ttl
        if not isinstance(ttl, (int, float)) or math.isnan(ttl) or ttl <= 0:
            return
        self._held = _Held(_envelopes(ctx.state), ctx.size, ctx.settings, ctx.started,
                           ctx.stream_ok, ctx.now, scene)

    def clear(self) -> None:
        self._held = None


_MEMOS: weakref.WeakSet[SceneMemo] = weakref.WeakSet()


def forget_scenes() -> None:
    """Empty every page's memo: the next renders build their trees (bench/pages.py
    --cold, which measures a render after a change)."""
    for memo in list(_MEMOS):
        memo.clear()
