"""Open the configured backend; the heavy modules load only when chosen."""

from __future__ import annotations

from matrix_client.config import ClientConfig
from matrix_client.display.base import Display
from matrix_client.panel_options import driver_settings


def open_display(config: ClientConfig, backend: str | None = None) -> Display:
    backend = backend or config.backend
    # Only what is set: an option left out keeps the driver's own default.
    panel = driver_settings(config.values["panel"])
    if backend == "headless":
        from matrix_client.display.headless import HeadlessDisplay

        return HeadlessDisplay(config.width, config.height)
    if backend == "emulator":
        from matrix_client.display.emulator import EmulatorDisplay

        return EmulatorDisplay(panel, adapter=config.get("display", "emulator_adapter"),
                               port=config.get("display", "emulator_port"),
                               config_dir=config.emulator_config_dir)
    if backend == "panel":
        from matrix_client.display.panel import PanelDisplay

        return PanelDisplay(panel)
    raise ValueError(f"unknown display backend {backend!r}")
