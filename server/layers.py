"""One typed settings model per server part, read in layers with one precedence rule:

    defaults < file < environment < live settings (Valkey) < flags

A part declares its settings once, as a :class:`LayeredSettings` subclass whose
fields carry their environment variable names and flag (:func:`setting`). From
that one declaration come the flags (:func:`add_flags`), the loading
(:func:`load`, built on pydantic-settings' sources), the error line naming key
and source (:class:`SettingsError`), ``--show-settings`` (:func:`show`) and the
table in docs/settings.md (:func:`doc_table`).

The live layer is a :class:`LiveSettings` object: whoever keeps the settings
stored in Valkey up to date calls its ``update()``; every ``load()`` given it
reads its latest values, between the environment and the flags.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from glanceboard.shown import shown_value

# Lowest first: a later layer wins over an earlier one.
PRECEDENCE = ("default", "file", "env", "live", "flag")


class SettingsError(ValueError):
    """One bad or conflicting setting: the message names the key and where it was set."""

    def __init__(self, message: str, key: str | None = None, origin: Origin | None = None
                 ) -> None:
        super().__init__(message)
        self.key = key
        self.origin = origin


@dataclass(frozen=True)
class Origin:
    """Where a value came from: a layer of PRECEDENCE, and which file / variable / flag."""

    kind: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.kind} {self.where}".strip()


DEFAULT = Origin("default")


@dataclass(frozen=True)
class Spec:
    """What a field declares besides its type: names outside Python, and how to show it."""

    env: tuple[str, ...] = ()  # the first is the name to use; the others are old aliases
    flag: str | None = None
    secret: bool = False
    shown_default: str | None = None  # for --help and the docs, when the value is computed


def setting(default: Any = None, *, help: str, env: str | Iterable[str] = (),
            flag: str | None = None, secret: bool = False,
            shown_default: str | None = None) -> Any:
    """A field of a :class:`LayeredSettings` model (use as ``name: type = setting(...)``)."""
    names = (env,) if isinstance(env, str) else tuple(env)
    spec = Spec(names, flag, secret, shown_default)
    return Field(default, description=help, json_schema_extra={"layers": spec})  # type: ignore[arg-type]


def spec_of(info: FieldInfo) -> Spec:
    extra = info.json_schema_extra
    found = extra.get("layers") if isinstance(extra, dict) else None
    return found if isinstance(found, Spec) else Spec()


@dataclass
class Layer:
    """The raw values one layer sets, by field name, and where each was set."""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def origin(self, name: str) -> Origin:
        return Origin(self.kind, self.where.get(name, ""))


class LiveSettings:
    """The live layer: the latest settings kept in Valkey, for every load() that is given it.

    The process that follows the settings in Valkey calls :meth:`update` with the
    stored values (field name -> value) each time they change; a part reads them
    at its next load. Thread-safe: updates may come from another thread.
    """

    def __init__(self, values: Mapping[str, Any] | None = None, where: str = "valkey") -> None:
        self._lock = threading.Lock()
        self._values = dict(values or {})
        self._where = where
        self.version = 0

    def update(self, values: Mapping[str, Any], version: int | None = None) -> None:
        with self._lock:
            self._values = dict(values)
            self.version = self.version + 1 if version is None else version

    def layer(self) -> Layer:
        with self._lock:
            values, where = dict(self._values), f"{self._where} v{self.version}"
        return Layer("live", values, dict.fromkeys(values, where))


class _LayerSource(PydanticBaseSettingsSource):
    """One Layer as a pydantic-settings source."""

    def __init__(self, settings_cls: type[BaseSettings], layer: Layer) -> None:
        super().__init__(settings_cls)
        self.layer = layer

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self.layer.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return {name: value for name, value in self.layer.values.items()
                if name in self.settings_cls.model_fields}


_ACTIVE: ContextVar[tuple[Layer, ...]] = ContextVar("glanceboard_layers", default=())


class LayeredSettings(BaseSettings):
    """Base of every part's model: its sources are the layers :func:`load` was given."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)
    part: ClassVar[str] = ""  # the part's name in docs/settings.md and for live settings

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        # pydantic-settings: the first source wins. Keyword arguments first (tests).
        ranked = sorted(_ACTIVE.get(), key=lambda layer: -PRECEDENCE.index(layer.kind))
        return (init_settings, *(_LayerSource(settings_cls, layer) for layer in ranked))


M = TypeVar("M", bound=LayeredSettings)


def env_layer(model: type[LayeredSettings], environ: Mapping[str, str]) -> Layer:
    """The variables of ``environ`` that ``model`` reads; an empty one counts as unset."""
    layer = Layer("env")
    for name, info in model.model_fields.items():
        for var in spec_of(info).env:
            if environ.get(var):
                layer.values[name], layer.where[name] = environ[var], var
                break
    return layer


def flag_layer(model: type[LayeredSettings], args: argparse.Namespace | None) -> Layer:
    """The flags given on the command line (those left unset are None)."""
    layer = Layer("flag")
    for name, info in model.model_fields.items():
        flag = spec_of(info).flag
        value = getattr(args, name, None) if flag else None
        if value is not None:
            layer.values[name], layer.where[name] = value, flag or ""
    return layer


def file_layer(path: Path | str, data: Mapping[str, Any]) -> Layer:
    return Layer("file", dict(data), dict.fromkeys(data, str(path)))


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model and where each of its values came from."""

    settings: M
    origins: dict[str, Origin]

    def origin(self, name: str) -> Origin:
        return self.origins.get(name, DEFAULT)

    def locked(self, name: str) -> bool:
        """A flag set it: no live setting can change it (a settings page shows it locked)."""
        return self.origin(name).kind == "flag"


def live_errors(model: type[LayeredSettings], values: Mapping[str, Any]) -> dict[str, str]:
    """Proposed live settings checked one by one: field name -> why it is refused (unknown
    names too). Empty when every value would load."""
    errors: dict[str, str] = {}
    for name, value in values.items():
        if name not in model.model_fields:
            errors[name] = "unknown setting"
            continue
        try:
            load(model, live=LiveSettings({name: value}, where="proposed"))
        except SettingsError as exc:
            errors[name] = str(exc)
    return errors


def _reason(error: Mapping[str, Any]) -> str:
    if error.get("type") == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    return str(error.get("msg", "invalid"))


def describe_error(name: str, raw: Any, origin: Origin, reason: str) -> str:
    """The one line for a bad value: key, source and why."""
    if origin.kind == "env":
        return f"environment variable {origin.where}={raw!r}: {reason}"
    if origin.kind == "flag":
        return f"argument {origin.where}: {reason}"
    if origin.kind == "file":
        return f"config file {origin.where}: '{name}': {raw!r}: {reason}"
    if origin.kind == "live":
        return f"live setting '{name}' ({origin.where}) = {raw!r}: {reason}"
    return f"setting '{name}' (default {raw!r}): {reason}"


def load(model: type[M], *, args: argparse.Namespace | None = None,
         environ: Mapping[str, str] | None = None, file: Layer | None = None,
         live: LiveSettings | None = None) -> Loaded[M]:
    """``model`` from its layers; SettingsError (one line: key, source, why) if a value is bad.

    Every layer's values are checked, also those a higher layer overrides: a broken
    variable is reported now, not on the day its flag is dropped.
    """
    layers = [layer for layer in (file, env_layer(model, environ or {}),
                                  live.layer() if live else None, flag_layer(model, args))
              if layer is not None]
    loaded: Loaded[M] | None = None
    for top in range(1, len(layers) + 1):
        loaded = _build(model, layers[:top])
    return loaded if loaded is not None else _build(model, [])


def _build(model: type[M], layers: list[Layer]) -> Loaded[M]:
    origins: dict[str, Origin] = {}
    raw: dict[str, Any] = {}
    for layer in layers:  # lowest first, so the winner is written last
        for name in layer.values:
            if name in model.model_fields:
                origins[name], raw[name] = layer.origin(name), layer.values[name]
    token = _ACTIVE.set(tuple(layers))
    try:
        settings = model()
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error.get("loc") else "?"
        origin = origins.get(name, DEFAULT)
        value = raw.get(name, model.model_fields[name].default if name in model.model_fields
                        else None)
        raise SettingsError(describe_error(name, value, origin, _reason(error)), name,
                            origin) from None
    finally:
        _ACTIVE.reset(token)
    return Loaded(settings, origins)


# --- flags -----------------------------------------------------------------------------

def default_text(info: FieldInfo) -> str:
    spec = spec_of(info)
    if spec.shown_default is not None:
        return spec.shown_default
    value = info.default
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None or value == "":
        return "unset"
    if isinstance(value, tuple | list):
        return ",".join(map(str, value)) or "unset"
    return str(value)


def add_flags(parser: argparse.ArgumentParser | argparse._ArgumentGroup,
              model: type[LayeredSettings], names: Iterable[str] | None = None) -> None:
    """A flag for every field of ``model`` (or ``names``) that declares one; the help names
    the environment variable and the default. Flags left out are None: not set."""
    wanted = set(model.model_fields) if names is None else set(names)
    for name, info in model.model_fields.items():
        spec = spec_of(info)
        if name not in wanted or not spec.flag:
            continue
        parts = [info.description or ""]
        if spec.env:
            parts.append(f"env {spec.env[0]}")
        kwargs: dict[str, Any] = {"dest": name, "default": None}
        if info.annotation is bool:
            kwargs["action"] = "store_true"
        else:
            parts.append(f"default {default_text(info)}")
        text = parts[0] + (f" ({'; '.join(parts[1:])})" if len(parts) > 1 else "")
        kwargs["help"] = text.replace("%", "%%")
        parser.add_argument(spec.flag, **kwargs)


SHOW_HELP = ("print every setting with its value and where it comes from (default, file, "
             "env, live, flag), secrets masked, then exit")


def add_show_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--show-settings", action="store_true", help=SHOW_HELP)


# --- --show-settings -------------------------------------------------------------------

Row = tuple[str, str, str]  # name, value as shown, source


def field_order(model: type[LayeredSettings]) -> list[str]:
    """The fields a part declares itself first, then those it shares (e.g. the Redis ones)."""
    order: list[str] = []
    for klass in model.__mro__:
        for name in vars(klass).get("__annotations__", {}):
            if name in model.model_fields and name not in order:
                order.append(name)
    return order


def rows(loaded: Loaded[Any], values: Callable[[str, Any], Any] | None = None) -> list[Row]:
    """One row per field. ``values`` may replace a value for showing (e.g. a computed URL)."""
    out = []
    fields = type(loaded.settings).model_fields
    for name in field_order(type(loaded.settings)):
        info = fields[name]
        value = getattr(loaded.settings, name)
        if values is not None:
            value = values(name, value)
        out.append((name, shown_value(value, spec_of(info).secret), str(loaded.origin(name))))
    return out


def show(table: Iterable[Row], title: str = "") -> str:
    """The rows as aligned columns: setting, value, source."""
    table = list(table)
    width = max((len(r[0]) for r in table), default=7)
    vwidth = min(max((len(r[1]) for r in table), default=5), 48)
    lines = [title] if title else []
    lines.append(f"{'setting':{width}}  {'value':{vwidth}}  source")
    lines += [f"{n:{width}}  {v:{vwidth}}  {s}" for n, v, s in table]
    return "\n".join(lines) + "\n"


# --- docs ------------------------------------------------------------------------------

def doc_rows(model: type[LayeredSettings]) -> list[str]:
    """Markdown table rows: setting, flag, environment, default, meaning."""
    lines = []
    for name in field_order(model):
        info = model.model_fields[name]
        spec = spec_of(info)
        env = ", ".join(f"`{e}`" for e in spec.env) or "-"
        flag = f"`{spec.flag}`" if spec.flag else "-"
        meaning = (info.description or "").replace("|", "\\|")
        if spec.secret:
            meaning += " (secret: masked)"
        lines.append(f"| `{name}` | {flag} | {env} | {default_text(info)} | {meaning} |")
    return lines
