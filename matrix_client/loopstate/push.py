"""Composing the overlay over the page and pushing only pictures that changed."""

from __future__ import annotations

from PIL import Image

from matrix_client.display.base import Display
from matrix_client.overlay import Overlay, compose


class FramePush:
    """Keeps the last overlay and the bytes last pushed to ``display``."""

    def __init__(self, display: Display) -> None:
        self.display = display
        self.overlay: Overlay | None = None
        self.pushed: bytes | None = None
        self.pushes = 0

    def offer(self, page: Image.Image, overlay: Overlay, page_changed: bool) -> bool:
        """Show ``page`` under ``overlay`` if either changed and the picture differs from
        the one on the panel (a clock within its minute draws the same); True if pushed."""
        if not page_changed and overlay == self.overlay:
            return False
        self.overlay = overlay
        picture = compose(page, overlay)
        raw = picture.tobytes()
        if raw == self.pushed:
            return False
        self.display.show(picture)
        self.pushed = raw
        self.pushes += 1
        return True
