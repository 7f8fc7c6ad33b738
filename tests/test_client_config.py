"""Config, rotation and CLI errors: one clear message naming the key and the file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from matrix_client.brightness import scheduled_brightness
from matrix_client.config import ConfigError, load_config
from matrix_client.rotation import RotationError, load_rotation

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str, name: str = "client.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_defaults_without_a_file() -> None:
    config = load_config(None, environ={})
    assert config.api_url == "http://127.0.0.1:8000"
    assert config.backend == "panel"
    assert (config.width, config.height) == (64, 32)
    assert config.get("api", "read_timeout") == 45.0


def test_file_env_and_flags_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, """
[api]
url = "http://pi-api:8000/"
[panel]
rows = 64
cols = 64
chain_length = 2
hardware_mapping = "adafruit-hat-pwm"
[pages]
favorite_mlb = ["NYY", "BOS"]
garbage_day = "Tuesday"
wifi_qr = "WIFI:T:WPA;S:home;P:pw;;"
fonts = { small = "fonts/mine.bdf" }
[brightness]
schedule = { "07:00" = 100, "22:30" = 15 }
[rotation]
file = "rotation.yaml"
""")
    config = load_config(path, environ={"GLANCEBOARD_PANEL_ROWS": "32",
                                        "GLANCEBOARD_API_URL": "http://env:1"},
                         overrides={("api", "url"): "http://flag:2"})
    assert config.api_url == "http://flag:2"  # flag beats env beats file
    assert (config.width, config.height) == (128, 32)  # env rows=32, file cols*chain
    assert config.get("panel", "hardware_mapping") == "adafruit-hat-pwm"
    assert config.rotation_file == tmp_path / "rotation.yaml"  # relative to the config file
    assert config.get("brightness", "schedule") == ((420, 100), (1350, 15))
    settings = config.page_settings()
    assert settings.favorite_mlb == ("NYY", "BOS")
    assert settings.garbage_weekday == 1
    assert settings.wifi_qr.startswith("WIFI:")
    assert settings.fonts["small"] == str(tmp_path / "fonts/mine.bdf")


@pytest.mark.parametrize(("text", "env", "message"), [
    ("[panel]\nrows = 'abc'\n", {}, "{file}: [panel] rows: expected an integer, got 'abc'"),
    ("[panel]\npwm_bits = 12\n", {}, "{file}: [panel] pwm_bits: expected an integer in 1-11"),
    ("[display]\nbackend = 'tv'\n", {}, "{file}: [display] backend: expected one of panel"),
    ("[api]\nurl = 'ftp://x'\n", {}, "{file}: [api] url: expected an http:// or https:// URL"),
    ("[panel]\nrowz = 32\n", {}, "{file}: [panel] rowz: unknown key"),
    ("[brightness]\nschedule = { '25:00' = 10 }\n", {}, "[brightness] schedule: time '25:00'"),
    ("[display]\ntimezone = 'Mars/Base'\n", {}, "[display] timezone: unknown time zone"),
    ("[panel\n", {}, "{file}: not valid TOML"),
    ("", {"GLANCEBOARD_PANEL_BRIGHTNESS": "150"},
     "environment GLANCEBOARD_PANEL_BRIGHTNESS: [panel] brightness: expected an integer in 1-100"),
])
def test_bad_values_name_key_and_source(tmp_path: Path, text: str, env: dict, message: str
                                        ) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=env)
    assert message.format(file=path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml", environ={})


def test_cli_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[panel]\ncols = -4\n")
    result = subprocess.run([sys.executable, "-m", "matrix_client", "--config", str(path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("glanceboard-matrix: config error: ")
    assert f"{path}: [panel] cols: expected an integer in 16-4096, got -4" in lines[0]


def test_help_explains_every_flag() -> None:
    result = subprocess.run([sys.executable, "-m", "matrix_client", "--help"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0
    for flag in ("--api", "--backend", "--config", "--snapshot", "--adapter", "--rotation",
                 "--cache", "--read-timeout", "--emulator-port", "--log-level"):
        assert flag in result.stdout


def test_rotation_new_and_old_keys(tmp_path: Path) -> None:
    path = write(tmp_path, """
- page: clock
  seconds: 5
- Page: generic
  Time: 12
  Frames: 4
- clock
""", "rotation.yaml")
    rotation = load_rotation(path, known=["clock", "generic"])
    assert [(e.page, e.seconds, e.frames) for e in rotation] == [
        ("clock", 5.0, 20), ("generic", 12.0, 4), ("clock", 10.0, 20)]


@pytest.mark.parametrize(("text", "message"), [
    ("- page: clock\n- page: weathr\n", "entry 2: unknown page 'weathr'; known pages: clock"),
    ("- page: clock\n  seconds: -1\n", "entry 1: 'seconds' must be a number"),
    ("- page: clock\n  speed: 3\n", "entry 1: unknown key 'speed'"),
    ("[]\n", "expected a non-empty YAML list"),
    ("- page: [\n", "not valid YAML"),
])
def test_rotation_errors_name_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "rotation.yaml")
    with pytest.raises(RotationError) as caught:
        load_rotation(path, known=["clock", "generic"])
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_default_rotation_is_every_page_but_the_alert_and_the_raw_list() -> None:
    rotation = load_rotation(None, known=["clock", "out", "generic", "wifi"])
    assert [e.page for e in rotation] == ["clock", "wifi"]


def test_rotation_entry_may_ask_to_be_shown_without_data(tmp_path: Path) -> None:
    path = tmp_path / "rotation.yaml"
    path.write_text("- page: clock\n- page: mlb\n  show_empty: true\n")
    assert [e.show_empty for e in load_rotation(path, known=["clock", "mlb"])] == [False, True]
    path.write_text("- page: mlb\n  show_empty: sometimes\n")
    with pytest.raises(RotationError, match="entry 1: 'show_empty' must be true or false"):
        load_rotation(path, known=["mlb"])


def test_example_files_are_valid() -> None:
    config = load_config(ROOT / "matrix_client" / "example-config.toml", environ={})
    assert config.backend in ("panel", "emulator", "headless")
    rotation = load_rotation(ROOT / "matrix_client" / "example-rotation.yaml")
    assert rotation


def test_brightness_schedule_wraps_midnight() -> None:
    from datetime import datetime

    schedule = ((420, 100), (1320, 20))  # 07:00 -> 100, 22:00 -> 20
    at = lambda h, m: datetime(2026, 1, 1, h, m)  # noqa: E731
    assert scheduled_brightness(schedule, at(3, 0), 50) == 20
    assert scheduled_brightness(schedule, at(7, 0), 50) == 100
    assert scheduled_brightness(schedule, at(21, 59), 50) == 100
    assert scheduled_brightness(schedule, at(22, 0), 50) == 20
    assert scheduled_brightness((), at(22, 0), 50) == 50


def test_every_key_is_documented() -> None:
    from matrix_client.config import SCHEMA

    doc = (ROOT / "docs" / "matrix-client.md").read_text()
    example = (ROOT / "matrix_client" / "example-config.toml").read_text()
    for section, keys in SCHEMA.items():
        for key in keys:
            assert f"`[{section}] {key}" in doc or (f"[{section}]" in doc and f"`{key}`" in doc
                                                    or f", {key}" in doc), (section, key)
            assert f"\n{key} =" in example or f"\n# {key} =" in example, (section, key)
