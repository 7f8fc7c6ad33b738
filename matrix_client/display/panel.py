"""The real LED panel, through hzeller's ``rgbmatrix`` Python bindings.

``rgbmatrix`` is imported here and nowhere else: it exists only on a Pi
where it was built from source (docs/matrix-client.md, "Building the panel
driver"). Pictures go to an offscreen canvas and are swapped in on the
panel's vertical sync, so a frame never shows half drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matrix_client.display.canvas import SwappedCanvasDisplay
from matrix_client.display.errors import DisplayError

MISSING_DRIVER = (
    "the panel backend needs hzeller's rgbmatrix Python module, which is not installed "
    "in this Python ({error}). It is built from source on the Pi: see "
    "docs/matrix-client.md, section 'Building the panel driver'. To try the client "
    "without a panel, use --backend emulator or --backend headless."
)

# Config key -> RGBMatrixOptions attribute (the same names, on purpose).
OPTION_FIELDS = (
    "rows", "cols", "chain_length", "parallel", "hardware_mapping", "gpio_slowdown",
    "pwm_bits", "pwm_lsb_nanoseconds", "pwm_dither_bits", "brightness",
    "pixel_mapper_config", "scan_mode", "row_address_type", "multiplexing",
    "led_rgb_sequence", "limit_refresh_rate_hz", "disable_hardware_pulsing", "drop_privileges",
)


def build_options(options_class: type, panel: Mapping[str, Any]) -> Any:
    """An ``RGBMatrixOptions`` carrying every panel setting from the config."""
    options = options_class()
    for name in OPTION_FIELDS:
        if name in panel:
            setattr(options, name, panel[name])
    return options


class PanelDisplay(SwappedCanvasDisplay):
    def __init__(self, panel: Mapping[str, Any]) -> None:
        try:
            from rgbmatrix import RGBMatrix, RGBMatrixOptions  # the Pi-only driver
        except ImportError as exc:
            raise DisplayError(MISSING_DRIVER.format(error=exc)) from None
        try:
            matrix = RGBMatrix(options=build_options(RGBMatrixOptions, panel))
        except Exception as exc:  # the C++ side reports GPIO/permission trouble this way
            raise DisplayError(f"the LED panel did not start: {exc} (the driver needs root "
                               "at start to reach the GPIO; see docs/matrix-client.md)") from exc
        super().__init__(matrix)
        self._brightness = int(panel.get("brightness", 100))

    def _prepare(self, canvas: Any) -> None:
        canvas.brightness = self._brightness

    def set_brightness(self, percent: int) -> None:
        self._brightness = max(0, min(100, int(percent)))
        super().set_brightness(percent)

    def clear(self) -> None:
        super().clear()
        self._matrix.Clear()

    def close(self) -> None:
        self._matrix.Clear()
