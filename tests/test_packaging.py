"""A plain (non-editable) install, as on the Pi, carries the fonts and the web files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_fonts_and_web_display(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path),
         str(ROOT)],
        check=True, timeout=300, cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("glanceboard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    fonts = {p.name for p in (ROOT / "fonts").glob("*.bdf")}
    assert fonts, "the repository has no fonts"
    assert {n.rsplit("/", 1)[1] for n in names if n.startswith("matrix_client/fonts/")} == fonts
    assert "server/web/index.html" in names
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
