"""Layout tables: one table per size class, checked against the page's dataclass at
load; every mistake is refused with the file and the key named."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.widgets.tables import (
    FontRole,
    LayoutError,
    load_table,
    parse_table,
)


@dataclass(frozen=True)
class Header:
    font: FontRole = "small"
    color: Color = colors.AMBER


@dataclass(frozen=True)
class CardLayout:
    icon: int = field(metadata={"min": 8, "max": 32})
    rows: tuple[str, ...] = ("temp",)
    gap: int = 0
    chart: bool = False
    scale: float = 1.0
    note: str | None = None
    header: Header = Header()
    origin: tuple[int, int] = (0, 0)


GOOD = """
[defaults]
gap = 1
header = { font = "tiny" }

[64x32]
icon = 16

[128x32]
icon = 16
rows = ["temp", "wind"]
header = { color = "#102030" }

[64x64]
icon = 24
gap = 2
scale = 2
origin = [3, 4]

[128x64]
icon = 24
chart = true
note = "wide"
header = { font = "medium", color = "cyan" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "card.toml"
    path.write_text(text)
    return path


def test_a_good_table_loads_with_defaults_merged(tmp_path: Path) -> None:
    table = load_table(write(tmp_path, GOOD), CardLayout)
    small = table.for_class("64x32")
    assert small == CardLayout(icon=16, gap=1, header=Header(font="tiny"))
    assert table.for_class("128x32").rows == ("temp", "wind")
    assert table.for_class("128x32").header == Header("tiny", (16, 32, 48))
    assert table.for_class("64x64").gap == 2 and table.for_class("64x64").scale == 2.0
    assert table.for_class("64x64").origin == (3, 4)
    wide = table.for_size((128, 64))
    assert wide.chart and wide.note == "wide" and wide.header == Header("medium", colors.CYAN)
    assert table.for_size((96, 40)) is small  # odd sizes use their size class


def _broken(tmp_path: Path, old: str, new: str) -> str:
    assert old in GOOD
    with pytest.raises(LayoutError) as caught:
        load_table(write(tmp_path, GOOD.replace(old, new, 1)), CardLayout)
    message = str(caught.value)
    assert str(tmp_path / "card.toml") in message
    return message


@pytest.mark.parametrize(("old", "new", "named"), [
    ("[64x32]\nicon = 16", "[64x32]\nicon = 'big'", "[64x32].icon: expected an integer, got 'big'"),
    ("[64x32]\nicon = 16", "[64x32]\nicon = 4", "[64x32].icon: 4 is outside 8..32"),
    ("[64x32]\nicon = 16", "[64x32]\nicon = true", "[64x32].icon: expected an integer"),
    ("[64x32]\nicon = 16", "[64x32]\nicon = 16\nicons = 2", "[64x32] unknown key 'icons'"),
    ("[64x32]\nicon = 16", "[64x32]\ngap = 3", "[64x32] missing key 'icon'"),
    ("[64x32]\nicon = 16", "[64x23]\nicon = 16", "unknown table [64x23]"),
    ("chart = true", "chart = 'yes'", "[128x64].chart: expected true or false"),
    ('rows = ["temp", "wind"]', 'rows = ["temp", 3]', "[128x32].rows[1]: expected a string"),
    ('rows = ["temp", "wind"]', 'rows = "temp"', "[128x32].rows: expected a list"),
    ('font = "medium"', 'font = "huge"', "[128x64].header.font: 'huge' is not one of"),
    ('color = "cyan"', 'color = "teal"', "[128x64].header.color: 'teal' is not a palette"),
    ('color = "#102030"', 'color = "#1020"', "[128x32].header.color: '#1020'"),
    ('header = { font = "tiny" }', 'header = 3', "[defaults].header: expected a table"),
    ('header = { font = "tiny" }', 'header = { fnt = "tiny" }', "[defaults].header unknown key"),
    ("scale = 2", "scale = 'x'", "[64x64].scale: expected a number"),
    ("origin = [3, 4]", "origin = [3]", "[64x64].origin: expected 2 items, got 1"),
    ("origin = [3, 4]", "origin = [3, 'x']", "[64x64].origin[1]: expected an integer"),
])
def test_a_bad_value_is_named_with_file_and_key(tmp_path, old: str, new: str, named: str) -> None:
    assert named in _broken(tmp_path, old, new)


@pytest.mark.parametrize(("old", "new", "named"), [
    ("gap = 1\nheader", "gap = 'one'\nheader", "[defaults].gap: expected an integer"),
    ('header = { font = "tiny" }', 'header = { font = "x" }', "[defaults].header.font: 'x'"),
    ("gap = 1\nheader", "gaps = 1\nheader", "[defaults] unknown key 'gaps'"),
])
def test_a_bad_shared_value_is_named_in_the_defaults(tmp_path, old, new, named) -> None:
    assert named in _broken(tmp_path, old, new)


def test_a_missing_size_class_is_named(tmp_path: Path) -> None:
    text = GOOD.replace("[64x64]\nicon = 24\ngap = 2\nscale = 2\n", "")
    with pytest.raises(LayoutError, match=r"card\.toml: no \[64x64\] table"):
        load_table(write(tmp_path, text), CardLayout)


def test_bad_toml_names_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match=r"card\.toml: not valid TOML .*line 3"):
        load_table(write(tmp_path, "[64x32]\nicon = 16\nicon = = 2\n"), CardLayout)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match=r"nothere\.toml: cannot read it"):
        load_table(tmp_path / "nothere.toml", CardLayout)


def test_python_literal_tables_are_checked_the_same_way() -> None:
    data = {name: {"icon": 12} for name in ("64x32", "128x32", "64x64", "128x64")}
    assert parse_table(data, CardLayout, "card.py:LAYOUT").for_class("64x64").icon == 12
    data["64x64"] = {"icon": 99}
    with pytest.raises(LayoutError, match=r"card\.py:LAYOUT: \[64x64\]\.icon: 99 is outside"):
        parse_table(data, CardLayout, "card.py:LAYOUT")
