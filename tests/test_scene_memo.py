"""A page's last scene is used again while it is right (pages/scene_memo.py), and every
built-in page's scene ttl is honest: what the kept tree draws is what a tree built
anew would draw, for as long as the ttl says."""

from __future__ import annotations

import dataclasses
import math
from datetime import timedelta, timezone

import pytest

from matrix_client.pages import registry
from matrix_client.pages.common import age_label, age_label_ttl
from matrix_client.pages.samples import CASES, NOW, SIZES, context
from matrix_client.pages.scene_memo import SceneMemo, forget_scenes
from matrix_client.pages.trees import tree_page
from matrix_client.render.widgets import Row, Scene, Text, draw
from matrix_client.render.widgets import frame_cache as cache_module
from matrix_client.render.widgets.ticking import Seconds


class CountingTree:
    """A tree function that says how often it was called; its scene lasts ``ttl``."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.calls = 0
        self.ttl = ttl

    def __call__(self, ctx) -> Scene:
        self.calls += 1
        return Scene(Text(f"{ctx.values('Weather')['current']['temp']}"), self.ttl)


def _at(ctx, seconds: float):
    return dataclasses.replace(ctx, now=ctx.now + timedelta(seconds=seconds))


def test_a_scene_serves_its_ttl_then_the_tree_is_built_again() -> None:
    tree = CountingTree(ttl=30.0)
    render = tree_page(tree)
    ctx = context("", (64, 32))
    first = render(ctx)
    for seconds in (0.05, 1, 12.5, 29.9):
        frame = render(_at(ctx, seconds))
        assert frame.image.tobytes() == first.image.tobytes()
        assert frame.ttl == pytest.approx(30.0 - seconds)  # what is left, not 30 again
    assert tree.calls == 1
    render(_at(ctx, 30.0))
    assert tree.calls == 2


@pytest.mark.parametrize("change", [
    "new envelope", "new type", "size", "settings", "started", "link", "earlier",
])
def test_anything_the_tree_reads_changing_builds_it_again(change: str) -> None:
    tree = CountingTree(ttl=math.inf)
    render = tree_page(tree)
    ctx = context("", (64, 32))
    render(ctx)
    state = dict(ctx.state)
    if change == "new envelope":  # a message of a type already held: a new dict
        values = state["Weather"]["values"]
        state["Weather"] = {**state["Weather"],
                            "values": {**values, "current": {**values["current"], "temp": 99}}}
        changed = dataclasses.replace(ctx, state=state)
    elif change == "new type":
        state["Extra"] = {"type": "Extra", "values": {}}
        changed = dataclasses.replace(ctx, state=state)
    elif change == "size":
        changed = dataclasses.replace(ctx, width=128)
    elif change == "settings":
        changed = dataclasses.replace(
            ctx, settings=dataclasses.replace(ctx.settings, clock_24h=True))
    elif change == "started":
        changed = dataclasses.replace(ctx, started=ctx.now)
    elif change == "link":
        changed = dataclasses.replace(ctx, stream_ok=False)
    else:  # the clock set back: the kept tree was built for a later moment
        changed = _at(ctx, -1)
    render(changed)
    assert tree.calls == 2
    if change == "new envelope":
        assert render(changed).image.tobytes() != render(ctx).image.tobytes()


def test_the_same_state_in_a_new_mapping_serves() -> None:
    """The loop hands each render a copy of the store's dict, the envelopes shared."""
    tree = CountingTree()
    render = tree_page(tree)
    ctx = context("", (64, 32))
    render(ctx)
    render(dataclasses.replace(ctx, state=dict(ctx.state), now=ctx.now + timedelta(seconds=1)))
    assert tree.calls == 1


def test_a_system_zone_made_anew_for_each_moment_serves() -> None:
    """``datetime.now().astimezone()`` makes a new, equal zone object on every call."""
    tree = CountingTree()
    render = tree_page(tree)
    ctx = context("", (64, 32))
    offset = ctx.now.utcoffset()
    render(dataclasses.replace(ctx, now=ctx.now.astimezone(timezone(offset))))
    later = (ctx.now + timedelta(seconds=2)).astimezone(timezone(offset))
    render(dataclasses.replace(ctx, now=later))
    assert tree.calls == 1
    # An hour's shift of the same wall time (a DST change) is another moment's tree.
    render(dataclasses.replace(ctx, now=later.astimezone(timezone(offset + timedelta(hours=1)))))
    assert tree.calls == 2


@pytest.mark.parametrize("ttl", [0.0, -5.0, math.nan, "soon"])
def test_a_scene_with_no_usable_ttl_is_not_kept(ttl) -> None:
    memo = SceneMemo()
    ctx = context("", (64, 32))
    memo.keep(ctx, Scene(Text("x"), ttl))
    assert memo.get(ctx) is None


def test_forget_scenes_empties_every_page() -> None:
    tree = CountingTree()
    render = tree_page(tree)
    ctx = context("", (64, 32))
    render(ctx)
    forget_scenes()
    render(ctx)
    assert tree.calls == 2


def test_a_kept_tree_is_keyed_once(monkeypatch) -> None:
    """The frame cache keeps a root's key on it: drawing the same tree again does not
    key it again (a third of a marquee's step)."""
    calls = []
    real = cache_module.tree_key

    def counting(widget, env, leaves):
        calls.append(widget)
        return real(widget, env, leaves)

    monkeypatch.setattr(cache_module, "tree_key", counting)
    root = Text("a long line that scrolls across the panel", scroll=True)
    for step in range(4):
        draw(root, (64, 32), NOW + timedelta(milliseconds=80 * step))
    assert calls == [root]


def test_a_kept_clock_tree_is_keyed_once_and_draws_each_second_as_a_fresh_one(
    monkeypatch,
) -> None:
    """A Seconds takes the room of the widest seconds, so its key and the tree's do not
    depend on the moment: a clock tree kept for a minute is keyed once."""
    calls = []
    real = cache_module.tree_key

    def counting(widget, env, leaves):
        calls.append(widget)
        return real(widget, env, leaves)

    def tree() -> Row:
        return Row([Text("4:55", "small"), Seconds("", "small"), Text("PM", "small")], gap=1)

    kept = tree()
    monkeypatch.setattr(cache_module, "tree_key", counting)
    for second in (10, 11, 12, 21, 40, 41):
        moment = NOW.replace(second=second)
        image = draw(kept, (64, 32), moment)[0]
        cache_module.FRAMES.clear()
        fresh = draw(tree(), (64, 32), moment)[0]
        assert image.tobytes() == fresh.tobytes(), moment
    assert [w for w in calls if w is kept] == [kept]


def test_a_kept_tree_drawn_on_another_panel_is_keyed_again() -> None:
    """A BySize chooses its subtree by the panel: the leaves kept for one size are not
    another's."""
    from matrix_client.render.widgets import BySize

    tree = BySize({"64x32": Text("small one"), "128x64": Row([Text("big"), Text("one")])})
    for size in ((64, 32), (128, 64), (64, 32)):
        kept = draw(tree, size, NOW)[0]
        cache_module.FRAMES.clear()
        fresh = draw(BySize(tree.cases), size, NOW)[0]
        assert kept.tobytes() == fresh.tobytes(), size


@pytest.mark.parametrize("seconds", [-90.0, -1.0, 0.0, 59.5, 60.0, 61.0, 3599.0, 3600.0,
                                     7199.9, 86399.0, 86400.0, 5 * 86400 + 7.0])
def test_age_label_ttl_is_when_the_label_changes(seconds: float) -> None:
    ttl = age_label_ttl(seconds)
    label = age_label(max(0.0, seconds))
    assert age_label(max(0.0, seconds + ttl - 0.001)) == label
    assert age_label(max(0.0, seconds + ttl)) != label


# Moments in a minute and an hour where labels and ttls turn over.
STARTS = (0.0, 7.3, 51.9, 59.95, 3599.5)
FRACTIONS = (0.0, 0.1, 0.5, 0.9, 0.999)
LONGEST_LOOK = 3 * 3600.0  # a tree right for longer is looked at over three hours


def _tree_pages():
    for name, spec in registry().items():
        tree = getattr(spec.render, "tree", None)
        if tree is not None:
            yield name, tree


def _drift(tree, sizes=SIZES, cases=CASES) -> list[tuple]:
    """Where the scene ``tree`` builds at t0, drawn later within its ttl, differs from
    the scene built at that later moment."""
    wrong = []
    for size in sizes:
        for case in cases:
            ctx = context(case, size)
            fonts = ctx.settings.fonts
            for start in STARTS:
                built = _at(ctx, start)
                scene = tree(built)
                look = min(scene.ttl, LONGEST_LOOK)
                for fraction in FRACTIONS:
                    later = _at(built, look * fraction)
                    kept = draw(scene, size, later.now, fonts=fonts)[0]
                    fresh = draw(tree(later), size, later.now, fonts=fonts)[0]
                    if kept.tobytes() != fresh.tobytes():
                        wrong.append((size, case, start, scene.ttl, fraction))
    return wrong


@pytest.mark.parametrize("name,tree", list(_tree_pages()))
def test_every_page_scene_is_right_for_its_ttl(name, tree) -> None:
    """The tree built at t0, drawn at any moment within its ttl, is pixel for pixel the
    tree built at that moment: the memo can hand it out that long."""
    wrong = _drift(tree)
    assert not wrong, f"{name}: the kept tree draws otherwise within its ttl: {wrong[:5]}"


def test_the_ttl_check_catches_a_tree_that_says_it_lasts_too_long() -> None:
    def lying(ctx) -> Scene:  # the seconds in a tree that says it lasts a minute
        return Scene(Text(f"{ctx.now.second:02d}"), 60.0)

    assert _drift(lying, sizes=((64, 32),), cases=("",))
