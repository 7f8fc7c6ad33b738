"""Open the configured backend; the heavy modules load only when chosen."""

from __future__ import annotations

from matrix_client.config import ClientConfig
from matrix_client.display.base import Display


def open_display(config: ClientConfig, backend: str | None = None) -> Display:
    backend = backend or config.backend
    panel = dict(config.values["panel"])
    if backend == "headless":
        from matrix_client.display.headless import HeadlessDisplay

        return HeadlessDisplay(config.width, config.height)
    if backend == "emulator":
        from matrix_client.display.emulator import EmulatorLook, open_emulator

        look = EmulatorLook(*(config.get("display", f"emulator_pixel_{name}")
                              for name in ("size", "style", "glow", "outline")))
        return open_emulator(panel, config.get("display", "emulator_adapter"),
                             fallback=config.get("display", "emulator_fallback"),
                             port=config.get("display", "emulator_port"),
                             config_dir=config.emulator_config_dir, look=look)
    if backend == "panel":
        from matrix_client.display.panel import PanelDisplay

        return PanelDisplay(panel)
    raise ValueError(f"unknown display backend {backend!r}")
