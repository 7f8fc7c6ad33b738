"""The render entry point: a widget tree, a panel size and a time -> a picture.

A page's tree function is pure, ``(state, now, size) -> Scene``: the tree
and the seconds its data stays right. :func:`draw` lays the tree out over the
whole panel and paints it; the picture's ttl is the sooner of the scene's and
the widgets' own (a marquee's next step).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from PIL import Image

from matrix_client.render.colors import BLACK, Color
from matrix_client.render.widgets.base import Env, Size, Widget
from matrix_client.render.widgets.frame_cache import FRAMES


@dataclass(frozen=True)
class Scene:
    """What a page's tree function returns: the tree and how long it stays right."""

    root: Widget
    ttl: float = math.inf


def draw(
    tree: Widget | Scene,
    size: Size,
    now: datetime,
    *,
    fonts: Mapping[str, str] | None = None,
    background: Color = BLACK,
) -> tuple[Image.Image, float]:
    """Lay ``tree`` out on a ``size`` panel at ``now``; returns (RGB picture, ttl)."""
    scene = tree if isinstance(tree, Scene) else Scene(tree)
    width, height = max(1, size[0]), max(1, size[1])
    env = Env(now=now, panel=(width, height), fonts=fonts or {})
    # The root gets the whole panel: containers divide it, so nothing passes the edge.
    # A tree drawn before is laid out and its still widgets painted only once.
    image, ttl = FRAMES.draw(scene.root, env, background)
    return image, min(ttl, scene.ttl)


def render(
    tree: Widget | Scene, size: Size, now: datetime, *, fonts: Mapping[str, str] | None = None
) -> Image.Image:
    """The picture of ``tree`` on a ``size`` panel at ``now`` (see :func:`draw`)."""
    return draw(tree, size, now, fonts=fonts)[0]
