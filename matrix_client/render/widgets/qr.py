"""QR: a code a phone can scan off the panel, every module whole pixels.

The code maths (smallest version at error correction L, the largest module
that fits with a quiet zone, light modules lit) is the Wi-Fi page's, used
here as is; ``qrcode`` is imported only when a QR widget is first measured.
Data too long for the room draws nothing (a page can offer a BySize or text
instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from matrix_client.render.widgets.base import Drawn, Size

MAX_DATA = 1000


@lru_cache(maxsize=16)
def qr_picture(data: str, room: int, largest: int) -> Image.Image | None:
    """The drawn code for ``data`` fitting a ``room`` px square, modules at most ``largest``."""
    from matrix_client.pages.wifi import fit, qr_image, qr_matrix

    try:
        modules = len(qr_matrix(data))
    except Exception:  # qrcode raises DataOverflowError and others for impossible input
        return None
    size, quiet = fit(modules, room)
    if not size:
        return None
    if size > largest:  # smaller modules than would fit: the widest quiet zone up to 4
        size = largest
        quiet = min(4, (room // size - modules) // 2)
    return qr_image(data, size, quiet)


@dataclass(eq=False)
class QR(Drawn):
    """``data`` as a square code as large as fits (modules up to ``module`` px)."""

    data: str
    module: int = 4

    def picture(self, room: Size) -> Image.Image | None:
        data = self.data.strip()[:MAX_DATA] if isinstance(self.data, str) else ""
        if not data:
            return None
        return qr_picture(data, min(room), max(1, self.module))
