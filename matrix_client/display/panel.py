"""The real LED panel, through hzeller's ``rgbmatrix`` Python bindings.

``rgbmatrix`` is imported here and nowhere else: it exists only on a Pi
where it was built from source (docs/matrix-client.md, "Building the panel
driver"). Pictures go to an offscreen canvas and are swapped in on the
panel's vertical sync, so a frame never shows half drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PIL import Image

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


class PanelDisplay:
    def __init__(self, panel: Mapping[str, Any]) -> None:
        try:
            from rgbmatrix import RGBMatrix, RGBMatrixOptions  # the Pi-only driver
        except ImportError as exc:
            raise DisplayError(MISSING_DRIVER.format(error=exc)) from None
        try:
            self._matrix = RGBMatrix(options=build_options(RGBMatrixOptions, panel))
        except Exception as exc:  # the C++ side reports GPIO/permission trouble this way
            raise DisplayError(f"the LED panel did not start: {exc} (the driver needs root "
                               "at start to reach the GPIO; see docs/matrix-client.md)") from exc
        self._canvas = self._matrix.CreateFrameCanvas()
        self._size = (self._matrix.width, self._matrix.height)
        self._last: Image.Image | None = None
        self._brightness = int(panel.get("brightness", 100))

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def show(self, image: Image.Image) -> None:
        self._last = image
        self._canvas.brightness = self._brightness
        self._canvas.SetImage(image.convert("RGB") if image.mode != "RGB" else image)
        self._canvas = self._matrix.SwapOnVSync(self._canvas)

    def set_brightness(self, percent: int) -> None:
        self._brightness = max(0, min(100, int(percent)))
        self._matrix.brightness = self._brightness
        # The driver applies brightness as pixels are written: redraw the picture.
        if self._last is not None:
            self.show(self._last)

    def clear(self) -> None:
        self._last = None
        self._canvas.Clear()
        self._canvas = self._matrix.SwapOnVSync(self._canvas)
        self._matrix.Clear()

    def close(self) -> None:
        self._matrix.Clear()
