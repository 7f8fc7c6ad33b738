"""Wi-Fi QR: the network's join code (``PageSettings.wifi_qr``, e.g.
``WIFI:T:WPA;S:name;P:secret;;``) as a QR code a phone can scan off the panel.

Every module is drawn as exact whole pixels (no resampling), lit on dark
modules' surroundings the way a printed code is light around dark: LEDs are
light where lit, so the code's light modules and quiet zone are lit. The
module size is the largest that fits the panel height with at least a
one-module quiet zone; the rest of a wide panel names the network. Drawn as a
widget tree; what differs between panel sizes is in ``layouts/wifi.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image

from matrix_client.pages.base import PageContext, PageSpec
from matrix_client.pages.common import with_aware_times
from matrix_client.pages.trees import page_table, tree_page
from matrix_client.render import colors
from matrix_client.render.layout import fill
from matrix_client.render.text import clean
from matrix_client.render.widgets import QR, Box, Column, Expand, Marquee, Row, Scene, Text, Widget
from matrix_client.render.widgets.fit import first_wording
from matrix_client.render.widgets.tables import FontRole

LIGHT = (190, 190, 190)  # bright enough to scan, not glaring at night
MAX_TEXT = 1000
MAX_MODULE = 64  # no cap: the largest modules that fit
_PX = {"min": 0, "max": 64}


@dataclass(frozen=True)
class NoticeLayout:
    top: int = field(default=2, metadata=_PX)
    gap: int = field(default=4, metadata=_PX)  # title to the first line ("no QR configured")
    too_long_gap: int = field(default=2, metadata=_PX)  # title to "too long for"
    line_gap: int = field(default=1, metadata=_PX)


@dataclass(frozen=True)
class WifiLayout:
    beside: bool = True  # words beside the code (else the code alone, centred)
    gap: int = field(default=3, metadata=_PX)  # code to words
    title_font: FontRole = "small"
    name_font: FontRole = "small"
    title_top: int = field(default=2, metadata=_PX)
    name_gap: int = field(default=2, metadata=_PX)  # title to network name
    hint_bottom: int = field(default=1, metadata=_PX)  # below 'Scan to join'
    notice: NoticeLayout = NoticeLayout()


LAYOUT = page_table("wifi", WifiLayout)


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


def notice(title: str, lines: list[str], gap: int, lay: NoticeLayout) -> Widget:
    """A centred title and grey lines under it: what shows instead of a code."""
    parts: list[Widget] = [Text(title, "small", colors.AMBER, align="center")]
    for i, line in enumerate(lines):
        parts.append(Box(Text(line, "tiny", colors.GREY, align="center"),
                         padding=(0, gap if i == 0 else lay.line_gap, 0, 0)))
    return Box(Column(parts, cross_align="stretch"), padding=(0, lay.top, 0, 0))


def tree(ctx: PageContext) -> Scene:
    lay = LAYOUT.for_size(ctx.size)
    data = ctx.settings.wifi_qr
    if not isinstance(data, str) or not data.strip():
        return Scene(notice("Wi-Fi", ["no QR configured"], lay.notice.gap, lay.notice))
    data = data.strip()[:MAX_TEXT]
    try:
        matrix = qr_matrix(data)
    except Exception:  # qrcode raises DataOverflowError and others for impossible input
        matrix = ()
    if not matrix or not fit(len(matrix), min(ctx.size))[0]:
        lines = ["too long for", "this panel"]
        return Scene(notice("Wi-Fi QR", lines, lay.notice.too_long_gap, lay.notice))
    code = QR(data, module=MAX_MODULE)
    if not lay.beside:
        return Scene(Box(code, halign="center", valign="center"))
    ssid = clean(ssid_of(data), 64)
    words: list[Widget] = [
        Box(first_wording(["Wi-Fi", "WiFi"], lay.title_font, colors.AMBER),
            padding=(0, lay.title_top, 0, 0))
    ]
    if ssid:
        words.append(Box(Marquee(ssid, lay.name_font, colors.WHITE),
                         padding=(0, lay.name_gap, 0, 0)))
    hint = first_wording(["Scan to join", "Scan me", "Scan"], "tiny", colors.GREY)
    words += [Expand(Box()), Box(hint, padding=(0, 0, 0, lay.hint_bottom))]
    root = Row(
        [Box(code, valign="center"), Expand(Column(words, cross_align="stretch"))],
        gap=lay.gap,
        cross_align="stretch",
    )
    return Scene(root)


render = with_aware_times(tree_page(tree))

def has_code(ctx: PageContext) -> bool:
    """Only a configured network has anything to show."""
    return bool(ctx.settings.wifi_qr)


PAGE = PageSpec(name="wifi", render=render, types=(), title="Wi-Fi", ready=has_code)
