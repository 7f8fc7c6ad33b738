"""The panel in a desktop window (pygame, in a real Xvfb) and in RGBMatrixEmulator's own
browser page (in headless Chromium), against a real API server and Valkey.

Each shows the moon page: first without data, then a published Moon message
arrives. Both pictures are read back LED by LED (the centre of each cell) and
must equal the golden frames of that page exactly; the update must show
within 2 s.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from matrix_client.pages import samples
from matrix_client.pages.golden import FAILURE_DIR
from server.valkey import EmbeddedValkey, free_port
from tests.browser import (  # noqa: F401 (fixtures, by their name= names)
    browser_context_fixture,
    chromium_fixture,
    playwright_driver_fixture,
)
from tests.led_support import golden, wait_for_golden
from tests.servers import ApiProcess, Child, publish, python_module, wait_until
from tests.xserver import Xvfb, xserver_fixture  # noqa: F401 (fixture)

SIZE = (64, 32)
UPDATE_WITHIN = 2.0  # seconds from PUBLISH to the new picture on screen
# A look unlike RGBMatrixEmulator's defaults, so the test sees that ours was applied.
LOOK = {"emulator_pixel_size": 8, "emulator_pixel_style": "circle", "emulator_pixel_outline": 1}


def fresh_moon() -> dict:
    """The sample Moon message, produced now, so it is not stale on screen."""
    now = datetime.now().astimezone()
    return {"type": "Moon", "values": samples.moon(), "updated": now.isoformat(),
            "valid": (now + timedelta(hours=1)).isoformat(), "ts": int(now.timestamp() * 1000)}


def client(tmp_path: Path, api: ApiProcess, adapter: str, *extra: str,
           env: dict[str, str] | None = None, look: dict | None = None) -> Child:
    """``python -m matrix_client --backend emulator`` on the moon page, with its own home."""
    rotation = tmp_path / "rotation.yaml"
    rotation.write_text("- page: moon\n  seconds: 3600\n")
    config = tmp_path / "client.toml"
    config.write_text("[display]\n" + "".join(f"{key} = {json.dumps(value)}\n"
                                              for key, value in (look or LOOK).items()))
    home = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
            "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return Child(python_module("matrix_client", "--config", str(config), "--backend",
                               "emulator", "--adapter", adapter, "--api", api.url,
                               "--rotation", str(rotation), *extra),
                 tmp_path / f"client-{adapter}.log", env={**home, **(env or {})})


def show_and_update(take, pixel_size: int, valkey: EmbeddedValkey, name: str) -> float:
    """No data first, then publish Moon; seconds until the window showed it."""
    wait_for_golden(take, golden("moon", SIZE, "nodata"), pixel_size, timeout=30,
                    failure=FAILURE_DIR / f"{name}-nodata.png")
    publish(valkey.url, fresh_moon(), store=True)
    shown = wait_for_golden(take, golden("moon", SIZE), pixel_size, timeout=10,
                            failure=FAILURE_DIR / f"{name}-moon.png")
    return shown.seconds


def test_pygame_window_shows_the_goldens(xserver: Xvfb, valkey: EmbeddedValkey,
                                         api_server: ApiProcess, tmp_path: Path) -> None:
    child = client(tmp_path, api_server, "pygame", env=xserver.env())
    try:
        def take():
            assert child.alive(), child.log()
            return xserver.screenshot(f"glanceboard {SIZE[0]}x{SIZE[1]}")

        seconds = show_and_update(take, LOOK["emulator_pixel_size"], valkey, "window")
        print(f"update in the window after {seconds:.2f}s")
        assert seconds <= UPDATE_WITHIN, f"the update took {seconds:.2f}s to show"
        # The look came from our config: 8 px cells with a black outline between LEDs.
        window = take()
        size = LOOK["emulator_pixel_size"]
        corners = {window.getpixel((x * size, y * size))
                   for x in range(SIZE[0]) for y in range(SIZE[1])}
        assert corners == {(0, 0, 0)}
        assert "pygame adapter, in a desktop window" in child.log()
        assert "BrowserAdapter" not in child.log()
    finally:
        code = child.terminate()
    assert code == 0, child.log()


def test_browser_adapter_page_shows_the_goldens(browser_context, valkey: EmbeddedValkey,
                                                api_server: ApiProcess, tmp_path: Path
                                                ) -> None:
    # The user's own edit in the emulator config (lossless frames) must survive our writes.
    config_dir = tmp_path / "cfg" / "glanceboard"
    config_dir.mkdir(parents=True)
    (config_dir / "emulator_config.json").write_text(json.dumps(
        {"browser": {"image_format": "PNG", "port": 1, "target_fps": 30, "quality": 100,
                     "fps_display": False, "image_border": False, "debug_text": False,
                     "open_immediately": False}}))
    port = free_port()
    child = client(tmp_path, api_server, "browser", "--emulator-port", str(port))
    try:
        url = f"http://localhost:{port}/"
        wait_until(lambda: f"emulator at {url}" in child.log(), 30, what="the emulator URL")
        page = browser_context.new_page()
        page.goto(url)
        canvas = page.locator("#liveImg")

        def take():
            assert child.alive(), child.log()
            from io import BytesIO

            from PIL import Image

            with Image.open(BytesIO(canvas.screenshot())) as shot:
                return shot.convert("RGB")

        seconds = show_and_update(take, LOOK["emulator_pixel_size"], valkey, "browser")
        print(f"update in the browser page after {seconds:.2f}s")
        assert seconds <= UPDATE_WITHIN, f"the update took {seconds:.2f}s to show"
        saved = json.loads((config_dir / "emulator_config.json").read_text())
        assert saved["browser"]["image_format"] == "PNG"
        assert saved["browser"]["port"] == port
        assert saved["pixel_size"] == LOOK["emulator_pixel_size"]
        assert saved["allow_adapter_fallback"] is False
    finally:
        code = child.terminate()
    assert code == 0, child.log()


@pytest.fixture(name="no_pygame")
def no_pygame_fixture(tmp_path: Path) -> dict[str, str]:
    """An environment in which ``import pygame`` fails, as where it was never installed."""
    shadow = tmp_path / "shadow" / "pygame"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'pygame'\", name='pygame')\n")
    return {"PYTHONPATH": str(shadow.parent), "DISPLAY": ":99"}


def test_missing_pygame_is_one_line(no_pygame: dict[str, str], api_server: ApiProcess,
                                    tmp_path: Path) -> None:
    child = client(tmp_path, api_server, "pygame", env=no_pygame)
    code = child.process.wait(30)
    child.terminate()
    lines = child.log().strip().splitlines()
    assert code == 3
    assert lines == ["glanceboard-matrix: emulator adapter 'pygame' cannot start: Python "
                     "module 'pygame' is missing; install it with: pip install '.[emulator]' "
                     "(brings pygame-ce)"], lines


def test_window_adapter_without_a_desktop_is_one_line(api_server: ApiProcess,
                                                      tmp_path: Path) -> None:
    child = client(tmp_path, api_server, "pygame", env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    code = child.process.wait(30)
    child.terminate()
    lines = child.log().strip().splitlines()
    assert code == 3
    assert len(lines) == 1 and "'pygame' needs a desktop session" in lines[0], lines
    assert "DISPLAY" in lines[0]


def test_fallback_only_when_asked_and_logged(no_pygame: dict[str, str], api_server: ApiProcess,
                                             tmp_path: Path) -> None:
    port = free_port()
    child = client(tmp_path, api_server, "pygame", "--fallback-adapter", "browser",
                   "--emulator-port", str(port), env=no_pygame)
    try:
        url = f"http://localhost:{port}/"
        wait_until(lambda: f"browser adapter, in {url}" in child.log(), 30,
                   what="the log line naming the adapter that runs")
        log = child.log()
        assert "'pygame' cannot start" in log
        assert "falling back to the browser adapter" in log
        assert f"emulator at {url}" in log
    finally:
        code = child.terminate()
    assert code == 0, child.log()


def test_closing_the_window_stops_cleanly(xserver: Xvfb, tmp_path: Path, monkeypatch) -> None:
    import pygame
    from PIL import Image

    from matrix_client.clock import ManualClock
    from matrix_client.display.emulator import EmulatorDisplay, EmulatorLook
    from matrix_client.loop import RenderLoop
    from matrix_client.rotation import RotationEntry
    from matrix_client.store import StateStore

    monkeypatch.setenv("DISPLAY", xserver.display)
    display = EmulatorDisplay({"rows": 32, "cols": 64}, adapter="pygame",
                              config_dir=tmp_path / "cfg", look=EmulatorLook(pixel_size=4))
    loop = RenderLoop(display, StateStore(), [RotationEntry("moon", 60)],
                      clock=ManualClock(datetime.now().astimezone()))
    loop.step()
    assert xserver.screenshot("glanceboard 64x32").size == (256, 128)
    # What pygame makes of the window manager's message when the user closes the window;
    # the emulator reads its events with the next frame.
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    with pytest.raises(SystemExit):
        display.show(Image.new("RGB", (64, 32), (255, 0, 0)))
    loop.shutdown()  # leaves the closed window alone instead of raising
    display.show(Image.new("RGB", (64, 32)))
    with pytest.raises(RuntimeError):
        xserver.window_id("glanceboard 64x32", timeout=2)
