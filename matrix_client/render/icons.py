"""Pixel icons drawn by code: weather conditions (day and night) and the moon.

Every shape is drawn per pixel from geometry (discs tested at pixel centres),
so each icon size is drawn natively, crisp and symmetric, rather than scaled.
Icons are cached per (kind, size): a page pastes a ready RGBA image.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from PIL import Image

from matrix_client.render.colors import Color

SUN: Color = (255, 196, 32)
SUN_RIM: Color = (255, 120, 0)
CLOUD: Color = (215, 220, 230)
CLOUD_SHADE: Color = (130, 135, 150)
DARK_CLOUD: Color = (120, 125, 140)
DARK_SHADE: Color = (75, 78, 92)
RAIN: Color = (70, 140, 255)
SNOW: Color = (225, 240, 255)
BOLT: Color = (255, 235, 40)
MOON: Color = (240, 230, 170)
MOON_DARK: Color = (38, 38, 52)
STAR: Color = (200, 200, 255)
FOG: Color = (150, 155, 165)
WIND: Color = (170, 210, 230)

CONDITIONS = (
    "clear",
    "partly",
    "cloudy",
    "overcast",
    "drizzle",
    "rain",
    "snow",
    "sleet",
    "thunder",
    "fog",
    "wind",
    "unknown",
)


class Canvas:
    """A small RGBA pixel grid with geometric primitives."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        self.px = self.image.load()

    def put(self, x: int, y: int, color: Color) -> None:
        if 0 <= x < self.size and 0 <= y < self.size:
            self.px[x, y] = (*color, 255)

    def clear_px(self, x: int, y: int) -> None:
        if 0 <= x < self.size and 0 <= y < self.size:
            self.px[x, y] = (0, 0, 0, 0)

    def lit(self, x: int, y: int) -> bool:
        return 0 <= x < self.size and 0 <= y < self.size and self.px[x, y][3] > 0

    def each(self, inside: Callable[[float, float], bool], color: Color) -> None:
        for y in range(self.size):
            for x in range(self.size):
                if inside(x + 0.5, y + 0.5):
                    self.put(x, y, color)

    def disc(self, cx: float, cy: float, r: float, color: Color) -> None:
        self.each(lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r, color)

    def line(self, x0: float, y0: float, x1: float, y1: float, color: Color) -> None:
        steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0))))
        for i in range(steps + 1):
            t = i / steps
            self.put(round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t), color)


def _sun(c: Canvas, cx: float, cy: float, r: float, rays: bool = True) -> None:
    if c.size >= 16:  # a rim only where the disc is big enough to keep a yellow core
        c.disc(cx, cy, r, SUN_RIM)
        c.disc(cx, cy, r - 1, SUN)
    else:
        c.disc(cx, cy, r, SUN)
    if rays and r >= 2.5:
        inner, outer = r + 1.5, r + 1.5 + max(1.0, r * 0.45)
        for k in range(8):
            a = k * math.pi / 4
            c.line(
                cx - 0.5 + math.cos(a) * inner,
                cy - 0.5 + math.sin(a) * inner,
                cx - 0.5 + math.cos(a) * outer,
                cy - 0.5 + math.sin(a) * outer,
                SUN,
            )


def _crescent(c: Canvas, cx: float, cy: float, r: float) -> None:
    ox, oy, orr = cx + r * 0.55, cy - r * 0.35, r * 0.9
    c.each(
        lambda x, y: (
            (x - cx) ** 2 + (y - cy) ** 2 <= r * r and (x - ox) ** 2 + (y - oy) ** 2 > orr * orr
        ),
        MOON,
    )


def _star(c: Canvas, x: int, y: int, big: bool) -> None:
    c.put(x, y, STAR)
    if big:
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            c.put(x + dx, y + dy, (110, 110, 170))


def _cloud(c: Canvas, x0: float, y0: float, w: float, h: float, fill: Color, shade: Color) -> None:
    """A cumulus: two bumps over a flat, rounded base; the lowest row shaded."""
    r1, r2 = h * 0.36, h * 0.5
    b1 = (x0 + w * 0.32, y0 + h - r1)
    b2 = (x0 + w * 0.6, y0 + r2)
    base_r = h * 0.32

    def inside(x: float, y: float) -> bool:
        if (x - b1[0]) ** 2 + (y - b1[1]) ** 2 <= r1 * r1:
            return True
        if (x - b2[0]) ** 2 + (y - b2[1]) ** 2 <= r2 * r2:
            return True
        # Base: a capsule along the bottom.
        by = y0 + h - base_r
        if x0 + base_r <= x <= x0 + w - base_r and by <= y <= y0 + h:
            return True
        for ex in (x0 + base_r, x0 + w - base_r):
            if (x - ex) ** 2 + (y - by) ** 2 <= base_r * base_r:
                return True
        return False

    c.each(inside, fill)
    bottom = int(y0 + h) - 1
    for x in range(c.size):
        if c.lit(x, bottom) and inside(x + 0.5, bottom + 0.5):
            c.put(x, bottom, shade)


def _drops(c: Canvas, top: int, color: Color, count: int, long: bool) -> None:
    s = c.size
    step = s / count
    for i in range(count):
        x = round(step * (i + 0.5)) + 1
        y = top + (i % 2)
        c.put(x, y, color)
        if long:
            c.put(x - 1, y + 1, color)
            if s >= 16:
                c.put(x - 1, y + 2, color)


def _flakes(c: Canvas, top: int, count: int) -> None:
    s = c.size
    step = s / count
    for i in range(count):
        x = round(step * (i + 0.5))
        y = top + (i % 2) * 2
        c.put(x, y, SNOW)
        if s >= 16:
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                c.put(x + dx, y + dy, (140, 170, 220))


def _bolt(c: Canvas, x: float, top: float, h: float) -> None:
    w = max(2.0, h * 0.45)
    pts = [(x + w * 0.6, top), (x, top + h * 0.55), (x + w * 0.6, top + h * 0.5), (x, top + h)]
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        c.line(ax, ay, bx, by, BOLT)


def _fog(c: Canvas, top: int) -> None:
    s = c.size
    gap = 2 if s < 16 else 3
    for i, y in enumerate(range(top, s, gap)):
        inset = 1 if i % 2 else 0
        c.line(inset, y, s - 1 - (1 - inset), y, FOG)


def _wind(c: Canvas) -> None:
    s = c.size
    rows = (round(s * 0.3), round(s * 0.55), round(s * 0.8))
    lengths = (0.75, 0.95, 0.6)
    for y, frac in zip(rows, lengths, strict=False):
        end = round((s - 2) * frac)
        c.line(0, y, end, y, WIND)
        c.put(end + 1, y - 1, WIND)
        c.put(end, y - 2, WIND)


@lru_cache(maxsize=128)
def weather_icon(condition: str, night: bool, size: int) -> Image.Image:
    """An RGBA icon of ``size`` x ``size`` for a condition from :data:`CONDITIONS`."""
    s = max(6, int(size))
    c = Canvas(s)
    small = s < 14
    if condition == "clear":
        if night:
            _crescent(c, s * 0.45, s * 0.52, s * 0.42)
            _star(c, round(s * 0.8), round(s * 0.22), not small)
            if s >= 16:
                _star(c, round(s * 0.72), round(s * 0.62), False)
        else:
            _sun(c, s / 2, s / 2, s * (0.26 if s >= 10 else 0.4), rays=s >= 10)
        return c.image
    if condition == "wind":
        _wind(c)
        return c.image
    if condition == "fog":
        _cloud(c, 1, s * 0.08, s - 2, s * 0.45, CLOUD, CLOUD_SHADE)
        _fog(c, round(s * 0.62))
        return c.image
    if condition == "unknown":
        _cloud(c, 0, s * 0.25, s, s * 0.5, DARK_CLOUD, DARK_SHADE)
        return c.image

    precip = condition in ("drizzle", "rain", "snow", "sleet", "thunder")
    if condition == "partly":
        if night:
            _crescent(c, s * 0.62, s * 0.36, s * 0.32)
        else:
            _sun(c, s * 0.62, s * 0.36, s * (0.22 if not small else 0.27), rays=not small)
        _cloud(c, 0, s * 0.42, s * 0.8, s * 0.5, CLOUD, CLOUD_SHADE)
        return c.image
    if condition == "cloudy":
        _cloud(c, s * 0.3, s * 0.12, s * 0.7, s * 0.42, DARK_CLOUD, DARK_SHADE)
        _cloud(c, 0, s * 0.35, s * 0.85, s * 0.5, CLOUD, CLOUD_SHADE)
        return c.image
    dark = condition in ("overcast", "thunder", "rain")
    fill, shade = (DARK_CLOUD, DARK_SHADE) if dark else (CLOUD, CLOUD_SHADE)
    cloud_h = s * (0.58 if precip else 0.6)
    _cloud(c, 0, s * (0.05 if precip else 0.2), s, cloud_h, fill, shade)
    top = round(s * 0.05 + cloud_h) + 1
    if condition == "drizzle":
        _drops(c, top, RAIN, 3, long=False)
    elif condition == "rain":
        _drops(c, top, RAIN, 3 if small else 4, long=True)
    elif condition == "snow":
        _flakes(c, top, 3)
    elif condition == "sleet":
        _drops(c, top, RAIN, 2, long=True)
        _flakes(c, top + 1, 2)
    elif condition == "thunder":
        _bolt(c, s * 0.4, top - 1, s - top)
        _drops(c, top, RAIN, 2, long=False)
    return c.image


def condition_for(wid: object, desc: object = None) -> str:
    """Map an OpenWeatherMap condition id (or, failing that, a description) to an icon kind."""
    code = wid if isinstance(wid, int) and not isinstance(wid, bool) else None
    if code is None and isinstance(wid, str) and wid.strip().isdigit():
        code = int(wid.strip())
    if code is not None:
        if 200 <= code < 300:
            return "thunder"
        if 300 <= code < 400:
            return "drizzle"
        if code in (511, 611, 612, 613, 615, 616):
            return "sleet"
        if 500 <= code < 600:
            return "rain"
        if 600 <= code < 700:
            return "snow"
        if code in (771, 781):
            return "wind"
        if 700 <= code < 800:
            return "fog"
        if code == 800:
            return "clear"
        if code in (801, 802):
            return "partly"
        if code == 803:
            return "cloudy"
        if code == 804:
            return "overcast"
    if isinstance(desc, str):
        d = desc.lower()
        for word, kind in (
            ("thunder", "thunder"),
            ("drizzle", "drizzle"),
            ("sleet", "sleet"),
            ("snow", "snow"),
            ("rain", "rain"),
            ("shower", "rain"),
            ("fog", "fog"),
            ("mist", "fog"),
            ("haze", "fog"),
            ("wind", "wind"),
            ("overcast", "overcast"),
            ("partly", "partly"),
            ("few clouds", "partly"),
            ("cloud", "cloudy"),
            ("clear", "clear"),
            ("sun", "clear"),
        ):
            if word in d:
                return kind
    return "unknown"


@lru_cache(maxsize=256)
def moon_image(phase: float, size: int) -> Image.Image:
    """The moon at ``phase`` (0 new, 0.25 first quarter, 0.5 full, 0.75 last quarter).

    Drawn per pixel: a point of the disc is lit when it lies on the sunward
    side of the terminator, an ellipse whose half-width is cos(2*pi*phase).
    Waxing moons are lit on the right (northern hemisphere view).
    """
    s = max(4, int(size))
    p = phase % 1.0
    k = math.cos(2 * math.pi * p)
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    px = image.load()
    r = s / 2
    for y in range(s):
        for x in range(s):
            nx, ny = (x + 0.5 - r) / r, (y + 0.5 - r) / r
            d2 = nx * nx + ny * ny
            if d2 > 1.0:
                continue
            edge = math.sqrt(max(0.0, 1 - ny * ny))
            lit = nx > edge * k if p < 0.5 else nx < -edge * k
            if lit:
                # Gentle limb darkening, so the disc reads as a sphere.
                shade = 1.0 - 0.25 * d2
                px[x, y] = (
                    round(MOON[0] * shade),
                    round(MOON[1] * shade),
                    round(MOON[2] * shade),
                    255,
                )
            else:
                px[x, y] = (*MOON_DARK, 255)
    return image


def lit_fraction(phase: float) -> float:
    """Illuminated fraction of the disc at ``phase``: (1 - cos 2*pi*phase) / 2."""
    return (1 - math.cos(2 * math.pi * (phase % 1.0))) / 2


def paste(image: Image.Image, icon: Image.Image, xy: tuple[int, int]) -> None:
    """Paste an RGBA icon onto an RGB image (clipped at the edges by Pillow)."""
    image.paste(icon, xy, icon)


def sprite(rows: tuple[str, ...], palette: dict[str, Color]) -> Image.Image:
    """An RGBA image from ASCII art: each character a palette key, '.' transparent."""
    height, width = len(rows), max(len(r) for r in rows)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    px = image.load()
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if ch in palette:
                px[x, y] = (*palette[ch], 255)
    return image


TRASH_PALETTE: dict[str, Color] = {"#": (60, 200, 90), "+": (30, 120, 50), "o": (200, 200, 200)}
_TRASH = {
    "small": (
        ".###.",
        "#####",
        ".#+#.",
        ".#+#.",
        ".###.",
    ),
    "large": (
        "....ooo....",
        "...o...o...",
        "###########",
        "###########",
        ".#+#+#+#+#.",
        ".#+#+#+#+#.",
        ".#+#+#+#+#.",
        ".#+#+#+#+#.",
        ".#+#+#+#+#.",
        ".#+#+#+#+#.",
        ".#+#+#+#+#.",
        "..#######..",
    ),
}


@lru_cache(maxsize=4)
def trash_icon(size: str = "small") -> Image.Image:
    """The garbage can: 'small' (5x5) for calendar cells, 'large' (11x12) for the alert."""
    return sprite(_TRASH.get(size, _TRASH["small"]), TRASH_PALETTE)
