"""The client's settings: one typed schema read in layers, with the rule every part shares
(docs/settings.md):

    defaults < TOML file < environment < live settings < flags

Every key is declared once in :data:`SCHEMA` with its type, default and
check, so the file, the environment (``GLANCEBOARD_<SECTION>_<KEY>``), the
live layer (settings sent by the API server; ``live=`` of :func:`load_config`)
and the flags share one parser and one error message: ``<where>: [section]
key: <what is wrong>``. Each value remembers where it came from, for
``--show-settings``. Standard library only: this runs on a Pi Zero.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glanceboard.display_id import check_display_id, host_display_id
from glanceboard.shown import shown_value
from matrix_client.checks import boolean as _bool
from matrix_client.checks import integer as _int
from matrix_client.checks import string as _str
from matrix_client.panel_options import GEOMETRY_DEFAULTS, cross_check
from matrix_client.panel_options import OPTIONS as PANEL_OPTIONS

if TYPE_CHECKING:  # the pages bring Pillow: not needed to parse flags or print --help
    from matrix_client.pages.base import PageSettings

CONFIG_ENV = "GLANCEBOARD_CONFIG"
ENV_PREFIX = "GLANCEBOARD_"
BACKENDS = ("panel", "emulator", "headless")
EMULATOR_ADAPTERS = ("browser", "raw", "pygame", "terminal", "sixel", "tkinter", "turtle")
PIXEL_STYLES = ("square", "circle", "real")  # RGBMatrixEmulator's LED shapes
UNITS = ("imperial", "metric")  # as glanceboard.payloads.settings.UNITS
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(ValueError):
    """One bad setting: names the key and where it came from."""


def _user_config_dir() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "glanceboard"


def _user_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glanceboard"


# --- value checks: each returns the clean value or raises ValueError(why) ----------------

def _float(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                raise ValueError(f"expected a number, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"expected a number in {low:g}-{high:g}, got {value:g}")
        return float(value)
    return check


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.strip().lower() not in options:
            raise ValueError(f"expected one of {', '.join(options)}, got {value!r}")
        return value.strip().lower()
    return check


def _fallback_adapter(value: Any) -> str:
    """An emulator adapter, or "" for none."""
    if isinstance(value, str) and not value.strip():
        return ""
    return _choice(EMULATOR_ADAPTERS)(value)


def _url(value: Any) -> str:
    text = _str(value).strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", text):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    return text


def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # from the environment or a flag: comma separated
        value = [part for part in (p.strip() for p in value.split(",")) if part]
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _optional_path(value: Any) -> str:
    return _str(value).strip()


def _zone(value: Any) -> str:
    name = _str(value).strip()
    if name:
        from glanceboard.zones import zone_named

        if zone_named(name) is None:
            raise ValueError(f"unknown time zone {name!r} (use an IANA name such as "
                             "America/New_York)")
    return name


def _display_id(value: Any) -> str:
    """A display id, or "" for the host name."""
    text = _str(value).strip()
    return check_display_id(text) if text else ""


def _weekday(value: Any) -> str:
    if value == "" or value is None:
        return ""
    return _choice(WEEKDAYS)(value)


def _schedule(value: Any) -> tuple[tuple[int, int], ...]:
    """``{"07:00" = 100, "22:00" = 20}`` -> ((420, 100), (1320, 20)), sorted by minute."""
    if value == ():
        return ()
    if isinstance(value, str):  # env / flag form: "07:00=100,22:00=20"
        pairs: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in value.split(","))):
            at, _, percent = part.partition("=")
            pairs[at.strip()] = percent.strip()
        value = pairs
    if not isinstance(value, Mapping):
        raise ValueError(f'expected a table like {{"07:00" = 100, "22:00" = 20}}, got {value!r}')
    entries = []
    for at, percent in value.items():
        match = _HHMM.match(str(at))
        if not match:
            raise ValueError(f"time {at!r} is not HH:MM (00:00-23:59)")
        try:
            level = _int(0, 100)(percent)
        except ValueError as exc:
            raise ValueError(f"at {at}: {exc}") from None
        entries.append((int(match[1]) * 60 + int(match[2]), level))
    return tuple(sorted(entries))


def _fonts(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f'expected a table of role = "path.bdf", got {value!r}')
    return dict(value)


@dataclass(frozen=True)
class Key:
    check: Callable[[Any], Any]
    default: Any  # None: unset unless the file, the environment or a flag sets it
    help: str = ""
    env: bool = True  # tables (schedule, fonts) are file-only unless they have a string form
    secret: bool = False  # masked by --show-settings


# section -> key -> spec. Order matters only for documentation.
SCHEMA: dict[str, dict[str, Key]] = {
    "api": {
        "url": Key(_url, "http://127.0.0.1:8000", "API server base URL"),
        "token": Key(_str, "", "bearer token, sent when the API is private", secret=True),
        "read_timeout": Key(_float(1, 3600), 45.0, "seconds without a byte before reconnecting"),
        "connect_timeout": Key(_float(0.5, 120), 5.0, "seconds to open a connection"),
        "types": Key(_str_list, (), "types to fetch from an older server without /state"),
    },
    "display": {
        "id": Key(_display_id, "", "this display's name in GET /displays and the target of "
                  "control commands; empty = the host name"),
        "report_interval": Key(_float(5, 3600), 30.0,
                               "seconds between reports to the API server (also sent at "
                               "each change of page or brightness)"),
        "backend": Key(_choice(BACKENDS), "panel", "panel, emulator or headless"),
        "emulator_adapter": Key(_choice(EMULATOR_ADAPTERS), "browser", "RGBMatrixEmulator adapter"),
        "emulator_port": Key(_int(1, 65535), 8888, "browser adapter port"),
        "emulator_config_dir": Key(_optional_path, "", "where emulator_config.json lives"),
        "emulator_fallback": Key(_fallback_adapter, "",
                                 "adapter to use when emulator_adapter cannot start; empty = "
                                 "stop and say why"),
        "emulator_pixel_size": Key(_int(1, 64), 16, "on-screen pixels per LED"),
        "emulator_pixel_style": Key(_choice(PIXEL_STYLES), "square", "LED shape"),
        "emulator_pixel_glow": Key(_int(0, 32), 6, "glow around each LED, style real only"),
        "emulator_pixel_outline": Key(_int(0, 16), 0,
                                      "black border around each LED (the spacing)"),
        "timezone": Key(_zone, "", "IANA zone for clocks; empty = the system zone"),
        "stale_mark": Key(_bool, True, "a dot in the corner when data is stale"),
        "stale_grace": Key(_float(0, 86400), 30.0, "seconds past 'valid' before the mark"),
        "max_fps": Key(_int(1, 120), 20, "frames per second at most"),
    },
    # hzeller's RGBMatrixOptions, checked as the pinned library checks them; only the
    # geometry has a default, the rest stay at the library's defaults unless set.
    "panel": {name: Key(check, GEOMETRY_DEFAULTS.get(name))
              for name, check in PANEL_OPTIONS.items()},
    "rotation": {
        "file": Key(_optional_path, "", "YAML page list; empty = every page, 10 s each"),
    },
    "pages": {
        "favorite_mlb": Key(_str_list, ()),
        "favorite_nfl": Key(_str_list, ()),
        "wifi_qr": Key(_str, "", "e.g. WIFI:T:WPA;S:name;P:secret;; (holds the password)",
                       secret=True),
        "clock_24h": Key(_bool, False, "24-hour times on every page"),
        "units": Key(_choice(UNITS), "imperial",
                     "what a message without its own units is in: imperial (°F, mph) or "
                     "metric (°C, km/h)"),
        "garbage_day": Key(_weekday, "", "weekday whose evening is garbage night"),
        "fonts": Key(_fonts, {}, "extra BDF fonts, role = path", env=False),
    },
    "brightness": {
        "schedule": Key(_schedule, (), 'e.g. {"07:00" = 100, "22:00" = 20}'),
    },
    "cache": {
        "path": Key(_optional_path, "", "state cache file; empty = user cache dir"),
        "write_delay": Key(_float(0, 600), 2.0, "seconds to gather updates before writing"),
    },
}


# The keys the household's live settings may set, by the PageSettings field they fill.
LIVE_PAGE_FIELDS: dict[tuple[str, str], str] = {
    ("pages", "favorite_mlb"): "favorite_mlb",
    ("pages", "favorite_nfl"): "favorite_nfl",
    ("pages", "wifi_qr"): "wifi_qr",
    ("pages", "clock_24h"): "clock_24h",
    ("pages", "units"): "units",
    ("display", "timezone"): "timezone",
}


@dataclass(frozen=True)
class ClientConfig:
    """Every setting, validated. ``source`` names the file (or "defaults")."""

    values: Mapping[str, Mapping[str, Any]]
    source: str = "defaults"
    base_dir: Path = field(default_factory=Path.cwd)
    # (section, key) -> where its value came from: "default", "file PATH", "env NAME",
    # "live WHERE" or "flag --name".
    origins: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def origin(self, section: str, key: str) -> str:
        return self.origins.get((section, key), "default")

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    # Shortcuts the rest of the client reads.
    @property
    def api_url(self) -> str:
        return self.get("api", "url")

    @property
    def api_token(self) -> str:
        return self.get("api", "token")

    @property
    def display_id(self) -> str:
        """``[display] id``, else the host name cut to the id rule."""
        import socket

        return self.get("display", "id") or host_display_id(socket.gethostname())

    @property
    def backend(self) -> str:
        return self.get("display", "backend")

    @property
    def width(self) -> int:
        panel = self.values["panel"]
        return panel["cols"] * panel["chain_length"]

    @property
    def height(self) -> int:
        panel = self.values["panel"]
        return panel["rows"] * panel["parallel"]

    @property
    def rotation_file(self) -> Path | None:
        name = self.get("rotation", "file")
        return self._resolve(name) if name else None

    @property
    def cache_path(self) -> Path:
        name = self.get("cache", "path")
        return self._resolve(name) if name else _user_cache_dir() / "state.json"

    @property
    def emulator_config_dir(self) -> Path:
        name = self.get("display", "emulator_config_dir")
        return self._resolve(name) if name else _user_config_dir()

    def _resolve(self, name: str) -> Path:
        path = Path(name).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    def page_settings(self) -> PageSettings:
        from matrix_client.pages.base import PageSettings

        pages = self.values["pages"]
        day = pages["garbage_day"]
        return PageSettings(
            favorite_mlb=pages["favorite_mlb"],
            favorite_nfl=pages["favorite_nfl"],
            garbage_weekday=WEEKDAYS.index(day) if day else None,
            wifi_qr=pages["wifi_qr"] or None,
            clock_24h=pages["clock_24h"],
            units=pages["units"],
            timezone=self.get("display", "timezone"),
            fonts={role: str(self._resolve(path)) for role, path in pages["fonts"].items()},
            # One grace for the pages' stale style and the loop's corner mark.
            stale_grace=self.get("display", "stale_grace"),
            # A flag wins over live settings too (docs/settings.md).
            locked=frozenset(name for key, name in LIVE_PAGE_FIELDS.items()
                             if self.origin(*key).startswith("flag")),
        )


def env_name(section: str, key: str) -> str:
    return f"{ENV_PREFIX}{section}_{key}".upper()


def load_config(
    path: str | Path | None = None,
    overrides: Mapping[tuple[str, str], Any] | None = None,
    environ: Mapping[str, str] | None = None,
    live: Mapping[tuple[str, str], Any] | None = None,
    live_where: str = "api",
    flag_names: Mapping[tuple[str, str], str] | None = None,
) -> ClientConfig:
    """File (``path`` or ``$GLANCEBOARD_CONFIG``), then env, then ``live`` (settings the
    API server sent, ``live_where`` naming them), then ``overrides`` (flags, named by
    ``flag_names`` in messages).

    Raises :class:`ConfigError` with one line naming the key and its source.
    """
    environ = os.environ if environ is None else environ
    if path is None and environ.get(CONFIG_ENV):
        path = environ[CONFIG_ENV]
    raw: dict[str, Any] = {}
    source = "defaults"
    base_dir = Path.cwd()
    if path is not None:
        file = Path(path).expanduser()
        source = str(file)
        base_dir = file.resolve().parent
        try:
            with file.open("rb") as handle:
                raw = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"{file}: config file not found") from None
        except OSError as exc:
            raise ConfigError(f"{file}: cannot read: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: not valid TOML: {exc}") from None

    values: dict[str, dict[str, Any]] = {}
    origins: dict[tuple[str, str], str] = {}
    file_origin = f"file {source}"
    for section, keys in SCHEMA.items():
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{section}]: expected a table")
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise ConfigError(f"{source}: [{section}] {unknown[0]}: unknown key; known keys: "
                              + ", ".join(keys))
        section_values: dict[str, Any] = {}
        wheres: dict[str, str] = {}
        for key, spec in keys.items():
            where, origin, value = source, "default", spec.default
            if key in table:
                where, origin, value = source, file_origin, table[key]
            env = env_name(section, key)
            if spec.env and env in environ:
                where, value = f"environment {env}", environ[env]
                origin = f"env {env}"
            if live and (section, key) in live:
                where, value = f"live setting from {live_where}", live[(section, key)]
                origin = f"live {live_where}"
            if overrides and (section, key) in overrides:
                flag = (flag_names or {}).get((section, key))
                where = f"flag {flag}" if flag else "command line"
                origin, value = f"flag {flag or 'command line'}", overrides[(section, key)]
            wheres[key] = where
            origins[(section, key)] = origin
            if value is None:  # not set anywhere, and no default of ours
                section_values[key] = None
                continue
            try:
                section_values[key] = spec.check(value)
            except ValueError as exc:
                raise ConfigError(f"{where}: [{section}] {key}: {exc}") from None
        if section == "panel" and (bad := cross_check(section_values)):
            raise ConfigError(f"{wheres[bad[0]]}: [panel] {bad[0]}: {bad[1]}")
        values[section] = section_values
    unknown_sections = sorted(set(raw) - set(SCHEMA))
    if unknown_sections:
        raise ConfigError(f"{source}: [{unknown_sections[0]}]: unknown section; known: "
                          + ", ".join(SCHEMA))
    return ClientConfig(values=values, source=source, base_dir=base_dir, origins=origins)


# --- --show-settings and docs/settings.md ----------------------------------------------

def _shown(value: Any, secret: bool = False) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):  # a schedule
        return ",".join(f"{m // 60:02d}:{m % 60:02d}={level}" for m, level in value)
    return shown_value(value, secret)


def show_settings(config: ClientConfig, title: str = "") -> str:
    """Every setting, its value and where it came from, as aligned columns."""
    table = [(f"[{section}] {key}", _shown(config.get(section, key), spec.secret),
              config.origin(section, key))
             for section, keys in SCHEMA.items() for key, spec in keys.items()]
    width = max(len(row[0]) for row in table)
    vwidth = min(max(len(row[1]) for row in table), 40)
    lines = [title] if title else []
    lines.append(f"{'setting':{width}}  {'value':{vwidth}}  source")
    lines += [f"{n:{width}}  {v:{vwidth}}  {o}" for n, v, o in table]
    return "\n".join(lines) + "\n"


def doc_rows(flags: Mapping[tuple[str, str], str] | None = None) -> list[str]:
    """Markdown table rows: key, flag, environment, default, meaning."""
    lines = []
    for section, keys in SCHEMA.items():
        for key, spec in keys.items():
            flag = (flags or {}).get((section, key))
            env = f"`{env_name(section, key)}`" if spec.env else "- (file only)"
            default = _shown(spec.default) if spec.default is not None else "library's"
            default = "unset" if default == "(unset)" else default
            text = spec.help or (f"rgbmatrix option {key} (docs/matrix-client.md)"
                                 if section == "panel" else "")
            meaning = text.replace("|", "\\|") + (" (secret: masked)" if spec.secret else "")
            lines.append(f"| `[{section}] {key}` | {f'`{flag}`' if flag else '-'} | {env} | "
                         f"{default} | {meaning} |")
    return lines
