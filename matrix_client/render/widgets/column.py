"""Column: children top to bottom (see linear.py for measuring and alignment)."""

from __future__ import annotations

from dataclasses import dataclass

from matrix_client.render.widgets.linear import Linear


@dataclass(eq=False)
class Column(Linear):
    """Children stacked downwards; ``main_align`` is vertical, ``cross_align`` horizontal."""

    horizontal = False
