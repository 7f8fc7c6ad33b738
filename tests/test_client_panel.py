"""The panel backend against a stand-in for hzeller's rgbmatrix (the LED hardware is the
one thing tests cannot have), and the client's import discipline."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import pytest
from PIL import Image

from matrix_client.config import load_config
from matrix_client.display.errors import DisplayError
from matrix_client.display.factory import open_display
from matrix_client.display.panel import OPTION_FIELDS

ROOT = Path(__file__).resolve().parent.parent


class FakeCanvas:
    def __init__(self, log: list) -> None:
        self.log = log
        self.brightness = 100

    def SetImage(self, image: Image.Image) -> None:  # noqa: N802 - the driver's API
        self.log.append(("SetImage", image.tobytes(), self.brightness))

    def Clear(self) -> None:  # noqa: N802
        self.log.append(("Clear",))


class FakeMatrix:
    def __init__(self, options) -> None:
        self.options = options
        self.width = options.cols * options.chain_length
        self.height = options.rows * options.parallel
        self.log: list = []
        self.brightness = options.brightness
        FakeMatrix.last = self

    def CreateFrameCanvas(self) -> FakeCanvas:  # noqa: N802
        return FakeCanvas(self.log)

    def SwapOnVSync(self, canvas: FakeCanvas) -> FakeCanvas:  # noqa: N802
        self.log.append(("Swap",))
        return FakeCanvas(self.log)

    def Clear(self) -> None:  # noqa: N802
        self.log.append(("MatrixClear",))


@pytest.fixture
def fake_rgbmatrix(monkeypatch):
    module = types.ModuleType("rgbmatrix")
    module.RGBMatrix = FakeMatrix
    module.RGBMatrixOptions = type("RGBMatrixOptions", (), {})
    monkeypatch.setitem(sys.modules, "rgbmatrix", module)
    return module


def test_every_option_reaches_the_driver(fake_rgbmatrix, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[panel]\nrows = 64\ncols = 64\nchain_length = 2\n'
                    'hardware_mapping = "adafruit-hat"\ngpio_slowdown = 4\nbrightness = 70\n'
                    'pixel_mapper_config = "Rotate:180"\ndrop_privileges = false\n')
    config = load_config(path, environ={})
    display = open_display(config, "panel")
    options = FakeMatrix.last.options
    for name in OPTION_FIELDS:
        assert getattr(options, name) == config.get("panel", name), name
    assert display.size == (128, 64)

    image = Image.new("RGB", (128, 64), (9, 8, 7))
    display.show(image)
    log = FakeMatrix.last.log
    assert log[-2][0] == "SetImage" and log[-2][1] == image.tobytes()
    assert log[-1] == ("Swap",)  # offscreen canvas, swapped in on vsync
    display.set_brightness(30)
    assert FakeMatrix.last.brightness == 30
    assert log[-2] == ("SetImage", image.tobytes(), 30)  # redrawn at the new level
    display.clear()
    display.close()
    assert log[-1] == ("MatrixClear",)


def test_missing_driver_says_what_to_do(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "rgbmatrix", None)  # import fails
    with pytest.raises(DisplayError) as caught:
        open_display(load_config(None, environ={}), "panel")
    message = str(caught.value)
    assert "rgbmatrix" in message and "docs/matrix-client.md" in message
    assert "Building the panel driver" in message
    assert "## Building the panel driver" in (ROOT / "docs" / "matrix-client.md").read_text() \
        or "### Building the panel driver" in (ROOT / "docs" / "matrix-client.md").read_text()


@pytest.mark.skipif(importlib.util.find_spec("rgbmatrix") is not None,
                    reason="the real driver is installed here")
def test_cli_exits_with_the_message_when_the_driver_is_missing(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "matrix_client", "--backend", "panel",
                             "--cache", str(tmp_path / "c.json")],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 3
    assert "Building the panel driver" in result.stderr


def test_client_never_imports_redis_or_fastapi() -> None:
    code = (
        "import sys\n"
        "import matrix_client.__main__, matrix_client.sync, matrix_client.loop\n"
        "import matrix_client.display.factory, matrix_client.display.headless\n"
        "from matrix_client.pages import registry\n"
        "registry()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('redis', 'fastapi', 'uvicorn', 'server', 'starlette', 'RGBMatrixEmulator'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
