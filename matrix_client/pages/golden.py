"""Golden frames: every page at every panel size for each sample case, as PNGs.

    python -m matrix_client.pages.golden --regenerate   # write tests/golden/ on purpose
    python -m matrix_client.pages.golden --check        # compare, report differences

Frames are rendered from :mod:`matrix_client.pages.samples` at its frozen time
and pushed through the headless display, exactly as the client would show
them. A golden is ``tests/golden/<W>x<H>/<page>[-<case>].png``. A mismatch
writes the actual frame and a diff (changed pixels in magenta over a dimmed
copy) under ``tests/_failures/`` and names them.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from matrix_client.display.headless import HeadlessDisplay
from matrix_client.pages import registry
from matrix_client.pages.samples import CASES, SIZES, context

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


def goldens() -> list[Golden]:
    out = []
    for page in registry():
        if page in NOT_GOLDEN:
            continue
        for case in STATE_FREE_CASES.get(page, CASES):
            for size in SIZES:
                out.append(Golden(page, size, case))
    return out


def render(golden: Golden) -> Image.Image:
    """The frame as the headless display received it."""
    frame = registry()[golden.page].render(context(golden.case, golden.size))
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
    golden: Golden, directory: Path = GOLDEN_DIR, failures: Path = FAILURE_DIR
) -> str | None:
    """None when the frame matches its golden, else a message naming the files to look at."""
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


def regenerate(directory: Path = GOLDEN_DIR) -> tuple[int, int]:
    """Write every golden; remove PNGs that no longer belong to a case. (written, removed)"""
    wanted = set()
    for golden in goldens():
        path = directory / golden.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        render(golden).save(path, optimize=True)
        wanted.add(path)
    removed = 0
    for path in page_golden_files(directory):
        if path not in wanted:
            path.unlink()
            removed += 1
    return len(wanted), removed


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
        help="compare against the goldens; differences go to tests/_failures/",
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
    if args.regenerate:
        written, removed = regenerate(args.dir)
        print(f"wrote {written} golden frames to {args.dir}, removed {removed} stale ones")
        return 0
    problems = [m for g in goldens() if (m := compare(g, args.dir)) is not None]
    for message in problems:
        print(message)
    print(f"{len(goldens()) - len(problems)} match, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
