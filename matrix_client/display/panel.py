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


def pillow_mismatch(core_file: str | None, pillow_version: str) -> str | None:
    """Why the installed bindings cannot read pictures from this Pillow, or None.

    The compiled ``rgbmatrix.core`` names the attribute it reads pictures through:
    ``getim`` (bindings from late 2025 on, Pillow 11+) or ``unsafe_ptrs`` (older
    bindings; Pillow 12 removed it).
    """
    if not core_file:
        return None
    try:
        code = Path(core_file).read_bytes()
    except OSError:
        return None
    major = int(pillow_version.split(".")[0])
    if b"getim" in code and major < 11:
        return (f"rgbmatrix reads pictures with Image.getim(), which Pillow {pillow_version} "
                f"lacks: pip install 'Pillow{PILLOW_RANGE}' in this venv")
    if b"getim" not in code and b"unsafe_ptrs" in code and major >= 12:
        return (f"this rgbmatrix predates late 2025 and reads pictures through "
                f"ImagingCore.unsafe_ptrs, which Pillow {pillow_version} removed: rebuild "
                f"the driver at commit {UPSTREAM_COMMIT[:12]} ({DOCS})")
    return None


def import_driver() -> Any:
    """The ``rgbmatrix`` module, or DisplayError saying how to get one that works here."""
    try:
        import rgbmatrix  # the Pi-only driver
        import rgbmatrix.core
    except ImportError as exc:
        raise DisplayError(MISSING_DRIVER.format(error=exc)) from None
    import PIL

    why = pillow_mismatch(getattr(rgbmatrix.core, "__file__", None), PIL.__version__)
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
