"""The emulator backend draws exactly what the headless backend records."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from PIL import Image

from matrix_client.clock import ManualClock
from matrix_client.control import Command
from matrix_client.display.emulator import EmulatorDisplay, EmulatorLook
from matrix_client.display.errors import DisplayError
from matrix_client.display.headless import HeadlessDisplay
from matrix_client.loop import RenderLoop
from matrix_client.pages import registry
from matrix_client.rotation import RotationEntry
from matrix_client.store import StateStore
from server.subprocesses import terminate
from server.valkey import free_port
from tests.servers import wait_until

ROOT = Path(__file__).resolve().parent.parent


def test_raw_adapter_matches_headless(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may land in the working directory
    config_dir = tmp_path / "config"
    panel = {"rows": 32, "cols": 64, "chain_length": 2}
    emulator = EmulatorDisplay(panel, adapter="raw", config_dir=config_dir)
    assert emulator.size == (128, 32)
    headless = HeadlessDisplay(*emulator.size)
    assert (config_dir / "emulator_config.json").exists()
    assert not (tmp_path / "emulator_config.json").exists()

    pages = [RotationEntry(name, 1) for name in registry()]
    clocks = [ManualClock(datetime(2026, 11, 26, 18, 42, 7, tzinfo=UTC)) for _ in range(2)]
    store = StateStore()
    loops = [RenderLoop(display, store, pages, clock=clock, controls=queue.Queue())
             for display, clock in zip((emulator, headless), clocks, strict=True)]
    compared = 0
    for brightness in (100, 40):
        for loop in loops:
            loop.handle(Command("brightness", value=brightness))
        for _ in pages:
            for loop, clock in zip(loops, clocks, strict=True):
                loop.step()
                clock.advance(1)
            expected = headless.apparent()
            drawn = emulator.last_pixels()
            assert drawn is not None and drawn.size == expected.size
            assert headless.brightness == brightness
            assert drawn.tobytes() == expected.tobytes(), loops[1].entry.page
            assert drawn.tobytes().strip(b"\0") or brightness == 0
            compared += 1
    assert compared == 2 * len(pages)


def test_browser_adapter_serves_the_panel(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    log = tmp_path / "client.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "matrix_client", "--backend", "emulator",
             "--emulator-port", str(port), "--api", f"http://127.0.0.1:{free_port()}"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        page = wait_until(lambda: httpx.get(f"http://127.0.0.1:{port}/", timeout=1), 30,
                          what="emulator page")
        assert page.status_code == 200
        image = wait_until(lambda: httpx.get(f"http://127.0.0.1:{port}/image", timeout=1)
                           .content, 10, what="a frame")
        assert image
        assert f"emulator at http://localhost:{port}/" in log.read_text()
        assert (tmp_path / "cfg" / "glanceboard" / "emulator_config.json").exists()
        assert not (tmp_path / "emulator_config.json").exists()
    finally:
        terminate(process)
    assert process.returncode == 0, log.read_text()


def test_look_and_adapter_go_into_the_emulator_config(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    path = config_dir / "emulator_config.json"
    path.write_text(json.dumps({"display_adapter": "browser", "allow_adapter_fallback": True,
                                "pixel_size": 3, "browser": {"quality": 55}}))
    look = EmulatorLook(pixel_size=6, pixel_style="circle", pixel_glow=2, pixel_outline=1)
    display = EmulatorDisplay({"rows": 16, "cols": 32}, adapter="raw", port=9123,
                              config_dir=config_dir, look=look)
    written = json.loads(path.read_text())
    assert written["display_adapter"] == "raw"
    assert written["allow_adapter_fallback"] is False
    assert (written["pixel_size"], written["pixel_style"], written["pixel_glow"],
            written["pixel_outline"]) == (6, "circle", 2, 1)
    assert written["browser"]["quality"] == 55  # the user's edit stays
    assert written["browser"]["port"] == 9123
    assert "image_format" in written["browser"]  # missing defaults filled in

    # The outline: every cell's border is black, its centre is the LED's colour.
    display.show(Image.new("RGB", (32, 16), (10, 200, 30)))
    drawn = display._adapter._get_masked_image(display._adapter._last_frame())
    assert drawn.size == (32 * 6, 16 * 6)
    for x in range(32):
        for y in range(16):
            assert drawn.getpixel((x * 6 + 3, y * 6 + 3)) == (10, 200, 30)
            assert drawn.getpixel((x * 6, y * 6 + 3)) == (0, 0, 0)
            assert drawn.getpixel((x * 6 + 5, y * 6 + 3)) == (0, 0, 0)

    with pytest.raises(DisplayError, match="emulator_pixel_outline 3 leaves nothing"):
        EmulatorDisplay({"rows": 16, "cols": 32}, adapter="raw", config_dir=config_dir,
                        look=EmulatorLook(pixel_size=6, pixel_outline=3))
