"""Row: children left to right (see linear.py for measuring and alignment)."""

from __future__ import annotations

from dataclasses import dataclass

from matrix_client.render.widgets.linear import Linear


@dataclass(eq=False)
class Row(Linear):
    """Children side by side; ``main_align`` is horizontal, ``cross_align`` vertical."""

    horizontal = True
