"""The font tool: build the project's BDF fonts from their glyph art, convert any BDF.

    python -m matrix_client.render.fonttool build            # fonts/src/*.txt -> fonts/*.bdf
    python -m matrix_client.render.fonttool convert F.bdf    # pre-convert into the cache
    python -m matrix_client.render.fonttool specimen F.bdf OUT.png

Glyph art format (``fonts/src/<name>.txt``)::

    FONT glance-5x7          ; font name
    ASCENT 7                 ; rows above the baseline
    DESCENT 1                ; rows below it
    SPACING 1                ; blank columns after each glyph (advance = width + spacing)
    SCALE2X glance-clock-14x26  ; optional: also build a twice-as-large copy (Scale2x)
    A .###. #...# ...        ; a character, then its rows top to bottom ('#' lit, '.' dark)
    space .... .... ...      ; 'space', or U+00B0 for code points (U+003B for ';')
    ; a comment line

Comments are whole lines starting with ';'.

Every glyph has ASCENT + DESCENT rows; its width is the row length, so a
font may be proportional ('i' narrower than 'm') or fixed.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from matrix_client.render.fonts import FONT_DIR, FontError, convert, load_font


@dataclass
class GlyphArt:
    code: int
    rows: list[str]

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


@dataclass
class FontArt:
    name: str
    ascent: int
    descent: int
    spacing: int = 1
    glyphs: dict[int, GlyphArt] = field(default_factory=dict)
    scaled_name: str | None = None  # also build a Scale2x copy under this name


def _code(token: str, where: str) -> int:
    if token == "space":
        return 32
    if token.upper().startswith("U+") and len(token) > 2:
        return int(token[2:], 16)
    if len(token) == 1:
        return ord(token)
    raise ValueError(f"{where}: bad character token {token!r}")


def parse_art(path: Path) -> FontArt:
    """Read a glyph art file; errors name the file and line."""
    header: dict[str, str] = {}
    glyphs: dict[int, GlyphArt] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path}:{number}"
        line = raw.rstrip()
        if not line.strip() or line.startswith(";"):
            continue  # blank or comment (';' because '#' is a glyph and a lit pixel)
        token, *rest = line.split()
        if token in ("FONT", "ASCENT", "DESCENT", "SPACING", "SCALE2X"):
            header[token] = rest[0]
            continue
        code = _code(token, where)
        if code in glyphs:
            raise ValueError(f"{where}: character {token!r} defined twice")
        rows = rest
        height = int(header["ASCENT"]) + int(header["DESCENT"])
        if len(rows) != height:
            raise ValueError(f"{where}: {token!r} has {len(rows)} rows, expected {height}")
        if len({len(r) for r in rows}) != 1 or any(set(r) - {"#", "."} for r in rows):
            raise ValueError(f"{where}: {token!r} rows must be equal-length runs of '#' and '.'")
        glyphs[code] = GlyphArt(code, rows)
    missing = [k for k in ("FONT", "ASCENT", "DESCENT") if k not in header]
    if missing:
        raise ValueError(f"{path}: header lacks {', '.join(missing)}")
    return FontArt(
        name=header["FONT"],
        ascent=int(header["ASCENT"]),
        descent=int(header["DESCENT"]),
        spacing=int(header.get("SPACING", "1")),
        glyphs=glyphs,
        scaled_name=header.get("SCALE2X"),
    )


def scale2x_rows(rows: list[str]) -> list[str]:
    """Double a glyph with the EPX/Scale2x rule: steps on diagonals become smooth slopes."""
    h, w = len(rows), len(rows[0]) if rows else 0

    def px(y: int, x: int) -> str:
        return rows[y][x] if 0 <= y < h and 0 <= x < w else "."

    out = [[""] * (2 * w) for _ in range(2 * h)]
    for y in range(h):
        for x in range(w):
            p, a, b, c, d = px(y, x), px(y - 1, x), px(y, x + 1), px(y, x - 1), px(y + 1, x)
            out[2 * y][2 * x] = a if c == a and c != d and a != b else p
            out[2 * y][2 * x + 1] = b if a == b and a != c and b != d else p
            out[2 * y + 1][2 * x] = c if d == c and d != b and c != a else p
            out[2 * y + 1][2 * x + 1] = d if b == d and b != a and d != c else p
    return ["".join(r) for r in out]


def scaled(art: FontArt) -> FontArt:
    """The font at twice the size (for big panels), named by its SCALE2X header."""
    return FontArt(
        name=art.scaled_name or f"{art.name}-2x",
        ascent=art.ascent * 2,
        descent=art.descent * 2,
        spacing=art.spacing * 2,
        glyphs={c: GlyphArt(c, scale2x_rows(g.rows)) for c, g in art.glyphs.items()},
    )


def to_bdf(art: FontArt) -> str:
    """BDF 2.1 text for a font: per-glyph tight boxes, DWIDTH = width + spacing."""
    height = art.ascent + art.descent
    max_width = max((g.width for g in art.glyphs.values()), default=1)
    chars = []
    for code in sorted(art.glyphs):
        glyph = art.glyphs[code]
        lit = [i for i, r in enumerate(glyph.rows) if "#" in r]
        cols = [c for r in glyph.rows for c, p in enumerate(r) if p == "#"]
        if lit:
            top, bottom = lit[0], lit[-1]
            left, right = min(cols), max(cols)
        else:
            top = bottom = left = right = 0
        bw, bh = (right - left + 1, bottom - top + 1) if lit else (0, 0)
        yoff = art.ascent - 1 - bottom if lit else 0
        lines = [
            f"STARTCHAR U+{code:04X}",
            f"ENCODING {code}",
            f"SWIDTH {round((glyph.width + art.spacing) * 1000 / height)} 0",
            f"DWIDTH {glyph.width + art.spacing} 0",
            f"BBX {bw} {bh} {left} {yoff}",
            "BITMAP",
        ]
        nbytes = (bw + 7) // 8
        for row in glyph.rows[top : bottom + 1] if lit else []:
            bits = row[left : right + 1].replace("#", "1").replace(".", "0")
            value = int(bits.ljust(nbytes * 8, "0"), 2)
            lines.append(f"{value:0{nbytes * 2}X}")
        lines.append("ENDCHAR")
        chars.append("\n".join(lines))
    header = [
        "STARTFONT 2.1",
        f"COMMENT {art.name}: drawn for glanceboard, built by matrix_client.render.fonttool",
        f"FONT -glanceboard-{art.name}-medium-r-normal--{height}-{height * 10}-75-75-c-"
        f"{(max_width + art.spacing) * 10}-iso8859-1",
        f"SIZE {height} 75 75",
        f"FONTBOUNDINGBOX {max_width} {height} 0 {-art.descent}",
        "STARTPROPERTIES 6",
        f"FONT_ASCENT {art.ascent}",
        f"FONT_DESCENT {art.descent}",
        f"PIXEL_SIZE {height}",
        'CHARSET_REGISTRY "ISO8859"',
        'CHARSET_ENCODING "1"',
        f"DEFAULT_CHAR {63 if 63 in art.glyphs else min(art.glyphs)}",
        "ENDPROPERTIES",
        f"CHARS {len(chars)}",
    ]
    return "\n".join(header + chars + ["ENDFONT", ""])


def build(src_dir: Path, out_dir: Path) -> list[Path]:
    written = []
    for src in sorted(src_dir.glob("*.txt")):
        art = parse_art(src)
        for variant in [art] + ([scaled(art)] if art.scaled_name else []):
            target = out_dir / f"{variant.name}.bdf"
            target.write_text(to_bdf(variant), encoding="ascii")
            written.append(target)
    return written


def specimen(path: Path, out: Path, scale: int = 8) -> None:
    """A magnified sample of every printable character, to judge a font by eye."""
    from PIL import Image

    from matrix_client.render.text import draw_text

    font = load_font(str(path))
    lines = [
        "".join(chr(c) for c in range(32 + 24 * i, min(127, 32 + 24 * (i + 1)))) for i in range(4)
    ] + ["12:34 -5\u00b0 72\u00b0F AQI 42", "Thu Nov 26 gjpqy"]
    width = max(font.width(line) for line in lines) + 2
    image = Image.new("RGB", (width, (font.height + 1) * len(lines) + 1), (20, 20, 40))
    for i, line in enumerate(lines):
        draw_text(image, (1, 1 + i * (font.height + 1)), line, font, (255, 255, 255))
    image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST).save(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matrix_client.render.fonttool",
        description="Build the project's BDF fonts from glyph art, or convert/preview any BDF.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write fonts/<name>.bdf from every fonts/src/*.txt")
    p_build.add_argument("--src", type=Path, default=FONT_DIR / "src", help="glyph art folder")
    p_build.add_argument("--out", type=Path, default=FONT_DIR, help="folder for the .bdf files")
    p_conv = sub.add_parser("convert", help="convert BDF files into the font cache now")
    p_conv.add_argument("bdf", nargs="+", type=Path, help="BDF files to convert")
    p_spec = sub.add_parser("specimen", help="render a magnified sample of a BDF to a PNG")
    p_spec.add_argument("bdf", type=Path, help="the BDF file")
    p_spec.add_argument("out", type=Path, help="the PNG to write")
    p_spec.add_argument("--scale", type=int, default=8, help="magnification (default 8)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            for path in build(args.src, args.out):
                print(path)
        elif args.command == "convert":
            for path in args.bdf:
                print(convert(path))
        else:
            specimen(args.bdf, args.out, args.scale)
            print(args.out)
    except (FontError, ValueError, OSError) as exc:
        print(f"fonttool: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
