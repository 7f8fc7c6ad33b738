"""The panel in software, through RGBMatrixEmulator: a window, a browser page, a terminal.

RGBMatrixEmulator reads and writes ``emulator_config.json`` in the current
directory. We point it at a file in the user's config directory instead
(``~/.config/glanceboard/emulator_config.json`` unless configured) and write
into it, on each start, what our own config says: the adapter, the browser
port and the LEDs' look. Its own adapter fallback is always off: the adapter
that runs is the one asked for, or the configured fallback, and the log says
which. The ``raw`` adapter keeps frames in memory and serves the
pixel-exactness tests.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from matrix_client.display.canvas import SwappedCanvasDisplay
from matrix_client.display.emulator_adapters import (
    ADAPTER_NEEDS,
    check_adapter,
)
from matrix_client.display.errors import DisplayError

CONFIG_NAME = "emulator_config.json"
GEOMETRY_FIELDS = ("rows", "cols", "chain_length", "parallel", "pixel_mapper_config")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmulatorLook:
    """How each LED is drawn: RGBMatrixEmulator's pixel_size/_style/_glow/_outline."""

    pixel_size: int = 16
    pixel_style: str = "square"
    pixel_glow: int = 6
    pixel_outline: int = 0  # black border around each LED; the spacing is twice this

    def check(self) -> None:
        if 2 * self.pixel_outline >= self.pixel_size:
            raise DisplayError(f"[display] emulator_pixel_outline {self.pixel_outline} leaves "
                               f"nothing of a {self.pixel_size} px LED; use at most "
                               f"{(self.pixel_size - 1) // 2}")


def _import_emulator(config_dir: Path) -> Any:
    """Import RGBMatrixEmulator with its config file looked up in ``config_dir``.

    The import itself reads that file and loads the adapter it names (a default
    argument builds an ``RGBMatrixOptions``), so the file must be right before.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    own = logging.getLogger("RGBME")
    if "RGBMatrixEmulator" not in sys.modules:
        own.propagate = False  # until its handler is gone: no line twice
    previous = os.getcwd()
    # Its logger reads ./emulator_config.json at import time: be in the right directory then.
    os.chdir(config_dir)
    try:
        import RGBMatrixEmulator
        from RGBMatrixEmulator.internal.emulator_config import RGBMatrixEmulatorConfig
    except ImportError as exc:
        raise DisplayError(f"the emulator backend needs RGBMatrixEmulator ({exc}); "
                           "install it with: pip install '.[emulator]'") from None
    except SystemExit:  # it exits when the adapter in its file cannot load
        raise DisplayError("RGBMatrixEmulator could not load its display adapter; see the "
                           "messages above") from None
    finally:
        os.chdir(previous)
    # Its records go through our handlers, in our format.
    for handler in list(own.handlers):
        own.removeHandler(handler)
    own.propagate = True
    # Every later read and write of its config goes to this absolute path.
    RGBMatrixEmulatorConfig.CONFIG_PATH = str(config_dir / CONFIG_NAME)
    return RGBMatrixEmulator


def _write_config(path: Path, adapter: str, port: int, look: EmulatorLook,
                  defaults: Mapping[str, Any]) -> None:
    """Set our keys in the file, keeping the user's other edits; add missing defaults."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError("not an object")
    except (OSError, ValueError):
        config = {}
    for key, value in json.loads(json.dumps(dict(defaults))).items():
        config.setdefault(key, value)
    config["display_adapter"] = adapter
    config["allow_adapter_fallback"] = False  # ours is explicit: [display] emulator_fallback
    config.update(pixel_size=look.pixel_size, pixel_style=look.pixel_style,
                  pixel_glow=look.pixel_glow, pixel_outline=look.pixel_outline)
    browser = config.get("browser")
    if not isinstance(browser, dict):
        browser = config["browser"] = {}
    for key, value in dict(defaults.get("browser", {})).items():
        browser.setdefault(key, value)
    browser["port"] = port
    text = json.dumps(config, indent=4)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _outline_mask(mask: Image.Image, pixel_size: int, outline: int) -> Image.Image:
    """``mask`` with a black border of ``outline`` px around every LED cell."""
    grid = mask.copy()
    draw = ImageDraw.Draw(grid)
    width, height = grid.size
    for start in range(0, width, pixel_size):
        draw.rectangle((start, 0, start + outline - 1, height), fill=0)
        draw.rectangle((start + pixel_size - outline, 0, start + pixel_size - 1, height), fill=0)
    for start in range(0, height, pixel_size):
        draw.rectangle((0, start, width, start + outline - 1), fill=0)
        draw.rectangle((0, start + pixel_size - outline, width, start + pixel_size - 1), fill=0)
    return grid


class EmulatorDisplay(SwappedCanvasDisplay):
    def __init__(self, panel: Mapping[str, Any], adapter: str = "browser", port: int = 8888,
                 config_dir: Path | None = None, look: EmulatorLook | None = None) -> None:
        look = look or EmulatorLook()
        look.check()
        config_dir = config_dir or Path.home() / ".config" / "glanceboard"
        check_adapter(adapter)
        self.config_path = config_dir / CONFIG_NAME
        if self.config_path.exists():  # else the import writes its defaults first
            _write_config(self.config_path, adapter, port, look, {})
        emulator = _import_emulator(config_dir)
        from RGBMatrixEmulator.internal.emulator_config import RGBMatrixEmulatorConfig

        _write_config(self.config_path, adapter, port, look,
                      RGBMatrixEmulatorConfig.DEFAULT_CONFIG)
        try:
            options = emulator.RGBMatrixOptions()
        except SystemExit:  # it exits when an adapter cannot load
            raise DisplayError(f"emulator adapter {adapter!r} could not load; "
                               "see the messages above") from None
        for name in GEOMETRY_FIELDS:
            if name in panel:
                setattr(options, name, panel[name])
        options.brightness = int(panel.get("brightness", 100))
        self.adapter_name = adapter
        self.port = port
        self.look = look
        self._closed = False
        # One adapter instance per class and process: start from a fresh one at our size.
        options.display_adapter.INSTANCE = None
        matrix = emulator.RGBMatrix(options=options)
        # The window's title (and the browser tab's), unless the user set one in the file.
        options.emulator_title = (options.emulator_title
                                  or f"glanceboard {matrix.width}x{matrix.height}")
        try:
            super().__init__(matrix)  # the adapter opens its window or server here
        except Exception as exc:
            raise DisplayError(f"emulator adapter {adapter!r} could not open "
                               f"{_shows(adapter)}: {exc}") from None
        self._adapter = options.display_adapter.INSTANCE
        if look.pixel_outline and adapter != "sixel":
            self._apply_outline()

    def _apply_outline(self) -> None:
        # RGBMatrixEmulator draws the outline in its sixel adapter only; the others paint
        # every LED through one mask, drawn once at start, which gets the border here.
        name = "_BaseAdapter__mask"
        mask = getattr(self._adapter, name, None)
        if not isinstance(mask, Image.Image):
            log.warning("this RGBMatrixEmulator version draws no LED outline on the %s "
                        "adapter; emulator_pixel_outline ignored", self.adapter_name)
            return
        setattr(self._adapter, name,
                _outline_mask(mask, self.look.pixel_size, self.look.pixel_outline))

    @property
    def url(self) -> str | None:
        return f"http://localhost:{self.port}/" if self.adapter_name == "browser" else None

    @property
    def description(self) -> str:
        """Which adapter runs and where its picture is, for the start-up log line."""
        where = self.url or _shows(self.adapter_name)
        look = self.look
        return (f"emulator, {self.adapter_name} adapter, in {where} ({look.pixel_size} px "
                f"{look.pixel_style} LEDs)")

    def _prepare(self, canvas: Any) -> None:
        canvas.Clear()  # its SetImage pastes over the old pixels; start from black

    def show(self, image: Image.Image) -> None:
        if self._closed:
            return
        try:
            super().show(image)
        except SystemExit:  # the window was closed: pygame is shut down, the client stops
            self._closed = True
            raise

    def clear(self) -> None:
        if not self._closed:
            super().clear()

    def close(self) -> None:
        pass  # the browser adapter's server thread is a daemon: it ends with the process

    def last_pixels(self) -> Image.Image | None:
        """What the emulator drew last, as an image (raw adapter only)."""
        last = getattr(self._adapter, "_last_frame", None)
        if last is None or not getattr(self._adapter, "frames", None):
            return None
        return Image.fromarray(last(), "RGB")


def _shows(adapter: str) -> str:
    needs = ADAPTER_NEEDS.get(adapter)
    return needs.shows if needs else f"the {adapter} adapter"


def open_emulator(panel: Mapping[str, Any], adapter: str, fallback: str = "", port: int = 8888,
                  config_dir: Path | None = None, look: EmulatorLook | None = None
                  ) -> EmulatorDisplay:
    """The adapter asked for; the fallback only when one is configured, and said so."""
    try:
        return EmulatorDisplay(panel, adapter, port, config_dir, look)
    except DisplayError as exc:
        if not fallback or fallback == adapter:
            raise
        log.warning("%s; falling back to the %s adapter ([display] emulator_fallback)",
                    exc, fallback)
    return EmulatorDisplay(panel, fallback, port, config_dir, look)
