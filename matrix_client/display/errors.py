"""The one error a display backend raises when it cannot start."""


class DisplayError(RuntimeError):
    """A backend that cannot open; the message says what to do about it."""
