"""What each RGBMatrixEmulator adapter needs, and a one-line reason when it is missing.

RGBMatrixEmulator loads the adapter named in its config file as soon as it is
imported, and on failure either exits the process or quietly moves on to
another adapter. We import what the adapter needs ourselves first, so a missing
dependency becomes one line that names the adapter, what is missing and how to
get it.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field

from matrix_client.display.errors import DisplayError


@dataclass(frozen=True)
class AdapterNeeds:
    shows: str  # where the picture appears
    install: str  # how to get what it imports ("" = nothing beyond the emulator extra)
    desktop: bool = False  # opens a window: needs a graphical session
    modules: tuple[str, ...] = field(default=())  # what its RGBMatrixEmulator module imports


ADAPTER_NEEDS: dict[str, AdapterNeeds] = {
    "browser": AdapterNeeds("a web page served on emulator_port", "", modules=("tornado",)),
    "pygame": AdapterNeeds("a desktop window", "pip install '.[emulator]' (brings pygame-ce)",
                           desktop=True, modules=("pygame",)),
    "tkinter": AdapterNeeds("a desktop window", "Python's tkinter: apt install python3-tk "
                            "(Debian/Ubuntu), brew install python-tk (macOS)", desktop=True,
                            modules=("tkinter",)),
    "turtle": AdapterNeeds("a desktop window, drawn slowly", "Python's tkinter: apt install "
                           "python3-tk (Debian/Ubuntu), brew install python-tk (macOS)",
                           desktop=True, modules=("tkinter", "turtle")),
    "terminal": AdapterNeeds("the terminal, as coloured characters", ""),
    "sixel": AdapterNeeds("the terminal, as sixel graphics (a terminal that shows them)",
                          "pip install libsixel-python", modules=("libsixel",)),
    "raw": AdapterNeeds("nowhere: frames are kept in memory (tests)", ""),
}


def check_adapter(name: str) -> None:
    """Raise DisplayError, in one line, when adapter ``name`` cannot start here."""
    needs = ADAPTER_NEEDS.get(name)
    if needs is None:
        raise DisplayError(f"unknown emulator adapter {name!r}; known: "
                           + ", ".join(ADAPTER_NEEDS))
    if needs.desktop and not _has_desktop(name):
        # Without one, SDL would quietly draw into an offscreen buffer nobody sees.
        raise DisplayError(f"emulator adapter {name!r} needs a desktop session to open its "
                           "window, and neither DISPLAY nor WAYLAND_DISPLAY is set; on a "
                           "machine without a screen use --adapter browser")
    if name == "pygame":
        # Its mixer starts with pygame.init(); the panel has no sound, so no audio device noise.
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        # A plain framebuffer for the window: SDL's default sets up a GPU (or software GL)
        # renderer first, which cost a third of a second before the first frame and buys
        # nothing for one blit per frame.
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    for module in needs.modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            how = needs.install or "pip install '.[emulator]'"
            raise DisplayError(f"emulator adapter {name!r} cannot start: Python module "
                               f"{exc.name or module!r} is missing; install it with: "
                               f"{how}") from None


def _has_desktop(name: str) -> bool:
    if not sys.platform.startswith("linux"):
        return True  # Windows and macOS always have one
    if name == "pygame" and os.environ.get("SDL_VIDEODRIVER"):
        return True  # the user chose SDL's video driver on purpose
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
