"""The panel backend against tests/rgbmatrix_standin, which behaves like hzeller's rgbmatrix
at the pinned commit (the LED hardware is the one thing tests cannot have), and the
client's import discipline.

The stand-in does what the real driver does, drop to daemon included, so whatever opens
a matrix runs in a child process of its own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from matrix_client.config import ConfigError, load_config
from matrix_client.display.errors import DisplayError
from matrix_client.display.factory import open_display
from matrix_client.display.panel import PanelDisplay, build_options, pillow_mismatch
from matrix_client.panel_options import OPTIONS, PILLOW_RANGE, driver_settings
from tests.system_tools import unavailable

ROOT = Path(__file__).resolve().parent.parent
STANDIN = ROOT / "tests" / "rgbmatrix_standin"


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch):
    """The stand-in importable as ``rgbmatrix`` in this process (importing it is harmless)."""
    monkeypatch.syspath_prepend(str(STANDIN))
    for name in [m for m in sys.modules if m.split(".")[0] == "rgbmatrix"]:
        monkeypatch.delitem(sys.modules, name)
    import rgbmatrix

    yield rgbmatrix
    for name in [m for m in sys.modules if m.split(".")[0] == "rgbmatrix"]:
        del sys.modules[name]  # later tests see no driver, as on this machine


def child(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with the stand-in as rgbmatrix, its frames in tmp_path; as root."""
    if os.geteuid() != 0:
        unavailable("the rgbmatrix stand-in, like the driver, needs root to open a matrix")
    environ = {**os.environ, "PYTHONPATH": f"{STANDIN}:{ROOT}",
               "RGBMATRIX_STANDIN_FRAMES": str(tmp_path / "frames"), **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env=environ)


def records(tmp_path: Path) -> list[dict]:
    path = tmp_path / "frames" / "frames.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_only_the_options_set_reach_the_driver(standin, tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[panel]\nrows = 64\ncols = 64\nchain_length = 2\npanel_type = "FM6126A"\n'
                    'rp1_rio = 1\ninverse_colors = true\ndrop_priv_user = "nobody"\n')
    settings = driver_settings(load_config(path, environ={}).values["panel"])
    assert settings == {"rows": 64, "cols": 64, "chain_length": 2, "parallel": 1,
                        "panel_type": "FM6126A", "rp1_rio": 1, "inverse_colors": True,
                        "drop_priv_user": "nobody"}
    options = build_options(standin.RGBMatrixOptions, settings)
    assert options.panel_type == b"FM6126A" and options.rp1_rio == 1
    defaults = standin.RGBMatrixOptions()
    for name in ("gpio_slowdown", "brightness", "hardware_mapping", "pwm_bits"):
        assert getattr(options, name) == getattr(defaults, name), name  # the library's pick


def test_every_driver_option_is_a_config_key(standin) -> None:
    """Every RGBMatrixOptions attribute of the pinned bindings can be set from the config."""
    attributes = {name for name in vars(standin.RGBMatrixOptions) if not name.startswith("_")
                  and name != "as_dict"}
    assert attributes == set(OPTIONS)


# Values the pinned library rejects (NULL matrix, abort or exit), each refused by our config.
REJECTED = [
    ("brightness", 0), ("rows", 7), ("rows", 33), ("rows", 66), ("cols", 8),
    ("chain_length", 0), ("parallel", 0), ("parallel", 4), ("pwm_bits", 12),
    ("pwm_lsb_nanoseconds", 40), ("pwm_dither_bits", 3), ("scan_mode", 2),
    ("row_address_type", 6), ("multiplexing", 23), ("gpio_slowdown", 11), ("rp1_rio", 2),
    ("led_rgb_sequence", "RGBX"), ("led_rgb_sequence", "RRB"), ("hardware_mapping", "hat"),
]


@pytest.mark.parametrize(("key", "value"), REJECTED)
def test_what_the_library_rejects_the_config_refuses(tmp_path: Path, key: str, value) -> None:
    path = tmp_path / "client.toml"
    path.write_text(f"[panel]\n{key} = {json.dumps(value)}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert str(caught.value).startswith(f"{path}: [panel] {key}: ")
    # ...and the stand-in, like the driver, fails hard on it.
    code = ("import rgbmatrix\no = rgbmatrix.RGBMatrixOptions()\no.drop_privileges = 0\n"
            f"o.{key} = {value!r}\nm = rgbmatrix.RGBMatrix(options=o)\nprint(m.width)\n")
    result = child(code, tmp_path)
    assert result.returncode != 0, result.stdout


def test_a_wiring_that_cannot_carry_the_chains_is_refused_not_aborted(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text('[panel]\nhardware_mapping = "adafruit-hat"\nparallel = 2\n')
    with pytest.raises(ConfigError, match=r"\[panel\] parallel: the adafruit-hat wiring"):
        load_config(path, environ={})
    code = ("import rgbmatrix\no = rgbmatrix.RGBMatrixOptions()\no.drop_privileges = 0\n"
            "o.hardware_mapping = 'adafruit-hat'\no.parallel = 2\nrgbmatrix.RGBMatrix(options=o)\n")
    assert child(code, tmp_path).returncode == -6  # abort()


def test_accepted_edges_open_the_driver(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text('[panel]\nrows = 64\ncols = 16\nparallel = 3\nbrightness = 1\n'
                    'led_rgb_sequence = "gbr"\nmultiplexing = 22\ngpio_slowdown = 10\n'
                    'drop_privileges = false\npanel_type = "fm6127"\n')
    settings = driver_settings(load_config(path, environ={}).values["panel"])
    code = ("import json, sys\nfrom matrix_client.display.panel import PanelDisplay\n"
            f"d = PanelDisplay(json.loads({json.dumps(json.dumps(settings))}))\n"
            "print(d.size)\n")
    result = child(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(16, 192)"


def test_frames_reach_the_driver_and_it_drops_to_daemon(tmp_path: Path) -> None:
    # Imported before the drop: this Python may live where daemon cannot read (a 0700 home).
    code = (
        "import PIL.ImageFile\n"
        "from PIL import Image\nfrom matrix_client.config import load_config\n"
        "from matrix_client.display.factory import open_display\n"
        "d = open_display(load_config(None, environ={}), 'panel')\n"
        "d.show(Image.new('RGB', d.size, (9, 8, 7)))\nd.set_brightness(30)\nd.clear()\n"
    )
    result = child(code, tmp_path)
    assert result.returncode == 0, result.stderr
    init, *frames = records(tmp_path)
    assert init["event"] == "init" and init["started_uid"] == 0
    assert init["uid"] == init["gid"] == 1  # daemon:daemon on Debian
    assert init["options"]["gpio_slowdown"] == 1 and init["options"]["brightness"] == 100
    assert [f["brightness"] for f in frames[:2]] == [100, 30]  # redrawn at the new level
    import base64

    assert base64.b64decode(frames[0]["rgb"]) == bytes((9, 8, 7)) * (64 * 32)
    assert base64.b64decode(frames[2]["rgb"]) == bytes(64 * 32 * 3)  # cleared
    assert all(f["uid"] == 1 for f in frames)


def test_pillow_mismatch_is_one_line_before_the_driver_opens(standin, monkeypatch) -> None:
    import PIL
    import PIL.Image

    assert pillow_mismatch(standin, PIL) is None
    monkeypatch.setattr(PIL, "__version__", "10.4.0")
    monkeypatch.delattr(PIL.Image.Image, "getim")  # what Pillow before 11 lacks
    with pytest.raises(DisplayError) as caught:
        open_display(load_config(None, environ={}), "panel")
    message = str(caught.value)
    assert "Image.getim()" in message and f"Pillow{PILLOW_RANGE}" in message
    assert "\n" not in message


def test_bindings_from_before_getim_against_pillow_12() -> None:
    import PIL
    import PIL.Image

    class OldCanvas:  # core.pyx before late 2025: straight to the (empty) canvas
        def SetImage(self, image) -> None:  # noqa: N802
            raise Exception("Canvas was destroyed or not initialized")

    old = type("rgbmatrix", (), {"FrameCanvas": OldCanvas})
    why = pillow_mismatch(old, PIL)
    if hasattr(PIL.Image.new("RGB", (1, 1)).im, "unsafe_ptrs"):  # Pillow 11 still has it
        assert why is None
    else:
        assert "unsafe_ptrs" in why and "cf60d08f9b77" in why


def test_client_extra_requires_the_pillow_range_the_bindings_accept() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert f"Pillow{PILLOW_RANGE}" in project["optional-dependencies"]["client"]


def test_sound_module_is_refused_before_the_driver(tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    modules.write_text("snd_bcm2835 24576 0 - Live 0x0000000000000000\n")
    with pytest.raises(DisplayError, match="snd_bcm2835.*dtparam=audio=off"):
        PanelDisplay({"rows": 32, "cols": 64}, modules=modules)
    # The driver itself exits with status 1 there.
    code = ("import rgbmatrix\no = rgbmatrix.RGBMatrixOptions()\no.drop_privileges = 0\n"
            "rgbmatrix.RGBMatrix(options=o)\n")
    result = child(code, tmp_path, RGBMATRIX_STANDIN_MODULES=str(modules))
    assert result.returncode == 1 and "snd_bcm2835" in result.stderr


def test_missing_driver_says_what_to_do(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "rgbmatrix", None)  # import fails
    with pytest.raises(DisplayError) as caught:
        open_display(load_config(None, environ={}), "panel")
    message = str(caught.value)
    assert "rgbmatrix" in message and "docs/raspberry-pi.md" in message
    assert "Build the panel driver" in message
    assert "## 4. Build the panel driver" in (ROOT / "docs" / "raspberry-pi.md").read_text()


@pytest.mark.skipif(importlib.util.find_spec("rgbmatrix") is not None,
                    reason="the real driver is installed here")
def test_cli_exits_with_the_message_when_the_driver_is_missing(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "matrix_client", "--backend", "panel",
                             "--cache", str(tmp_path / "c.json")],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 3
    assert "Build the panel driver" in result.stderr


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
