"""Bitmap fonts: BDF files turned into Pillow fonts once, then cached on disk.

Pillow cannot read BDF directly at draw time, so a BDF is converted with
``PIL.BdfFontFile`` into Pillow's ``.pil``/``.pbm`` pair, stored in the user
cache directory under the BDF's content hash (a changed file converts again,
an unchanged one never does). Loaded fonts are kept in a process-wide LRU
cache keyed by path, so pages pay for a font once.

The project's own fonts live in ``fonts/`` at the top of the repository and ship
inside the package as ``matrix_client/fonts`` (a link in the checkout); any
other BDF (for example the rgbmatrix repository's fonts) loads the same way by
path. A missing or broken file gives a :class:`FontError` naming the file, and
:func:`font_for` falls back to a built-in font rather than failing a page.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import BdfFontFile, ImageFont

log = logging.getLogger(__name__)

# Project fonts, by role. Pages ask for a role; users may map a role to any BDF.
# matrix_client/fonts: a link to the repository's fonts/ in a checkout, the
# fonts themselves in an installed wheel.
FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
BUILTIN_FONTS: Mapping[str, str] = {
    "tiny": "glance-4x6.bdf",
    "small": "glance-5x7.bdf",
    "medium": "glance-6x10.bdf",
    "clock": "glance-clock-7x13.bdf",
    "clock_large": "glance-clock-14x26.bdf",
}


class FontError(RuntimeError):
    """A font file that is missing or cannot be read; the message names the file."""


@dataclass(frozen=True, eq=False)
class Font:
    """A loaded bitmap font and the metrics layout needs."""

    pil: ImageFont.ImageFont
    ascent: int  # pixels above the baseline
    descent: int  # pixels below the baseline
    name: str

    _trailing: dict[str, int] = field(default_factory=dict, repr=False)
    # Ink widths asked for before: layout asks the same labels' widths several times a
    # render (measure, shorten, paint), and Pillow's getlength is the costly part.
    _widths: dict[str, int] = field(default_factory=dict, repr=False)

    # Line height in pixels (ascent + descent): a field, as layout reads it for every text.
    height: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "height", self.ascent + self.descent)

    def advance(self, text: str) -> int:
        """Advance width of ``text``: where the next glyph would start."""
        return int(self.pil.getlength(text)) if text else 0

    def width(self, text: str) -> int:
        """Ink width of ``text``: the advance without the last glyph's blank spacing.

        This is what must fit a box: "123" in a 5x7 font is 17 px wide, not 18.
        """
        known = self._widths.get(text)
        if known is not None:
            return known
        if not text:
            return 0
        last = text[-1]
        trail = self._trailing.get(last)
        if trail is None:
            ink = self.pil.getmask(last).getbbox()
            trail = self.advance(last) - (ink[2] if ink else 0)
            self._trailing[last] = trail
        width = max(0, self.advance(text) - trail)
        if len(self._widths) >= MAX_KEPT_WIDTHS:  # bounded: texts change with the data
            self._widths.clear()
        self._widths[text] = width
        return width


MAX_KEPT_WIDTHS = 4096  # per font: a few hundred KB at most


class CacheWriteError(FontError):
    """The font is fine but its converted copy cannot be stored."""


def cache_dir() -> Path:
    """Where converted fonts are kept.

    ``$CACHE_DIRECTORY/fonts`` under systemd (its ``CacheDirectory=``, writable even
    when the home directory is read-only), else ``$XDG_CACHE_HOME/glanceboard/fonts``
    (default ``~/.cache/glanceboard/fonts``).
    """
    service_cache = os.environ.get("CACHE_DIRECTORY", "").split(":")[0]
    if service_cache:
        return Path(service_cache) / "fonts"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "glanceboard" / "fonts"


def _bdf_metrics(data: bytes, path: Path) -> tuple[int, int]:
    """(ascent, descent) from the BDF header: FONT_ASCENT/FONT_DESCENT, else the bounding box."""
    ascent = descent = None
    bbox: list[int] | None = None
    for raw in data.split(b"\n"):
        line = raw.strip()
        if line.startswith(b"STARTCHAR"):
            break
        parts = line.split()
        try:
            if parts[:1] == [b"FONT_ASCENT"]:
                ascent = int(parts[1])
            elif parts[:1] == [b"FONT_DESCENT"]:
                descent = int(parts[1])
            elif parts[:1] == [b"FONTBOUNDINGBOX"]:
                bbox = [int(p) for p in parts[1:5]]
        except (IndexError, ValueError) as exc:
            raise FontError(f"font file {path}: bad header line {line[:60]!r}") from exc
    if ascent is None or descent is None:
        if bbox is None or len(bbox) != 4:
            raise FontError(f"font file {path}: no FONTBOUNDINGBOX nor FONT_ASCENT/FONT_DESCENT")
        height, yoff = bbox[1], bbox[3]
        ascent, descent = height + yoff, -yoff
    return ascent, descent


def convert(path: str | os.PathLike[str], cache: Path | None = None) -> Path:
    """Convert a BDF to Pillow's format, or reuse an earlier conversion; returns the .pil path."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise FontError(f"font file {source}: cannot read it ({exc.strerror or exc})") from exc
    digest = hashlib.sha256(data).hexdigest()[:16]
    target_dir = cache or cache_dir()
    target = target_dir / f"{source.stem}-{digest}.pil"
    if target.exists() and target.with_suffix(".pbm").exists():
        return target
    try:
        import io

        font_file = BdfFontFile.BdfFontFile(io.BytesIO(data))
        target_dir.mkdir(parents=True, exist_ok=True)
        # Write under a temporary name, then rename: a crash never leaves half a font.
        tmp = target_dir / f".{target.stem}.{os.getpid()}.pil"
        font_file.save(str(tmp))
        os.replace(tmp.with_suffix(".pbm"), target.with_suffix(".pbm"))
        os.replace(tmp, target)
    except FontError:
        raise
    except OSError as exc:
        raise CacheWriteError(
            f"font file {source}: cannot store the converted font in {target_dir} ({exc})"
        ) from exc
    except Exception as exc:  # BdfFontFile raises assorted errors on malformed input
        raise FontError(f"font file {source}: not a readable BDF font ({exc})") from exc
    return target


@lru_cache(maxsize=32)
def load_font(path: str) -> Font:
    """Load a BDF (converted and cached) as a :class:`Font`; FontError names the file."""
    source = Path(path)
    try:
        pil_path: Path | None = convert(source)
    except CacheWriteError as exc:
        # A read-only cache costs a conversion per start, not the font.
        log.warning("%s; converting it in memory", exc)
        pil_path = None
    try:
        data = source.read_bytes()
        ascent, descent = _bdf_metrics(data, source)
        if pil_path is None:
            import io

            pil = BdfFontFile.BdfFontFile(io.BytesIO(data)).to_imagefont()
        else:
            pil = ImageFont.load(str(pil_path))
    except FontError:
        raise
    except Exception as exc:
        raise FontError(f"font file {source}: cannot load it ({exc})") from exc
    return Font(pil=pil, ascent=ascent, descent=descent, name=source.stem)


@lru_cache(maxsize=1)
def fallback_font() -> Font:
    """Pillow's built-in bitmap font: always there, used when a font file fails."""
    pil = ImageFont.load_default_imagefont()
    return Font(pil=pil, ascent=9, descent=2, name="pillow-default")


@lru_cache(maxsize=64)
def _font_for(role: str, override: str | None) -> Font:
    if override:
        try:
            return load_font(override)
        except FontError as exc:
            log.error("%s; using the built-in %r font instead", exc, role)
    name = BUILTIN_FONTS.get(role, BUILTIN_FONTS["small"])
    try:
        return load_font(str(FONT_DIR / name))
    except FontError as exc:
        log.error("%s; using Pillow's default font instead", exc)
        return fallback_font()


def font_for(role: str, overrides: Mapping[str, str] | None = None) -> Font:
    """The font for a role ("tiny", "small", "medium", "clock", "clock_large").

    ``overrides`` maps roles to BDF paths from the user's config. Never raises:
    a bad file is logged once (the result is cached) and a built-in font is used.
    """
    override = overrides.get(role) if overrides else None
    return _font_for(role, override if isinstance(override, str) else None)
