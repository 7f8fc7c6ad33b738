"""Wi-Fi QR: the network's join code (``PageSettings.wifi_qr``, e.g.
``WIFI:T:WPA;S:name;P:secret;;``) as a QR code a phone can scan off the panel.

Every module is drawn as exact whole pixels (no resampling), lit on dark
modules' surroundings the way a printed code is light around dark: LEDs are
light where lit, so the code's light modules and quiet zone are lit. The
module size is the largest that fits the panel height with at least a
one-module quiet zone; the rest of a wide panel names the network.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PIL import Image

from matrix_client.pages.base import PageContext, PageFrame, PageSpec
from matrix_client.pages.common import canvas, first_fit, font, layout, with_aware_times
from matrix_client.render import colors
from matrix_client.render.layout import fill, line_text
from matrix_client.render.text import clean

LIGHT = (190, 190, 190)  # bright enough to scan, not glaring at night
MAX_TEXT = 1000


@lru_cache(maxsize=8)
def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules (True = dark), smallest version, low error correction."""
    import qrcode  # imported here: only this page needs it

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(v) for v in row) for row in code.get_matrix())


def fit(modules: int, room: int) -> tuple[int, int]:
    """(module size in px, quiet zone in modules): the biggest modules first, then the
    widest quiet zone (up to the standard 4) that still fits ``room`` pixels."""
    for size in range(room // (modules + 2), 0, -1):
        for quiet in (4, 3, 2, 1):
            if (modules + 2 * quiet) * size <= room:
                return size, quiet
    return 0, 0


def ssid_of(data: str) -> str:
    """The network name from a ``WIFI:`` string (handles \\; escapes), or ''."""
    if not data.upper().startswith("WIFI:"):
        return ""
    fields, current, escaped = [], "", False
    for ch in data[5:]:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            fields.append(current)
            current = ""
        else:
            current += ch
    fields.append(current)
    for item in fields:
        if item.upper().startswith("S:"):
            return item[2:]
    return ""


def draw_qr(
    image: Image.Image,
    matrix: tuple[tuple[bool, ...], ...],
    xy: tuple[int, int],
    size: int,
    quiet: int,
) -> int:
    """Draw the code with its quiet zone at ``xy``; returns the side length in pixels."""
    n = len(matrix)
    side = (n + 2 * quiet) * size
    x0, y0 = xy
    fill(image, (x0, y0, side, side), LIGHT)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                fill(
                    image,
                    (x0 + (quiet + c) * size, y0 + (quiet + r) * size, size, size),
                    colors.BLACK,
                )
    return side


@lru_cache(maxsize=8)
def qr_image(data: str, size: int, quiet: int) -> Image.Image:
    """The drawn code, kept: the string changes only with the config."""
    matrix = qr_matrix(data)
    side = (len(matrix) + 2 * quiet) * size
    image = Image.new("RGB", (side, side))
    draw_qr(image, matrix, (0, 0), size, quiet)
    return image


@with_aware_times
def render(ctx: PageContext) -> PageFrame:
    image = canvas(ctx)
    lay = layout(ctx)
    tiny, small, medium = font(ctx, "tiny"), font(ctx, "small"), font(ctx, "medium")
    W, H = ctx.width, ctx.height
    data = ctx.settings.wifi_qr
    if not isinstance(data, str) or not data.strip():
        line_text(image, (0, 2, W, small.height), "Wi-Fi", small, colors.AMBER, align="center")
        line_text(
            image, (0, 14, W, tiny.height), "no QR configured", tiny, colors.GREY, align="center"
        )
        return PageFrame(image, math.inf)
    data = data.strip()[:MAX_TEXT]
    ssid = clean(ssid_of(data), 64)
    try:
        matrix = qr_matrix(data)
    except Exception:  # qrcode raises DataOverflowError and others for impossible input
        matrix = ()
    size, quiet = fit(len(matrix), min(H, W)) if matrix else (0, 0)
    if not size:
        line_text(image, (0, 2, W, small.height), "Wi-Fi QR", small, colors.AMBER, align="center")
        line_text(image, (0, 12, W, tiny.height), "too long for", tiny, colors.GREY, align="center")
        line_text(image, (0, 19, W, tiny.height), "this panel", tiny, colors.GREY, align="center")
        return PageFrame(image, math.inf)
    code = qr_image(data, size, quiet)
    side = code.width
    x = 0 if W - side >= 24 else (W - side) // 2
    y = (H - side) // 2
    image.paste(code, (x, y))
    ttl = math.inf
    tx = x + side + 3
    room = W - tx
    if room >= 16:
        head = medium if lay.tall and room >= 30 else small if room >= 24 else tiny
        body = small if lay.tall or lay.wide else tiny
        title = first_fit(["Wi-Fi", "WiFi"], head, room)
        line_text(image, (tx, 2, room, head.height), title, head, colors.AMBER)
        ty = 4 + head.height
        if ssid:
            ttl = line_text(
                image, (tx, ty, room, body.height), ssid, body, colors.WHITE, now=ctx.now
            )
            ty += body.height + 2
        hint = first_fit(["Scan to join", "Scan me", "Scan"], tiny, room)
        line_text(image, (tx, H - tiny.height - 1, room, tiny.height), hint, tiny, colors.GREY)
    return PageFrame(image, ttl)


PAGE = PageSpec(name="wifi", render=render, types=(), title="Wi-Fi")
