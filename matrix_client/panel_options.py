"""The LED driver's options as the pinned rpi-rgb-led-matrix defines them, and its checks.

hzeller's library does not raise on an option it rejects: ``RGBMatrix()``
gets a NULL matrix from C++ and the next call segfaults; a parallel count the
wiring cannot carry aborts. So every value the pinned library would refuse is
refused here first, with the key and the file. The ranges and names below are
read from ``lib/options-initialize.cc`` (``Options::Validate``),
``lib/led-matrix.cc`` (``CreateFromOptions``), ``lib/hardware-mapping.c``,
``lib/multiplex-mappers.cc``, ``lib/pixel-mapper.cc`` and
``bindings/python/rgbmatrix/core.pyx`` at :data:`UPSTREAM_COMMIT`.

Only the panel geometry has a default here (the client draws at that size);
every other option is handed to the driver only when the user set it, so the
library keeps its own defaults (``gpio_slowdown`` 2 on a Pi 4, else 1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from matrix_client.checks import boolean as _bool
from matrix_client.checks import integer as _int
from matrix_client.checks import string

UPSTREAM_REPO = "https://github.com/hzeller/rpi-rgb-led-matrix"
UPSTREAM_COMMIT = "cf60d08f9b77c7216a51964602f8d9fc6d96d7c7"  # 2026-05-19, master
# The pinned bindings read pictures through the capsule Image.getim() returns; bindings
# from before late 2025 read ImagingCore.unsafe_ptrs, which Pillow 12 removed (deprecated
# in 11). A build of the pinned commit imports and takes the getim() path with Pillow
# 11.3 to 13.0; Pillow removes an API only in a major release after deprecating it, and
# 13 has not deprecated getim().
PILLOW_RANGE = ">=11.0,<14"

# name -> how many chains may run in parallel on that wiring (3 is Validate's limit).
HARDWARE_MAPPINGS: dict[str, int] = {
    "regular": 3, "adafruit-hat": 1, "adafruit-hat-pwm": 1, "regular-pi1": 1,
    "classic": 3, "classic-pi1": 1, "compute-module": 3,
}
MULTIPLEXERS = 22  # mappers registered in CreateMultiplexMapperList(); 0 = none
PIXEL_MAPPERS = ("Rotate", "Mirror", "U-mapper", "V-mapper", "StackToRow", "Remap")
PANEL_TYPES = ("FM6126A", "FM6127")
GEOMETRY_DEFAULTS = {"rows": 32, "cols": 64, "chain_length": 1, "parallel": 1}


def _text(value: Any) -> str:
    return string(value).strip()


def _hardware_mapping(value: Any) -> str:
    name = _text(value).lower()
    if name not in HARDWARE_MAPPINGS:
        raise ValueError(f"expected one of {', '.join(HARDWARE_MAPPINGS)}, got {value!r}")
    return name


def _rgb_sequence(value: Any) -> str:
    text = _text(value)
    if len(text) != 3 or sorted(text.upper()) != ["B", "G", "R"]:
        raise ValueError(f"expected the three letters R, G and B in the panel's order "
                         f"(e.g. RGB, RBG, GBR), got {value!r}")
    return text


def _pixel_mappers(value: Any) -> str:
    text = _text(value)
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, param = part.partition(":")
        if not name:
            raise ValueError(f"parameter ':{param}' has no mapper name before it")
        if name.lower() not in (m.lower() for m in PIXEL_MAPPERS):
            raise ValueError(f"unknown pixel mapper {name!r}; known: " + ", ".join(PIXEL_MAPPERS))
    return text


def _panel_type(value: Any) -> str:
    text = _text(value)
    # The library matches the first six letters, without case.
    if text and not any(text[:6].lower() == known[:6].lower() for known in PANEL_TYPES):
        raise ValueError(f"expected {' or '.join(PANEL_TYPES)} (or \"\" for a plain panel), "
                         f"got {value!r}")
    return text


def _user_name(value: Any) -> str:
    text = _text(value)
    if not text:
        raise ValueError("expected a user or group name, got an empty string")
    return text


def _even(value: int) -> str | None:
    return None if value % 2 == 0 else f"expected an even number of rows, got {value}"


def _no_daemon(value: int) -> str | None:
    # daemon(1, 0) forks: systemd would lose the main process and its READY/watchdog.
    return None if value == 0 else "the service manager runs the client; daemon must stay 0"


# name -> check. Types and limits as the pinned library checks them; the Python setters
# (core.pyx) are uint8_t for most ints, so anything past 255 fails there as well.
OPTIONS: dict[str, Callable[[Any], Any]] = {
    "rows": _int(8, 64, _even),
    "cols": _int(16, 4096),
    "chain_length": _int(1, 255),
    "parallel": _int(1, 3),
    "hardware_mapping": _hardware_mapping,
    "gpio_slowdown": _int(0, 10),
    "rp1_rio": _int(0, 1),
    "pwm_bits": _int(1, 11),
    "pwm_lsb_nanoseconds": _int(50, 3000),
    "pwm_dither_bits": _int(0, 2),
    "brightness": _int(1, 100),
    "scan_mode": _int(0, 1),
    "row_address_type": _int(0, 5),
    "multiplexing": _int(0, MULTIPLEXERS),
    "led_rgb_sequence": _rgb_sequence,
    "pixel_mapper_config": _pixel_mappers,
    "panel_type": _panel_type,
    "limit_refresh_rate_hz": _int(0, 100000),
    "disable_hardware_pulsing": _bool,
    "show_refresh_rate": _bool,
    "inverse_colors": _bool,
    "daemon": _int(0, 1, _no_daemon),
    "drop_privileges": _bool,
    "drop_priv_user": _user_name,
    "drop_priv_group": _user_name,
}


def cross_check(panel: Mapping[str, Any]) -> tuple[str, str] | None:
    """(key, why) for a combination the library rejects or aborts on, else None."""
    mapping = panel.get("hardware_mapping") or "regular"
    most = HARDWARE_MAPPINGS[mapping]
    if panel.get("parallel", 1) > most:
        return "parallel", (f"the {mapping} wiring carries at most {most} parallel "
                            f"chain{'s' if most > 1 else ''}, got {panel['parallel']}")
    return None


def driver_settings(panel: Mapping[str, Any]) -> dict[str, Any]:
    """What is set on ``RGBMatrixOptions``: the geometry, and every option the user set."""
    return {name: value for name, value in panel.items()
            if name in OPTIONS and value is not None}
