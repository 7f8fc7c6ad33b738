"""Golden frames: every page at every panel size for each sample case, as PNGs.

    python -m matrix_client.pages.golden --regenerate   # write tests/golden/ on purpose
    python -m matrix_client.pages.golden --check        # compare, report differences
    python -m matrix_client.pages.golden --check --pages countdown --dir tests/golden
                                                        # a plugin's pages, its own goldens

Frames are rendered from :mod:`matrix_client.pages.samples` at its frozen time
and pushed through the headless display, exactly as the client would show
them. A golden is ``tests/golden/<W>x<H>/<page>[-<case>].png``. A mismatch
writes the actual frame and a diff (changed pixels in magenta over a dimmed
copy) under ``_failures/`` beside the golden folder and names them.

Without ``--pages`` the built-in pages are meant; a plugin names its own pages and
keeps its goldens in its own folder (``--dir``), or calls :func:`check` and
:func:`regenerate` from its tests.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from matrix_client.display.headless import HeadlessDisplay
from matrix_client.pages import builtin_pages, registry
from matrix_client.pages.base import render_checked
from matrix_client.pages.samples import (
    HOUSEHOLD_CASES,
    LEGACY_CASES,
    SIZES,
    cases_for,
    context,
)

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_DIR = ROOT / "tests" / "golden"
FAILURE_DIR = ROOT / "tests" / "_failures"
# Pages whose picture does not depend on the state get only the cases that change them.
STATE_FREE_CASES: dict[str, tuple[str, ...]] = {
    "clock": ("",),
    "out": ("",),
    "wifi": ("", "nodata", "long"),
}
# Pages drawn elsewhere in the client, with their own tests.
NOT_GOLDEN = frozenset({"generic"})


@dataclass(frozen=True)
class Golden:
    page: str
    size: tuple[int, int]
    case: str

    @property
    def name(self) -> str:
        return f"{self.page}-{self.case}" if self.case else self.page

    @property
    def relative(self) -> Path:
        return Path(f"{self.size[0]}x{self.size[1]}") / f"{self.name}.png"

    def __str__(self) -> str:
        return f"{self.size[0]}x{self.size[1]}/{self.name}"


def page_golden_files(directory: Path = GOLDEN_DIR) -> list[Path]:
    """The PNGs in the size folders (``<W>x<H>/``); other folders, such as the widget
    layer's ``widgets/``, have goldens of their own that regeneration leaves alone."""
    return [p for p in directory.glob("*/*.png") if re.fullmatch(r"\d+x\d+", p.parent.name)]


def goldens(pages: Iterable[str] | None = None) -> list[Golden]:
    """The goldens of ``pages`` (default: the built-in pages): every sample case at
    every size; KeyError naming the page for one that is not registered."""
    names = builtin_pages() if pages is None else list(pages)
    unknown = [name for name in names if name not in registry()]
    if unknown:
        raise KeyError(f"unknown page(s) {', '.join(unknown)}; known pages: "
                       f"{', '.join(registry())}")
    out = []
    for page in names:
        if page in NOT_GOLDEN:
            continue
        for case in STATE_FREE_CASES.get(page) or cases_for(page):
            for size in SIZES:
                out.append(Golden(page, size, case))
    # The original producers' samples, on the pages that read them.
    for case, legacy in LEGACY_CASES.items():
        for page in legacy.pages:
            if page in names:
                for size in SIZES:
                    out.append(Golden(page, size, case))
    # The household's settings (metric, 24 h) on the pages they change.
    for case, (shown, sizes) in HOUSEHOLD_CASES.items():
        out += [Golden(page, size, case) for page in shown if page in names for size in sizes]
    return out


def render(golden: Golden) -> Image.Image:
    """The frame as the headless display received it."""
    ctx = context(golden.case, golden.size, page=golden.page)
    frame = render_checked(registry()[golden.page], ctx)
    display = HeadlessDisplay(*golden.size)
    display.show(frame.image)
    shown = display.last_frame
    assert shown is not None
    return shown


def diff_image(expected: Image.Image, actual: Image.Image) -> Image.Image:
    """Changed pixels in magenta over a dimmed copy of the actual frame."""
    if expected.size != actual.size:
        return actual.copy()
    changed = ImageChops.difference(expected.convert("RGB"), actual).convert("L")
    mask = changed.point(lambda v: 255 if v else 0)
    base = actual.point(lambda v: v // 3)
    base.paste((255, 0, 255), (0, 0), mask)
    return base


def compare(
    golden: Golden, directory: Path = GOLDEN_DIR, failures: Path | None = None
) -> str | None:
    """None when the frame matches its golden, else a message naming the files to look at
    (written under ``failures``, by default ``_failures`` beside ``directory``)."""
    if failures is None:
        failures = directory.parent / FAILURE_DIR.name
    path = directory / golden.relative
    actual = render(golden)
    if not path.exists():
        return (
            f"{golden}: no golden at {path}; run python -m matrix_client.pages.golden "
            "--regenerate and look at it"
        )
    with Image.open(path) as stored:
        expected = stored.convert("RGB")
    if expected.size == actual.size and ImageChops.difference(expected, actual).getbbox() is None:
        return None
    out = failures / golden.relative.parent
    out.mkdir(parents=True, exist_ok=True)
    actual_path = out / f"{golden.name}-actual.png"
    diff_path = out / f"{golden.name}-diff.png"
    actual.save(actual_path)
    diff_image(expected, actual).save(diff_path)
    box = (
        ImageChops.difference(expected, actual).getbbox()
        if expected.size == actual.size
        else "size"
    )
    return (
        f"{golden}: differs from {path} (changed area {box}); actual: {actual_path}, "
        f"diff: {diff_path}"
    )


def check(pages: Iterable[str] | None = None, directory: Path = GOLDEN_DIR) -> list[str]:
    """A message per golden of ``pages`` that differs or is missing; [] when all match."""
    return [m for g in goldens(pages) if (m := compare(g, directory)) is not None]


def regenerate(directory: Path = GOLDEN_DIR, pages: Iterable[str] | None = None
               ) -> tuple[int, int]:
    """Write every golden of ``pages``; remove the PNGs that no longer belong to a case:
    every other one for the built-in pages, only those of ``pages`` when they are named.
    (written, removed)"""
    pages = None if pages is None else list(pages)
    selected = goldens(pages)
    wanted = set()
    for golden in selected:
        path = directory / golden.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        render(golden).save(path, optimize=True)
        wanted.add(path)
    removed = 0
    for path in page_golden_files(directory):
        if path not in wanted and (pages is None or _of_pages(path.stem, set(pages))):
            path.unlink()
            removed += 1
    return len(wanted), removed


def _of_pages(stem: str, names: set[str]) -> bool:
    """Whether a golden file's stem (``<page>[-<case>]``) is one of ``names``' pages."""
    return any(stem == name or stem.startswith(f"{name}-") for name in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matrix_client.pages.golden",
        description="Render every page at every size for each sample case, and either "
        "write the results as the new golden frames or compare against them.",
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--regenerate",
        action="store_true",
        help="write tests/golden/<W>x<H>/<page>[-<case>].png (look at them!)",
    )
    group.add_argument(
        "--check",
        action="store_true",
        help="compare against the goldens; differences go to _failures/ beside them",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated page names, e.g. a plugin's (default: the built-in pages)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=GOLDEN_DIR,
        help=f"golden folder (default {GOLDEN_DIR.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    # The malformed case points a font role at a missing file on purpose.
    logging.basicConfig(level=logging.CRITICAL)
    pages = [n for n in args.pages.split(",") if n] or None
    try:
        selected = goldens(pages)
    except KeyError as exc:
        print(f"golden: {exc.args[0]}", file=sys.stderr)
        return 2
    if args.regenerate:
        written, removed = regenerate(args.dir, pages)
        print(f"wrote {written} golden frames to {args.dir}, removed {removed} stale ones")
        return 0
    problems = check(pages, args.dir)
    for message in problems:
        print(message)
    print(f"{len(selected) - len(problems)} match, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
