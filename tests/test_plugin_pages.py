"""Plugin pages and producers from entry points: what is taken, what is left out and
logged, and how a failing page is shown. The plugins here are real distributions
(dist-info folders with entry_points.txt) on a temporary sys.path entry, read by
importlib.metadata; the installed example plugin is tested in test_plugin_install.py."""

from __future__ import annotations

import logging
import queue
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from matrix_client import pages
from matrix_client.clock import ManualClock
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.pages import builtin_pages
from matrix_client.pages.base import (
    ERROR_TTL,
    PageContext,
    PageFrame,
    PageGarbage,
    PageSpec,
    error_frame,
    render_checked,
)
from matrix_client.pages.discovery import discover
from matrix_client.pages.error_card import LAYOUT
from matrix_client.pages.plugin import Page
from matrix_client.pages.trees import tree_page
from matrix_client.render import colors
from matrix_client.render.fonts import font_for
from matrix_client.render.widgets import Scene, Text
from matrix_client.rotation import RotationEntry, RotationError, parse_rotation
from matrix_client.store import StateStore
from server.producers import registry as producer_registry

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SIZES = ((64, 32), (128, 32), (64, 64), (128, 64))

GOOD_PAGE = """
from matrix_client.pages.plugin import Page
from matrix_client.render.fonts import font_for
from matrix_client.render.widgets import Scene, Text

def tree(ctx):
    return Scene(Text(str(ctx.values("Hello")), "small"))

PAGE = Page(name="hello", tree=tree, types=("Hello",), samples={"": {"Hello": "hi"}})
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path to install distributions into, by hand. The process's own
    registry is read before, so that these plugins never join it."""
    builtin_pages()
    monkeypatch.syspath_prepend(str(tmp_path))
    producer_registry.plugin_producers.cache_clear()
    yield tmp_path
    producer_registry.plugin_producers.cache_clear()
    for name in [m for m in sys.modules if m.startswith("plugin_")]:
        del sys.modules[name]


def install(site: Path, dist: str, module: str, code: str, entry_points: str) -> None:
    """A distribution ``dist`` holding ``module`` (``code``) and ``entry_points``."""
    (site / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_plugin_page_is_found_and_broken_ones_are_left_out_and_named(
        site: Path, caplog: pytest.LogCaptureFixture) -> None:
    install(site, "good-plugin", "plugin_good", GOOD_PAGE,
            "[glanceboard.pages]\nhello = plugin_good:PAGE\n")
    install(site, "broken-import", "plugin_broken", "import no_such_module_here\n",
            "[glanceboard.pages]\nbroken = plugin_broken:PAGE\n")
    install(site, "not-a-page", "plugin_garbage", "PAGE = {'name': 'garbage'}\n",
            "[glanceboard.pages]\ngarbage = plugin_garbage:PAGE\n")
    install(site, "steals-clock", "plugin_clock", GOOD_PAGE.replace('"hello"', '"clock"'),
            "[glanceboard.pages]\nclock = plugin_clock:PAGE\n")
    install(site, "misnamed", "plugin_misnamed", GOOD_PAGE,
            "[glanceboard.pages]\nhowdy = plugin_misnamed:PAGE\n")
    install(site, "bad-types", "plugin_types", GOOD_PAGE.replace('("Hello",)', '"Hello"'),
            "[glanceboard.pages]\nhello2 = plugin_types:PAGE\n")
    caplog.set_level(logging.ERROR)
    found = discover(taken=builtin_pages())
    assert list(found.pages) == ["hello"]
    hello = found.pages["hello"]
    assert hello.distribution == "good-plugin 1.0"
    assert hello.spec.types == ("Hello",)
    assert sorted(found.broken) == ["broken", "garbage", "hello2", "howdy"]
    logged = errors(caplog)
    assert len(logged) == 5, logged  # each left-out plugin once
    expectations = {
        "broken-import 1.0": "ModuleNotFoundError",
        "not-a-page 1.0": "names a dict, not a matrix_client.pages.plugin.Page",
        "steals-clock 1.0": "names the built-in page 'clock'",
        "misnamed 1.0": "named 'howdy' but its page 'hello'",
        "bad-types 1.0": "types must be a tuple",
    }
    for dist, words in expectations.items():
        assert any(dist in m and words in m for m in logged), (dist, logged)
    # The kept plugin renders through the same adapter as the built-in pages.
    frame = render_checked(hello.spec, PageContext({}, NOW, 64, 32))
    assert frame.image.size == (64, 32) and frame.image.getbbox() is not None


def test_two_plugins_with_one_name_keep_the_first(site: Path, caplog) -> None:
    install(site, "first", "plugin_a", GOOD_PAGE, "[glanceboard.pages]\nhello = plugin_a:PAGE\n")
    install(site, "second", "plugin_b", GOOD_PAGE, "[glanceboard.pages]\nhello = plugin_b:PAGE\n")
    caplog.set_level(logging.ERROR)
    found = discover(taken=())
    assert found.pages["hello"].distribution == "first 1.0"
    assert any("second 1.0" in m and "first 1.0 already adds" in m for m in errors(caplog))


def test_plugin_producers_join_the_table_without_being_imported(site: Path, caplog) -> None:
    install(site, "prod-plugin", "plugin_prod", "raise RuntimeError('imported too early')\n",
            "[glanceboard.producers]\nsunshine = plugin_prod:Sunshine\n"
            "weather = plugin_prod:Weather\nBad Name = plugin_prod:X\n")
    caplog.set_level(logging.ERROR)
    table = producer_registry.all_producers()
    assert table["sunshine"] == "plugin_prod:Sunshine"
    assert table["weather"] == producer_registry.PRODUCERS["weather"]  # built-in wins
    assert "plugin_prod" not in sys.modules
    logged = errors(caplog)
    assert any("built-in producer 'weather'" in m and "prod-plugin 1.0" in m for m in logged)
    assert any("'Bad Name'" in m for m in logged), logged


@pytest.mark.parametrize("bad", [
    {"name": "Has Caps"}, {"name": ""}, {"tree": "not callable"}, {"types": "Weather"},
    {"types": ("ok", 3)}, {"title": 5}, {"samples": {"": "values"}},
    {"samples": {"Bad Case": {}}},
])
def test_a_page_refuses_garbage_with_the_field_named(bad: dict) -> None:
    fields = {"name": "ok", "tree": lambda ctx: Scene(Text("x")), **bad}
    with pytest.raises((TypeError, ValueError)):
        Page(**fields)


def spec_returning(value: object) -> PageSpec:
    return PageSpec("junk", lambda ctx: value)


@pytest.mark.parametrize(("value", "kind"), [
    (None, "not a PageFrame"),
    (Image.new("RGB", (64, 32)), "not a PageFrame"),
    (PageFrame("picture"), "not an image"),  # type: ignore[arg-type]
    (PageFrame(Image.new("RGB", (32, 16))), "wrong size"),
    (PageFrame(Image.new("RGB", (64, 32)), float("nan")), "bad ttl"),
    (PageFrame(Image.new("RGB", (64, 32)), "soon"), "bad ttl"),  # type: ignore[arg-type]
])
def test_render_checked_names_the_kind_of_garbage(value: object, kind: str) -> None:
    with pytest.raises(PageGarbage) as caught:
        render_checked(spec_returning(value), PageContext({}, NOW, 64, 32))
    assert caught.value.kind == kind and "junk" in str(caught.value)


def test_a_tree_function_that_returns_no_scene_is_garbage() -> None:
    render = tree_page(lambda ctx: Text("a widget, not a Scene"))
    with pytest.raises(PageGarbage, match="not a Scene"):
        render(PageContext({}, NOW, 64, 32))


@pytest.mark.parametrize("size", [*SIZES, (96, 40)])
def test_the_error_card_names_the_page_and_fits(size: tuple[int, int]) -> None:
    frame = error_frame(*size, "countdown")
    image = frame.image
    assert image.size == size and image.mode == "RGB" and frame.ttl == ERROR_TTL
    amber = _bbox_of(image, colors.AMBER)
    red = _bbox_of(image, colors.RED)
    assert amber is not None and red is not None, "name and 'error' both drawn"
    assert amber[3] <= red[1], "the name above 'error'"
    # The whole name is there, not shortened: as wide as the name in the card's font.
    font = font_for(LAYOUT.for_size(size).name_font)
    assert amber[2] - amber[0] <= font.width("countdown") <= amber[2] - amber[0] + 1


def _bbox_of(image: Image.Image, color: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    points = [(x, y) for y in range(image.height) for x in range(image.width)
              if image.getpixel((x, y)) == color]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs) + 1, max(ys) + 1


def test_the_loop_shows_the_card_and_logs_each_kind_of_failure_once(caplog) -> None:
    mode = {"how": "raise"}

    def flaky(ctx: PageContext) -> PageFrame:
        if mode["how"] == "raise":
            raise RuntimeError("boom")
        if mode["how"] == "small":
            return PageFrame(Image.new("RGB", (8, 8)), ttl=1.0)
        return PageFrame(Image.new("RGB", ctx.size, (0, 9, 0)), ttl=1.0)

    spec = PageSpec("flaky", flaky)
    clock = ManualClock(NOW)
    display = HeadlessDisplay(64, 32)
    loop = RenderLoop(display, StateStore(), [RotationEntry("flaky", 3600)], clock=clock,
                      controls=queue.Queue(), page_lookup=lambda name: spec)
    caplog.set_level(logging.ERROR)

    def run(seconds: int) -> None:
        for _ in range(seconds):
            loop.step()
            clock.advance(ERROR_TTL)

    run(3)
    assert display.last_frame is not None
    assert display.last_frame.tobytes() == error_frame(64, 32, "flaky").image.tobytes()
    mode["how"] = "small"
    run(3)
    mode["how"] = "raise"
    run(2)
    logged = [m for m in errors(caplog) if "page flaky failed" in m]
    assert len(logged) == 2, logged  # RuntimeError once, wrong size once
    assert "RuntimeError" in logged[0] and "wrong size" in logged[1]
    assert loop.stats.page_errors == 8
    mode["how"] = "ok"
    run(1)
    assert display.last_frame.getpixel((0, 0)) == (0, 9, 0)


def test_a_rotation_may_name_a_plugin_page_that_failed_and_shows_its_card(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install(site, "broken-import", "plugin_broken", "import no_such_module_here\n",
            "[glanceboard.pages]\nbroken = plugin_broken:PAGE\n")
    # A registry built afresh with this plugin installed; the process's own is put back.
    for name in ("_plugins", "_broken"):
        monkeypatch.setattr(pages, name, getattr(pages, name))
    monkeypatch.setattr(pages, "_registry", None)
    assert pages.broken_plugin_pages() == ("broken",)
    assert "broken" not in pages.registry()
    rotation = parse_rotation(["clock", "broken"], "rotation.yaml")
    assert [entry.page for entry in rotation] == ["clock", "broken"]
    with pytest.raises(RotationError, match="unknown page 'nonesuch'"):
        parse_rotation(["nonesuch"], "rotation.yaml")
    display = HeadlessDisplay(64, 32)
    loop = RenderLoop(display, StateStore(), rotation[1:], clock=ManualClock(NOW),
                      controls=queue.Queue())
    loop.step()
    assert display.last_frame is not None
    assert display.last_frame.tobytes() == error_frame(64, 32, "broken").image.tobytes()


def test_an_error_card_that_cannot_be_drawn_still_gives_a_frame(monkeypatch, caplog) -> None:
    from matrix_client.pages import error_card

    def broken(page: str, size: tuple[int, int]) -> Image.Image:
        raise OSError("font file gone")

    monkeypatch.setattr(error_card, "error_card", broken)
    caplog.set_level(logging.ERROR)
    frame = error_frame(64, 32, "countdown")
    assert frame.image.size == (64, 32) and frame.image.getpixel((0, 0)) == (64, 0, 0)
    assert any("error card cannot be drawn" in m for m in errors(caplog))


def test_regenerating_named_pages_leaves_other_pages_goldens_alone(tmp_path: Path) -> None:
    from matrix_client.pages import golden

    folder = tmp_path / "golden" / "64x32"
    folder.mkdir(parents=True)
    for stale in ("clock-retired.png", "weather.png"):
        Image.new("RGB", (64, 32)).save(folder / stale)
    written, removed = golden.regenerate(tmp_path / "golden", iter(["clock"]))
    # clock has one case at four sizes, and the household's metric-24h at two
    assert (written, removed) == (6, 1)
    assert sorted(p.name for p in folder.iterdir()) == ["clock-metric-24h.png", "clock.png",
                                                        "weather.png"]
    assert golden.check(["clock"], tmp_path / "golden") == []
    with pytest.raises(KeyError, match="nonesuch"):
        golden.goldens(["nonesuch"])
