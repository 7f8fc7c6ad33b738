"""Declarative widgets over Pillow: pages describe a tree, the layer lays it out.

Containers: Box, Row, Column (with Expand), Stack, BySize. Leaves: Text,
Marquee, Icon, Picture, ProgressBar, Sparkline, BarChart, QR. Entry points:
:func:`render` / :func:`draw`; layout tables: :mod:`.tables`. See docs/widgets.md.
"""

from __future__ import annotations

from matrix_client.render.widgets.bars import BarChart
from matrix_client.render.widgets.base import SIZE_CLASSES, Env, Widget, size_class
from matrix_client.render.widgets.box import Box
from matrix_client.render.widgets.column import Column
from matrix_client.render.widgets.engine import Scene, draw, render
from matrix_client.render.widgets.expand import Expand
from matrix_client.render.widgets.icon import ICON_NAMES, Icon
from matrix_client.render.widgets.image import Picture
from matrix_client.render.widgets.marquee import Marquee
from matrix_client.render.widgets.progress import ProgressBar
from matrix_client.render.widgets.qr import QR
from matrix_client.render.widgets.row import Row
from matrix_client.render.widgets.sparkline import Sparkline
from matrix_client.render.widgets.stack import Stack
from matrix_client.render.widgets.switch import BySize
from matrix_client.render.widgets.text import Text

__all__ = [
    "ICON_NAMES",
    "QR",
    "SIZE_CLASSES",
    "BarChart",
    "Box",
    "BySize",
    "Column",
    "Env",
    "Expand",
    "Icon",
    "Marquee",
    "Picture",
    "ProgressBar",
    "Row",
    "Scene",
    "Sparkline",
    "Stack",
    "Text",
    "Widget",
    "draw",
    "render",
    "size_class",
]
