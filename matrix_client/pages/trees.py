"""Pages written as widget trees: the adapter between a tree function and the loop.

A built-in page describes its picture as a widget tree (render/widgets) and keeps
what differs between panel sizes in ``pages/layouts/<page>.toml``, checked when the
page is first imported, so a bad layout stops the client at start with its file and
key named. :func:`tree_page` turns ``tree(ctx) -> Scene`` into the ``render(ctx) ->
PageFrame`` the registry and the loop call; it builds the tree again only when the
state, settings or panel changed or the scene's ttl ran out (pages/scene_memo.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from matrix_client.pages.base import PageContext, PageFrame, PageGarbage
from matrix_client.pages.common import finish
from matrix_client.pages.scene_memo import SceneMemo
from matrix_client.render.widgets import Scene, draw
from matrix_client.render.widgets.tables import LayoutTable, load_table

T = TypeVar("T")
LAYOUTS = Path(__file__).with_name("layouts")

TreeFunction = Callable[[PageContext], Scene]


def page_table(page: str, schema: type[T]) -> LayoutTable[T]:
    """The validated layout table ``layouts/<page>.toml`` read as ``schema``."""
    return load_table(LAYOUTS / f"{page}.toml", schema)


def draw_scene(ctx: PageContext, scene: Scene, kinds: Sequence[str] = ()) -> PageFrame:
    """``scene`` laid out over ``ctx``'s panel with the user's fonts, in the stale
    style while any of ``kinds`` is stale (and ttl capped at the next staleness)."""
    image, ttl = draw(scene, ctx.size, ctx.now, fonts=ctx.settings.fonts)
    if not kinds:
        return PageFrame(image, ttl)
    return finish(ctx, image, kinds, ttl)


def tree_page(
    tree: TreeFunction, kinds: Sequence[str] = ()
) -> Callable[[PageContext], PageFrame]:
    """A page's render function from its tree function; ``kinds`` are the message
    types whose staleness dims the picture."""

    memo = SceneMemo()

    def render(ctx: PageContext) -> PageFrame:
        scene = memo.get(ctx)
        if scene is None:
            scene = tree(ctx)
            if not isinstance(scene, Scene):
                # Caught here, or the layer would fail somewhere deep with a confusing
                # message.
                raise PageGarbage("not a Scene", f"tree function {render.__name__} "
                                  f"returned {type(scene).__name__}, not a Scene")
            memo.keep(ctx, scene)
        return draw_scene(ctx, scene, kinds)

    render.__name__ = getattr(tree, "__name__", "render")
    render.__doc__ = tree.__doc__
    render.tree = tree  # type: ignore[attr-defined]  # kept for tools that want the tree
    return render
