"""The notice picture every page shares: a title over a short grey message, centred
("no data yet", "no days ahead"). A widget tree; fonts and gap per size are in
layouts/notice.toml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image

from matrix_client.pages.base import PageContext
from matrix_client.pages.trees import page_table
from matrix_client.render import colors
from matrix_client.render.widgets import Box, Column, Text, Widget, render
from matrix_client.render.widgets.fit import FirstFit
from matrix_client.render.widgets.tables import FontRole


@dataclass(frozen=True)
class NoticeLayout:
    title_font: FontRole
    message_font: FontRole
    gap: int = field(default=3, metadata={"min": 0, "max": 16})


LAYOUT = page_table("notice", NoticeLayout)


def notice_tree(ctx: PageContext, title: str, messages: Sequence[str]) -> Widget:
    """The title, and the first of ``messages`` that fits the width under it."""
    lay = LAYOUT.for_size(ctx.size)
    message = FirstFit([Text(m, lay.message_font, colors.GREY, align="center") for m in messages])
    return Column(
        [
            Text(title, lay.title_font, colors.AMBER, align="center"),
            Box(message, padding=(0, lay.gap, 0, 0)),
        ],
        main_align="center",
        cross_align="stretch",
    )


NO_DATA = ("no data yet", "no data")


def no_data_tree(ctx: PageContext, title: str) -> Widget:
    """The picture of a page whose data has not arrived yet."""
    return notice_tree(ctx, title, NO_DATA)


def notice_image(ctx: PageContext, title: str, messages: Sequence[str]) -> Image.Image:
    return render(notice_tree(ctx, title, messages), ctx.size, ctx.now, fonts=ctx.settings.fonts)
