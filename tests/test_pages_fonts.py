"""The project's BDF fonts and the font loader: complete, correct metrics,
cached conversion, any BDF by path, clear errors and a fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PIL import Image

from matrix_client.render.fonts import (
    BUILTIN_FONTS,
    FONT_DIR,
    CacheWriteError,
    FontError,
    cache_dir,
    convert,
    font_for,
    load_font,
)
from matrix_client.render.fonttool import build, parse_art, to_bdf
from matrix_client.render.text import draw_text

TEXT_FONTS = ["glance-4x6.bdf", "glance-5x7.bdf", "glance-6x10.bdf"]
CLOCK_FONTS = ["glance-clock-7x13.bdf", "glance-clock-14x26.bdf"]


def _chars(path: Path) -> dict[int, dict[str, list[int]]]:
    """ENCODING -> {"DWIDTH": [...], "BBX": [...]} straight from the BDF text."""
    out: dict[int, dict[str, list[int]]] = {}
    current: dict[str, list[int]] = {}
    code = -1
    for line in path.read_text().splitlines():
        key, *rest = line.split() or [""]
        if key == "ENCODING":
            code = int(rest[0])
            current = {}
        elif key in ("DWIDTH", "BBX"):
            current[key] = [int(v) for v in rest]
        elif key == "ENDCHAR":
            out[code] = current
    return out


def _header(path: Path) -> dict[str, list[str]]:
    head = path.read_text().split("STARTCHAR", 1)[0]
    return {line.split()[0]: line.split()[1:] for line in head.splitlines() if line.strip()}


@pytest.mark.parametrize("name", TEXT_FONTS)
def test_text_fonts_cover_printable_ascii_and_degree(name: str) -> None:
    chars = _chars(FONT_DIR / name)
    assert set(range(32, 127)) | {0xB0} <= set(chars)


@pytest.mark.parametrize("name", TEXT_FONTS + CLOCK_FONTS)
def test_metrics_are_consistent(name: str) -> None:
    path = FONT_DIR / name
    header = _header(path)
    ascent, descent = int(header["FONT_ASCENT"][0]), int(header["FONT_DESCENT"][0])
    fw, fh, fx, fy = (int(v) for v in header["FONTBOUNDINGBOX"])
    assert fh == ascent + descent and fy == -descent and fx == 0
    for code, char in _chars(path).items():
        w, h, x, y = char["BBX"]
        assert char["DWIDTH"][0] > w + x - 1, f"{name} {code}: advance leaves no spacing"
        assert w <= fw and y >= -descent and y + h <= ascent, f"{name} {code}: outside the box"
    font = load_font(str(path))
    assert (font.ascent, font.descent) == (ascent, descent)


def test_clock_digits_share_one_width() -> None:
    for name in CLOCK_FONTS:
        font = load_font(str(FONT_DIR / name))
        assert len({font.advance(d) for d in "0123456789"}) == 1


def test_glyph_sits_on_the_baseline() -> None:
    """A capital's bottom row is the last row above the descent; 'g' reaches below it."""
    font = load_font(str(FONT_DIR / "glance-5x7.bdf"))
    for text, bottom in (("H", font.ascent - 1), ("g", font.height - 1)):
        image = Image.new("RGB", (10, font.height))
        draw_text(image, (0, 0), text, font, (255, 255, 255))
        box = image.getbbox()
        assert box is not None and box[3] - 1 == bottom, (text, box)


def test_bdf_files_are_built_from_their_glyph_art(tmp_path: Path) -> None:
    """The committed .bdf files are exactly what the font tool makes from fonts/src."""
    written = build(FONT_DIR / "src", tmp_path)
    assert written
    for path in written:
        assert path.read_text() == (FONT_DIR / path.name).read_text(), path.name


def test_glyph_art_errors_name_file_and_line(tmp_path: Path) -> None:
    art = tmp_path / "bad.txt"
    art.write_text("FONT bad\nASCENT 2\nDESCENT 0\nA #. #\n")
    with pytest.raises(ValueError, match=r"bad.txt:4"):
        parse_art(art)


def test_conversion_is_cached_by_content(tmp_path: Path) -> None:
    source = tmp_path / "mine.bdf"
    source.write_text((FONT_DIR / "glance-4x6.bdf").read_text())
    cache = tmp_path / "cache"
    first = convert(source, cache)
    stamp = first.stat().st_mtime_ns
    assert convert(source, cache) == first and first.stat().st_mtime_ns == stamp
    # A changed font converts again, under a new name.
    source.write_text((FONT_DIR / "glance-5x7.bdf").read_text())
    assert convert(source, cache) != first


def test_any_bdf_loads_by_path_and_overrides_a_role(tmp_path: Path) -> None:
    """A user's BDF (here one written by the tool under another name) works like ours."""
    art = parse_art(FONT_DIR / "src" / "glance-4x6.txt")
    art.name = "someone-elses"
    path = tmp_path / "someone-elses.bdf"
    path.write_text(to_bdf(art))
    font = font_for("small", {"small": str(path)})
    assert font.name == "someone-elses" and font.height == 6


def test_missing_font_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.bdf"
    with pytest.raises(FontError, match="nope.bdf"):
        load_font(str(missing))


def test_broken_font_is_a_clear_error_and_the_role_falls_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.bdf"
    broken.write_text("STARTFONT 2.1\nFONTBOUNDINGBOX 5 8 0 -1\nSTARTCHAR A\nBBX x y\nENDFONT\n")
    with pytest.raises(FontError, match="broken.bdf"):
        load_font(str(broken))
    caplog.set_level(logging.ERROR)
    font = font_for("medium", {"medium": str(broken)})
    assert font.name == "glance-6x10"
    assert any("broken.bdf" in r.getMessage() for r in caplog.records)


def test_every_role_has_a_project_font() -> None:
    for role, name in BUILTIN_FONTS.items():
        assert (FONT_DIR / name).exists(), role
        assert font_for(role).name == Path(name).stem


# A font in the style of the X11 misc-fixed fonts the rgbmatrix repository ships:
# quoted properties, ISO10646 registry, full-cell boxes with a negative offset,
# a glyph 0 and code points past Latin-1 (which a Latin-1 bitmap font skips).
MISC_FIXED_STYLE = """STARTFONT 2.1
COMMENT "a font shaped like the misc-fixed 5x7 of X11"
FONT -Misc-Fixed-Medium-R-Normal--7-70-75-75-C-50-ISO10646-1
SIZE 7 75 75
FONTBOUNDINGBOX 5 7 0 -1
STARTPROPERTIES 5
FAMILY_NAME "Fixed"
SPACING "C"
CHARSET_REGISTRY "ISO10646"
FONT_ASCENT 6
FONT_DESCENT 1
ENDPROPERTIES
CHARS 4
STARTCHAR char0
ENCODING 0
SWIDTH 685 0
DWIDTH 5 0
BBX 5 7 0 -1
BITMAP
00
A8
00
88
00
A8
00
ENDCHAR
STARTCHAR H
ENCODING 72
SWIDTH 685 0
DWIDTH 5 0
BBX 5 7 0 -1
BITMAP
90
90
F0
90
90
90
00
ENDCHAR
STARTCHAR degree
ENCODING 176
SWIDTH 685 0
DWIDTH 5 0
BBX 5 7 0 -1
BITMAP
20
50
20
00
00
00
00
ENDCHAR
STARTCHAR snowman
ENCODING 9731
SWIDTH 685 0
DWIDTH 5 0
BBX 5 7 0 -1
BITMAP
70
50
70
F8
88
F8
00
ENDCHAR
ENDFONT
"""


def test_a_misc_fixed_style_bdf_draws_like_ours(tmp_path: Path) -> None:
    path = tmp_path / "5x7.bdf"
    path.write_text(MISC_FIXED_STYLE)
    font = load_font(str(path))
    assert (font.ascent, font.descent, font.height) == (6, 1, 7)
    assert font.advance("HH") == 10 and font.width("HH") == 9
    image = Image.new("RGB", (12, 7))
    draw_text(image, (0, 0), "H\u00b0", font, (255, 255, 255))
    # H (columns 0-3) sits on the baseline (row 5); the degree sign ends at column 8.
    assert image.getbbox() == (0, 0, 9, 6)


def test_cache_goes_to_the_service_cache_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CACHE_DIRECTORY", str(tmp_path / "svc"))
    assert cache_dir() == tmp_path / "svc" / "fonts"
    monkeypatch.delenv("CACHE_DIRECTORY")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "glanceboard" / "fonts"


def test_a_read_only_cache_still_loads_the_font(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Under a hardened service the home directory is read-only: the font still loads."""
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("CACHE_DIRECTORY", str(blocked))
    source = tmp_path / "ro.bdf"
    source.write_text((FONT_DIR / "glance-5x7.bdf").read_text())
    with pytest.raises(CacheWriteError, match="ro.bdf"):
        convert(source)
    font = load_font(str(source))
    assert font.name == "ro" and font.width("H") == 5
