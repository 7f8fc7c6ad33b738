"""The "garbage out" alert: a garbage can and the words, pulsing once a second
so the panel catches the eye across the room. Shown on the ``out`` command.
"""

from __future__ import annotations

from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import canvas, font, layout, seconds_to_next, with_aware_times
from matrix_client.render import colors
from matrix_client.render.icons import paste, trash_icon
from matrix_client.render.layout import frame, line_text

BRIGHT = (255, 200, 0)
SOFT = (150, 110, 0)


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    image = canvas(ctx)
    lay = layout(ctx)
    W, H = ctx.width, ctx.height
    on = ctx.now.second % 2 == 0
    color = BRIGHT if on else SOFT
    icon = trash_icon("large")
    if lay.tall:
        icon = icon.resize((icon.width * 2, icon.height * 2))  # nearest: pixel art doubled
    word = font(ctx, "medium") if lay.tall or lay.wide else font(ctx, "small")
    frame(image, (0, 0, W, H), color if on else colors.BLACK)
    if lay.tall:
        paste(image, icon, ((W - icon.width) // 2, 3))
        ty = 3 + icon.height + 3
        line_text(image, (1, ty, W - 2, word.height), "GARBAGE", word, color, align="center")
        line_text(
            image, (1, ty + word.height, W - 2, word.height), "OUT!", word, color, align="center"
        )
    else:
        paste(image, icon, (3, (H - icon.height) // 2))
        tx = 3 + icon.width + 3
        room = W - tx - 2
        y = (H - 2 * word.height) // 2 + 1
        line_text(image, (tx, y, room, word.height), "GARBAGE", word, color, align="center")
        line_text(
            image, (tx, y + word.height, room, word.height), "OUT!", word, color, align="center"
        )
    return PageFrame(image, seconds_to_next(ctx.now, 1.0))


PAGE = PageSpec(name="out", render=render, types=(), title="Garbage out")
