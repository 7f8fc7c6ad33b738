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
    # Layout tables are data files next to their modules: a page without its table fails.
    assert "matrix_client/render/widgets/sample.toml" in names
    tables = {f"matrix_client/pages/layouts/{p.name}"
              for p in (ROOT / "matrix_client" / "pages" / "layouts").glob("*.toml")}
    assert tables and tables <= names, sorted(tables - names)
    assert not any(n.startswith(("tests/", "bench/", "examples/")) for n in names)


def test_container_image_copies_everything_the_package_is_built_from() -> None:
    dockerfile = (ROOT / "deploy" / "k8s" / "Dockerfile").read_text()
    copied = {line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ")}
    packages = {"glanceboard", "server", "matrix_client"}
    # Links inside the packages (matrix_client/fonts -> fonts) point at folders to copy too.
    linked = {
        path.resolve().relative_to(ROOT).parts[0]
        for package in packages
        for path in (ROOT / package).rglob("*")
        if path.is_symlink()
    }
    assert linked, "expected the fonts link inside matrix_client"
    assert packages | linked <= copied, f"not copied into the image: {(packages | linked) - copied}"
