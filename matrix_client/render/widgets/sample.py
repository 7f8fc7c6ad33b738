"""A sample card built with the widget layer: the example of docs/widgets.md, the
widget goldens' composite case and the tree bench/widgets.py measures.

It is written the way a page is: a layout table per size class (sample.toml,
checked at import) and a pure tree function of (state, now, size).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from matrix_client.render import colors
from matrix_client.render.widgets import (
    BarChart,
    Column,
    Expand,
    Icon,
    Marquee,
    ProgressBar,
    Row,
    Scene,
    Sparkline,
    Text,
    Widget,
)
from matrix_client.render.widgets.tables import FontRole, load_table


@dataclass(frozen=True)
class CardLayout:
    icon: int = field(metadata={"min": 8, "max": 32})
    temp_font: FontRole = "medium"
    detail_font: FontRole = "tiny"
    message_font: FontRole = "small"
    spread: bool = False  # rows spread over the height (tall panels with room to spare)
    gap: int = field(default=1, metadata={"min": 0, "max": 8})
    header: bool = False
    chart: bool = False
    bar_height: int = field(default=2, metadata={"min": 1, "max": 4})


LAYOUT = load_table(Path(__file__).with_name("sample.toml"), CardLayout)

STATE: Mapping[str, Any] = {
    "title": "Patio",
    "condition": "rain",
    "temp": 72,
    "feels": 70,
    "message": "Light rain until 6 pm, then clearing; breezy overnight",
    "progress": 0.62,
    "hours": [70, 71, 72, 72, 71, 69, 67, 66, 64, 63, 62, 62, 61, 60, 60, 61, 63, 66],
    "rain": [60, 80, 70, 40, 20, 10, 5, 0],
}


def card(state: Mapping[str, Any], now: datetime, size: tuple[int, int]) -> Scene:
    """The card's tree at ``size``; it stays right until the next minute."""
    lay = LAYOUT.for_size(size)
    temp = state.get("temp")
    children: list[Widget] = []
    if lay.header:
        children.append(
            Row(
                [
                    Text(state.get("title"), "small", colors.AMBER),
                    Expand(Text(f"{now:%H:%M}", "small", colors.GREY, align="right")),
                ],
                gap=2,
            )
        )
    children.append(
        Row(
            [
                Icon(str(state.get("condition")), lay.icon),
                Column(
                    [
                        Text(f"{temp}\u00b0", lay.temp_font, colors.temp_color(float(temp))),
                        Text(f"Feels {state.get('feels')}\u00b0", lay.detail_font, colors.SOFT),
                    ],
                    gap=1,
                ),
            ],
            gap=2,
            cross_align="center",
        )
    )
    children.append(Marquee(state.get("message"), lay.message_font, colors.CYAN))
    if lay.chart:
        children.append(
            Row(
                [
                    Expand(Sparkline(state.get("hours", []), colors.YELLOW, height=10)),
                    BarChart(state.get("rain", []), colors.SKY, bar=2, height=10, high=100),
                ],
                gap=3,
            )
        )
    children.append(ProgressBar(state.get("progress"), height=lay.bar_height))
    main = "space_between" if lay.spread else "start"
    root = Column(children, gap=lay.gap, cross_align="stretch", main_align=main)
    return Scene(root, ttl=60 - now.second - now.microsecond / 1e6)
