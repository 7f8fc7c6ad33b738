"""The panel in software, through RGBMatrixEmulator (browser window by default).

RGBMatrixEmulator reads and writes ``emulator_config.json`` in the current
directory. We point it at a file in the user's config directory instead
(``~/.config/glanceboard/emulator_config.json`` unless configured), and the
adapter and browser port come from our own config, so the client behaves the
same wherever it is started from. The ``raw`` adapter keeps frames in memory
and serves the pixel-exactness tests.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PIL import Image

from matrix_client.display.canvas import SwappedCanvasDisplay
from matrix_client.display.errors import DisplayError

CONFIG_NAME = "emulator_config.json"
GEOMETRY_FIELDS = ("rows", "cols", "chain_length", "parallel", "pixel_mapper_config")


def _import_emulator(config_dir: Path) -> Any:
    """Import RGBMatrixEmulator with its config file looked up in ``config_dir``."""
    config_dir.mkdir(parents=True, exist_ok=True)
    previous = os.getcwd()
    # Its logger reads ./emulator_config.json at import time: be in the right directory then.
    os.chdir(config_dir)
    try:
        import RGBMatrixEmulator
        from RGBMatrixEmulator.internal.emulator_config import RGBMatrixEmulatorConfig
    except ImportError as exc:
        raise DisplayError(f"the emulator backend needs RGBMatrixEmulator ({exc}); "
                           "install it with: pip install '.[emulator]'") from None
    finally:
        os.chdir(previous)
    # It logs through its own handler; passing records on to ours would print them twice.
    logging.getLogger("RGBME").propagate = False
    # Every later read and write of its config goes to this absolute path.
    RGBMatrixEmulatorConfig.CONFIG_PATH = str(config_dir / CONFIG_NAME)
    return RGBMatrixEmulator


def _write_config(path: Path, adapter: str, port: int, defaults: dict[str, Any]) -> None:
    """Create the file on first use; afterwards keep the user's edits but our adapter/port."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError("not an object")
    except (OSError, ValueError):
        config = json.loads(json.dumps(defaults))
    config["display_adapter"] = adapter
    browser = config.setdefault("browser", dict(defaults.get("browser", {})))
    browser["port"] = port
    text = json.dumps(config, indent=4)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


class EmulatorDisplay(SwappedCanvasDisplay):
    def __init__(self, panel: Mapping[str, Any], adapter: str = "browser", port: int = 8888,
                 config_dir: Path | None = None) -> None:
        config_dir = config_dir or Path.home() / ".config" / "glanceboard"
        emulator = _import_emulator(config_dir)
        from RGBMatrixEmulator.adapters import ADAPTERS
        from RGBMatrixEmulator.internal.emulator_config import RGBMatrixEmulatorConfig

        if adapter not in ADAPTERS:
            raise DisplayError(f"unknown emulator adapter {adapter!r}; known: "
                               + ", ".join(ADAPTERS))
        self.config_path = config_dir / CONFIG_NAME
        _write_config(self.config_path, adapter, port, RGBMatrixEmulatorConfig.DEFAULT_CONFIG)
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
        # One adapter instance per class and process: start from a fresh one at our size.
        options.display_adapter.INSTANCE = None
        super().__init__(emulator.RGBMatrix(options=options))
        self._adapter = options.display_adapter.INSTANCE

    @property
    def url(self) -> str | None:
        return f"http://localhost:{self.port}/" if self.adapter_name == "browser" else None

    def _prepare(self, canvas: Any) -> None:
        canvas.Clear()  # its SetImage pastes over the old pixels; start from black

    def close(self) -> None:
        pass  # the browser adapter's server thread is a daemon: it ends with the process

    def last_pixels(self) -> Image.Image | None:
        """What the emulator drew last, as an image (raw adapter only)."""
        last = getattr(self._adapter, "_last_frame", None)
        if last is None or not getattr(self._adapter, "frames", None):
            return None
        return Image.fromarray(last(), "RGB")
