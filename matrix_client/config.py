"""The client's settings: one TOML file, then environment overrides, then CLI flags.

Every key is declared once in :data:`SCHEMA` with its type, default and
check, so the file, the environment (``GLANCEBOARD_<SECTION>_<KEY>``) and the
flags share one parser and one error message: ``<where>: [section] key:
<what is wrong>``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the pages bring Pillow: not needed to parse flags or print --help
    from matrix_client.pages.base import PageSettings

CONFIG_ENV = "GLANCEBOARD_CONFIG"
ENV_PREFIX = "GLANCEBOARD_"
BACKENDS = ("panel", "emulator", "headless")
EMULATOR_ADAPTERS = ("browser", "raw", "pygame", "terminal", "sixel", "tkinter", "turtle")
PIXEL_STYLES = ("square", "circle", "real")  # RGBMatrixEmulator's LED shapes
HARDWARE_MAPPINGS = ("regular", "adafruit-hat", "adafruit-hat-pwm", "compute-module",
                     "regular-pi1", "classic", "classic-pi1")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(ValueError):
    """One bad setting: names the key and where it came from."""


def _user_config_dir() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "glanceboard"


def _user_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "glanceboard"


# --- value checks: each returns the clean value or raises ValueError(why) ----------------

def _int(low: int | None = None, high: int | None = None) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise ValueError(f"expected an integer, got {value!r}") from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"{low if low is not None else '...'}-{high if high is not None else '...'}"
            raise ValueError(f"expected an integer in {span}, got {value}")
        return value
    return check


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


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


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
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r} (use an IANA name such as "
                             "America/New_York)") from None
    return name


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
    default: Any
    help: str = ""
    env: bool = True  # tables (schedule, fonts) are file-only unless they have a string form


# section -> key -> spec. Order matters only for documentation.
SCHEMA: dict[str, dict[str, Key]] = {
    "api": {
        "url": Key(_url, "http://127.0.0.1:8000", "API server base URL"),
        "token": Key(_str, "", "bearer token, sent when the API is private"),
        "read_timeout": Key(_float(1, 3600), 45.0, "seconds without a byte before reconnecting"),
        "connect_timeout": Key(_float(0.5, 120), 5.0, "seconds to open a connection"),
        "types": Key(_str_list, (), "types to fetch from an older server without /state"),
    },
    "display": {
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
    "panel": {
        "rows": Key(_int(8, 128), 32),
        "cols": Key(_int(8, 256), 64),
        "chain_length": Key(_int(1, 16), 1),
        "parallel": Key(_int(1, 6), 1),
        "hardware_mapping": Key(_choice(HARDWARE_MAPPINGS), "regular"),
        "gpio_slowdown": Key(_int(0, 5), 1),
        "pwm_bits": Key(_int(1, 11), 11),
        "pwm_lsb_nanoseconds": Key(_int(50, 3000), 130),
        "pwm_dither_bits": Key(_int(0, 2), 0),
        "brightness": Key(_int(0, 100), 100),
        "pixel_mapper_config": Key(_str, ""),
        "scan_mode": Key(_int(0, 1), 0),
        "row_address_type": Key(_int(0, 5), 0),
        "multiplexing": Key(_int(0, 20), 0),
        "led_rgb_sequence": Key(_str, "RGB"),
        "limit_refresh_rate_hz": Key(_int(0, 10000), 0),
        "disable_hardware_pulsing": Key(_bool, False),
        "drop_privileges": Key(_bool, True),
    },
    "rotation": {
        "file": Key(_optional_path, "", "YAML page list; empty = every page, 10 s each"),
    },
    "pages": {
        "favorite_mlb": Key(_str_list, ()),
        "favorite_nfl": Key(_str_list, ()),
        "wifi_qr": Key(_str, "", "e.g. WIFI:T:WPA;S:name;P:secret;;"),
        "clock_24h": Key(_bool, False),
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


@dataclass(frozen=True)
class ClientConfig:
    """Every setting, validated. ``source`` names the file (or "defaults")."""

    values: Mapping[str, Mapping[str, Any]]
    source: str = "defaults"
    base_dir: Path = field(default_factory=Path.cwd)

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
            fonts={role: str(self._resolve(path)) for role, path in pages["fonts"].items()},
            # One grace for the pages' stale style and the loop's corner mark.
            stale_grace=self.get("display", "stale_grace"),
        )


def env_name(section: str, key: str) -> str:
    return f"{ENV_PREFIX}{section}_{key}".upper()


def load_config(
    path: str | Path | None = None,
    overrides: Mapping[tuple[str, str], Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ClientConfig:
    """File (``path`` or ``$GLANCEBOARD_CONFIG``), then env, then ``overrides`` (flags).

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
    for section, keys in SCHEMA.items():
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [{section}]: expected a table")
        unknown = sorted(set(table) - set(keys))
        if unknown:
            raise ConfigError(f"{source}: [{section}] {unknown[0]}: unknown key; known keys: "
                              + ", ".join(keys))
        section_values: dict[str, Any] = {}
        for key, spec in keys.items():
            where, value = source, table.get(key, spec.default)
            env = env_name(section, key)
            if spec.env and env in environ:
                where, value = f"environment {env}", environ[env]
            if overrides and (section, key) in overrides:
                where, value = "command line", overrides[(section, key)]
            try:
                section_values[key] = spec.check(value)
            except ValueError as exc:
                raise ConfigError(f"{where}: [{section}] {key}: {exc}") from None
        values[section] = section_values
    unknown_sections = sorted(set(raw) - set(SCHEMA))
    if unknown_sections:
        raise ConfigError(f"{source}: [{unknown_sections[0]}]: unknown section; known: "
                          + ", ".join(SCHEMA))
    return ClientConfig(values=values, source=source, base_dir=base_dir)
