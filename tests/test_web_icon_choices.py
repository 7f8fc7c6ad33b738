"""The dashboard's notify form offers exactly the icons a notify may name.

The choices are written into index.html (the page has no build step); the names a
notify accepts are glanceboard.payloads.icons.ICON_NAMES. A name added to one and not
the other would be an icon nobody can pick, or a choice the server refuses."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from glanceboard.payloads.icons import ICON_NAMES

INDEX = Path(__file__).resolve().parents[1] / "server" / "web" / "index.html"


class _Options(HTMLParser):
    """The option values of the <select> with a given id."""

    def __init__(self, select_id: str) -> None:
        super().__init__()
        self.select_id = select_id
        self.inside = False
        self.values: list[str] = []
        self._value: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "select":
            self.inside = dict(attrs).get("id") == self.select_id
        elif tag == "option" and self.inside:
            self._value, self._text = dict(attrs).get("value"), ""

    def handle_data(self, data: str) -> None:
        if self.inside:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.inside:
            self.values.append(self._value if self._value is not None else self._text.strip())
            self._value = None
        elif tag == "select":
            self.inside = False


def options(select_id: str) -> list[str]:
    parser = _Options(select_id)
    parser.feed(INDEX.read_text(encoding="utf-8"))
    return parser.values


def test_notify_icon_choices_are_the_icon_names() -> None:
    values = options("notify-icon")
    assert values[0] == ""  # "none": a notify without an icon
    assert sorted(values[1:]) == sorted(ICON_NAMES)
    assert len(values[1:]) == len(set(values[1:]))


def test_the_parser_reads_a_select() -> None:
    # The check above must be able to fail: a select missing from the page has no options.
    assert options("no-such-select") == []
    assert "critical" in options("notify-level")
