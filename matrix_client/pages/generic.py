"""The generic page: every type held, each as its name and a one-line summary.

Shows any type, including ones no page knows yet. When more types are held
than lines fit, it pages through them, a screenful every few seconds. Drawn as a
widget tree; what differs between panel sizes is in ``layouts/generic.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from glanceboard.payloads import names
from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render.widgets import Column, Expand, Row, Scene, Text, Widget
from matrix_client.render.widgets.capped import Capped
from matrix_client.render.widgets.flow import Flow
from matrix_client.render.widgets.tables import FontRole

SCREEN_SECONDS = 4
TYPE_COLOR = (0, 200, 255)
TEXT_COLOR = (220, 220, 220)
EMPTY_COLOR = (120, 120, 120)
_PX = {"min": 0, "max": 128}


@dataclass(frozen=True)
class GenericLayout:
    row_height: int = field(metadata={"min": 1, "max": 64})  # px per type
    font: FontRole = "tiny"
    stacked: bool = False  # the summary under the name (else beside it)
    line_gap: int = field(default=1, metadata=_PX)  # name to summary, stacked
    name_width: int = field(default=42, metadata=_PX)  # at most, side by side
    gap: int = field(default=4, metadata=_PX)  # name to summary, side by side


LAYOUT = page_table("generic", GenericLayout)


def summarize(values: Any, limit: int = 60) -> str:
    """A short line for any JSON value: its scalar values in order, nested ones inline.

    Keys are left out: on a 64-pixel line "52 few clouds" says more than "temp=52 de..".
    """
    if isinstance(values, dict):
        parts = []
        for value in values.values():
            if isinstance(value, str | int | float | bool) and value != "":
                parts.append(str(value))
            elif isinstance(value, dict | list):
                inner = summarize(value, limit)
                if inner:
                    parts.append(inner)  # nested: its contents say more than its key
            if sum(len(p) + 1 for p in parts) >= limit:
                break
        text = " ".join(parts)
    elif isinstance(values, list):
        if not values:
            text = "(empty)"
        elif all(isinstance(v, str | int | float | bool) for v in values):
            text = " ".join(str(v) for v in values)  # a row, e.g. [summary, start, end]
        else:
            text = summarize(values[0], limit)  # a list of rows: the first, and a count
            if len(values) > 1:
                text = f"{text} +{len(values) - 1}"
    elif values is None:
        text = "-"
    else:
        text = str(values)
    return " ".join(text.split())[:limit]


def shown_values(kind: str, values: Any) -> Any:
    """What may be shown of a message: the household's Wi-Fi code holds its password."""
    if kind == names.SETTINGS and isinstance(values, dict) and "wifi_qr" in values:
        return {k: v for k, v in values.items() if k != "wifi_qr"}
    return values


def entry(kind: str, values: Any, lay: GenericLayout) -> Widget:
    """One type: its name, and its summary under it or beside it."""
    name = Text(kind, lay.font, TYPE_COLOR)
    summary = Text(summarize(values), lay.font, TEXT_COLOR)
    if lay.stacked:
        return Column([name, summary], gap=lay.line_gap, cross_align="stretch")
    return Row([Capped(name, lay.name_width), Expand(summary)], gap=lay.gap)


def tree(context: PageContext) -> Scene:
    lay = LAYOUT.for_size(context.size)
    kinds = sorted(k for k in context.state if not names.is_server_type(k))
    if not kinds:
        return Scene(Text("no data yet", lay.font, EMPTY_COLOR))
    entries = [entry(kind, shown_values(kind, context.values(kind)), lay) for kind in kinds]
    return Scene(Flow(entries, row_height=lay.row_height, cycle=SCREEN_SECONDS))


render = tree_page(tree)

PAGE = PageSpec(name="generic", render=render, types=("*",), title="All data")
