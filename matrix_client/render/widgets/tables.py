"""Layout tables: what differs between panel sizes, as data checked at load.

A page keeps the numbers and choices of its layout (icon size, fonts, which
rows show, gaps) in a TOML file with one table per size class, and declares
their shape as a dataclass. Loading checks every size class is there, every
key is known and every value has the declared type (nested dataclasses are
sub-tables), so a bad layout fails at start with its file and key named::

    # weather.toml
    [defaults]          # optional: merged under every size class
    gap = 1
    [64x32]
    icon = 16
    temp_font = "medium"
    [128x32]
    ...

    @dataclass(frozen=True)
    class WeatherLayout:
        icon: int = field(metadata={"min": 8, "max": 32})
        temp_font: FontRole
        gap: int = 0

    TABLE = load_table(Path(__file__).with_name("weather.toml"), WeatherLayout)
    TABLE.for_size((ctx.width, ctx.height)).icon

Types understood: ``int``, ``float``, ``bool``, ``str``, ``Literal[...]``,
``tuple[X, ...]`` and ``tuple[X, Y]``, ``Color`` (a palette name such as ``"amber"`` or
``"#rrggbb"``), optional (``X | None``) and nested dataclasses; ``min``/``max``
in a field's metadata bound numbers (and tuple lengths' items).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from glanceboard.payloads.read import hex_color
from matrix_client.render import colors
from matrix_client.render.colors import Color
from matrix_client.render.widgets.base import SIZE_CLASSES, Size, size_class

T = TypeVar("T")
FontRole = Literal["tiny", "small", "medium", "clock", "clock_large"]
DEFAULTS = "defaults"


class LayoutError(ValueError):
    """A layout table that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class LayoutTable(Generic[T]):
    """A validated layout per size class."""

    source: str
    by_class: Mapping[str, T]

    def for_class(self, name: str) -> T:
        return self.by_class[name]

    def for_size(self, size: Size) -> T:
        """The layout of the size class a panel of ``size`` is laid out as."""
        return self.by_class[size_class(*size)]


def load_table(path: str | Path, schema: type[T]) -> LayoutTable[T]:
    """Read and check the TOML layout table at ``path`` against ``schema``."""
    import tomllib  # standard library; only pages with a table pay for it

    source = Path(path)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise LayoutError(f"layout {source}: cannot read it ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"layout {source}: not valid TOML ({exc})") from exc
    return parse_table(data, schema, str(source))


def parse_table(data: Mapping[str, Any], schema: type[T], source: str) -> LayoutTable[T]:
    """Check an already-parsed table (TOML's or a Python literal's) against ``schema``."""
    if not dataclasses.is_dataclass(schema):
        raise TypeError(f"layout schema {schema!r} is not a dataclass")
    unknown = sorted(set(data) - {*SIZE_CLASSES, DEFAULTS})
    if unknown:
        raise LayoutError(
            f"layout {source}: unknown table [{unknown[0]}]; "
            f"expected {', '.join(SIZE_CLASSES)} (and optionally {DEFAULTS})"
        )
    shared = data.get(DEFAULTS, {})
    if not isinstance(shared, Mapping):
        raise LayoutError(f"layout {source}: [{DEFAULTS}] must be a table")
    # Shared values are checked on their own first, so a bad one is named where it is.
    _build(schema, shared, f"layout {source}: [{DEFAULTS}]", partial=True)
    out: dict[str, T] = {}
    for name in SIZE_CLASSES:
        if name not in data:
            raise LayoutError(f"layout {source}: no [{name}] table; every size class needs one")
        table = data[name]
        if not isinstance(table, Mapping):
            raise LayoutError(f"layout {source}: [{name}] must be a table")
        out[name] = _build(schema, _merged(shared, table), f"layout {source}: [{name}]")
    return LayoutTable(source, out)


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``, sub-tables merged key by key."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _build(schema: type[T], table: Mapping[str, Any], where: str, partial: bool = False) -> Any:
    """``schema`` built from ``table``; ``partial`` checks the keys given and builds nothing."""
    fields = {f.name: f for f in dataclasses.fields(schema)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(schema)
    for key in table:
        if key not in fields:
            raise LayoutError(f"{where} unknown key {key!r}; known: {', '.join(fields)}")
    values = {}
    for name, spec in fields.items():
        if name not in table:
            no_default = spec.default is dataclasses.MISSING
            if no_default and spec.default_factory is dataclasses.MISSING and not partial:
                raise LayoutError(f"{where} missing key {name!r}")
            continue
        values[name] = _value(hints[name], table[name], f"{where}.{name}", spec.metadata, partial)
    return None if partial else schema(**values)


def _value(
    kind: Any, value: Any, where: str, meta: Mapping[str, Any], partial: bool = False
) -> Any:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _value(options[0], value, where, meta, partial)
        raise TypeError(f"{where}: unions other than X | None are not supported in layouts")
    if kind == Color:
        return _color(value, where)
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, Mapping):
            raise LayoutError(f"{where}: expected a table, got {value!r}")
        return _build(kind, value, where, partial)  # type: ignore[arg-type]
    if origin is Literal:
        if value not in args:
            choices = ", ".join(repr(a) for a in args)
            raise LayoutError(f"{where}: {value!r} is not one of {choices}")
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise LayoutError(f"{where}: expected a list, got {value!r}")
        if args and args[-1] is not Ellipsis:  # tuple[int, int]: exactly that many
            if len(value) != len(args):
                raise LayoutError(f"{where}: expected {len(args)} items, got {len(value)}")
            kinds = list(args)
        else:
            kinds = [args[0] if args else Any] * len(value)
        return tuple(
            _value(kind, v, f"{where}[{i}]", meta, partial)
            for i, (kind, v) in enumerate(zip(kinds, value, strict=True))
        )
    if kind is bool:
        if not isinstance(value, bool):
            raise LayoutError(f"{where}: expected true or false, got {value!r}")
        return value
    if kind in (int, float):
        number_ok = isinstance(value, int) or (kind is float and isinstance(value, float))
        if isinstance(value, bool) or not number_ok:
            expected = "an integer" if kind is int else "a number"
            raise LayoutError(f"{where}: expected {expected}, got {value!r}")
        low, high = meta.get("min"), meta.get("max")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{'' if low is None else low}..{'' if high is None else high}"
            raise LayoutError(f"{where}: {value!r} is outside {bounds}")
        return kind(value)
    if kind is str:
        if not isinstance(value, str):
            raise LayoutError(f"{where}: expected a string, got {value!r}")
        return value
    if kind is Any:
        return value
    raise TypeError(f"{where}: layout fields of type {kind!r} are not supported")


def _color(value: Any, where: str) -> Color:
    """A palette name ("amber", "dim_text") or "#rrggbb"."""
    if isinstance(value, str):
        parsed = hex_color(value) if value.startswith("#") else None
        named = getattr(colors, value.upper(), None) if value.isidentifier() else None
        if parsed is not None:
            return parsed
        if isinstance(named, tuple) and len(named) == 3:
            return named
    raise LayoutError(f"{where}: {value!r} is not a palette colour name nor #rrggbb")
