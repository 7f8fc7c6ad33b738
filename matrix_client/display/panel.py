"""The real LED panel, through hzeller's ``rgbmatrix`` Python bindings.

``rgbmatrix`` is imported here and nowhere else: it exists only on a Pi
where it was built from source (docs/raspberry-pi.md, "Build the panel
driver"). Pictures go to an offscreen canvas and are swapped in on the
panel's vertical sync, so a frame never shows half drawn.

Before the driver opens, what would make it crash or exit rather than fail
cleanly is refused with a message: a loaded on-board sound module (the
library calls exit(1)) and a Pillow the bindings cannot read pictures from
(every frame would raise). The option values were checked with the config.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matrix_client.display.canvas import SwappedCanvasDisplay
from matrix_client.display.errors import DisplayError
from matrix_client.panel_options import PILLOW_RANGE, UPSTREAM_COMMIT

DOCS = "docs/raspberry-pi.md"
MISSING_DRIVER = (
    "the panel backend needs hzeller's rgbmatrix Python module, which is not installed "
    "in this Python ({error}). It is built from source on the Pi: see "
    f"{DOCS}, section 'Build the panel driver'. To try the client "
    "without a panel, use --backend emulator or --backend headless."
)
SOUND_MODULE = "snd_bcm2835"
SOUND_LOADED = (
    f"the Pi's on-board sound module ({SOUND_MODULE}) is loaded; the LED driver shares its "
    "timing hardware and exits at once. Turn it off: dtparam=audio=off in "
    "/boot/firmware/config.txt and 'blacklist snd_bcm2835' in "
    f"/etc/modprobe.d/blacklist-rgb-matrix.conf, then reboot ({DOCS}, 'OS settings'); "
    "or set [panel] disable_hardware_pulsing = true (more flicker)"
)


def sound_module_loaded(modules: Path = Path("/proc/modules")) -> bool:
    """True when the on-board sound module is loaded (the library's own test)."""
    try:
        text = modules.read_text()
    except OSError:
        return False
    return any(line.startswith(SOUND_MODULE) for line in text.splitlines())


class _ProbeImage:
    """Stands in for a 1x1 RGB picture; notes whether the bindings asked for ``getim()``."""

    mode = "RGB"
    size = (1, 1)

    def __init__(self) -> None:
        self.asked = False

    def getim(self) -> object:
        self.asked = True
        return object()  # never read: the empty canvas refuses before it touches pixels


def pillow_mismatch(driver: Any, pillow: Any) -> str | None:
    """Why the installed bindings cannot read pictures from this Pillow, or None.

    Asks an empty ``FrameCanvas`` (no matrix, so nothing reaches the hardware) to show a
    probe picture: bindings from late 2025 on call ``Image.getim()`` before they find the
    canvas empty; older ones go straight to the canvas and read
    ``ImagingCore.unsafe_ptrs`` later, which Pillow 12 removed. (The compiled module's
    strings cannot be searched: Cython 3 stores them compressed.)
    """
    probe = _ProbeImage()
    with contextlib.suppress(Exception):  # the empty canvas always refuses; we only watch
        driver.FrameCanvas().SetImage(probe)
    if probe.asked:
        if not hasattr(pillow.Image.Image, "getim"):
            return (f"rgbmatrix reads pictures with Image.getim(), which Pillow "
                    f"{pillow.__version__} lacks: pip install 'Pillow{PILLOW_RANGE}' in this "
                    "venv")
        return None
    if not hasattr(pillow.Image.new("RGB", (1, 1)).im, "unsafe_ptrs"):
        return (f"this rgbmatrix predates late 2025 and reads pictures through "
                f"ImagingCore.unsafe_ptrs, which Pillow {pillow.__version__} removed: rebuild "
                f"the driver at commit {UPSTREAM_COMMIT[:12]} ({DOCS})")
    return None


def import_driver() -> Any:
    """The ``rgbmatrix`` module, or DisplayError saying how to get one that works here."""
    try:
        import rgbmatrix  # the Pi-only driver
    except ImportError as exc:
        raise DisplayError(MISSING_DRIVER.format(error=exc)) from None
    import PIL
    import PIL.Image

    why = pillow_mismatch(rgbmatrix, PIL)
    if why:
        raise DisplayError(why)
    return rgbmatrix


def build_options(options_class: type, panel: Mapping[str, Any]) -> Any:
    """An ``RGBMatrixOptions`` carrying the settings given; the rest keep its defaults."""
    options = options_class()
    for name, value in panel.items():
        setattr(options, name, value)
    return options


class PanelDisplay(SwappedCanvasDisplay):
    def __init__(self, panel: Mapping[str, Any], modules: Path = Path("/proc/modules")) -> None:
        if not panel.get("disable_hardware_pulsing") and sound_module_loaded(modules):
            raise DisplayError(SOUND_LOADED)
        rgbmatrix = import_driver()
        try:
            matrix = rgbmatrix.RGBMatrix(options=build_options(rgbmatrix.RGBMatrixOptions,
                                                               panel))
        except Exception as exc:  # the C++ side reports GPIO/permission trouble this way
            raise DisplayError(f"the LED panel did not start: {exc} (the driver needs root "
                               f"at start to reach the GPIO; see {DOCS})") from exc
        super().__init__(matrix)
        self._brightness = int(panel.get("brightness") or 100)

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
