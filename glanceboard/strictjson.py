"""JSON that every consumer can read: strict UTF-8, finite numbers, bounded nesting.

Python's ``json`` is lenient where browsers, Lua's cjson and most clients are
not: it reads ``NaN`` and ``Infinity``, turns ``1e400`` into infinity, and
decodes ``"\\ud800"`` into a lone surrogate that no UTF-8 encoder accepts. A
message that passes such a parse fails later, when it is re-encoded for Redis
or a socket. So every part decodes outside input with :func:`loads` and
encodes with :func:`dumps`, which accept exactly what round-trips as strict
UTF-8 JSON, and name the reason when they refuse.
"""

from __future__ import annotations

import json
import sys
from typing import Any

MAX_DEPTH = 64
# Integers past the largest double become infinity in JavaScript and Lua.
MAX_NUMBER = int(sys.float_info.max)


class RejectedMessage(ValueError):
    """Input that must not be stored or forwarded; ``reason`` is a short metric label."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _no_constant(name: str) -> Any:
    raise RejectedMessage("non_finite", f"{name} is not a JSON number")


def decode_text(raw: bytes | str) -> str:
    """``raw`` as text; bytes must be strict UTF-8."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RejectedMessage("invalid_utf8", f"byte {exc.start}: {exc.reason}") from None


def loads(raw: bytes | str) -> Any:
    """Parse strict JSON; raise :class:`RejectedMessage` naming what is wrong.

    Callers then check the value's shape, :func:`check_tree` included; lone
    surrogates in strings show when the value is encoded with :func:`dumps`,
    which every caller does before passing a value on.
    """
    text = decode_text(raw)
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise RejectedMessage("too_deep", f"nesting deeper than {MAX_DEPTH}") from None
    except RejectedMessage:
        raise
    except ValueError as exc:  # JSONDecodeError, and ints past Python's digit limit
        raise RejectedMessage("not_json", str(exc)) from None
    return value


def read(raw: bytes | str, *, encodable: bool = True) -> Any:
    """``raw`` parsed and checked (:func:`loads`, :func:`check_tree`) and, unless told
    otherwise, known to encode again (:func:`dumps`): what a body or message must pass
    before anything uses it. :class:`RejectedMessage` otherwise."""
    value = loads(raw)
    check_tree(value)
    if encodable:
        dumps(value)
    return value


def check_tree(value: Any, max_depth: int = MAX_DEPTH) -> None:
    """Nesting of at most ``max_depth`` containers, and no integer a double cannot hold."""
    if type(value) not in (dict, list):
        _check_leaf(value)
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise RejectedMessage("too_deep", f"nesting deeper than {max_depth}")
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif kind is int and not -MAX_NUMBER <= child <= MAX_NUMBER:
                _check_leaf(child)


def _check_leaf(value: Any) -> None:
    if type(value) is int and not -MAX_NUMBER <= value <= MAX_NUMBER:
        raise RejectedMessage("non_finite", f"an integer of {len(str(abs(value)))} digits "
                              "is past the range of a double")


def dumps(value: Any) -> bytes:
    """Compact strict JSON as UTF-8; raise :class:`RejectedMessage` for what has none."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise RejectedMessage("too_deep", "nesting too deep to encode") from None
    except ValueError as exc:  # NaN, Infinity (e.g. from 1e400), or a circular reference
        raise RejectedMessage("non_finite", str(exc)) from None
    except TypeError as exc:  # only from our own code: a value JSON has no form for
        raise RejectedMessage("not_json", str(exc)) from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = ord(exc.object[exc.start])
        raise RejectedMessage("lone_surrogate",
                              f"U+{bad:04X} at character {exc.start} has no UTF-8 form") from None
