"""One settings model per part: defaults < file < environment < live < flags, --show-settings
naming each value's source with secrets masked, a bad value named with its source (status 2),
and docs/settings.md made from the models."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import httpx
import pytest

from matrix_client.__main__ import FLAGS
from matrix_client.config import ConfigError, load_config
from server.api.config import ApiSettings, build_parser
from server.layers import LiveSettings, Origin, SettingsError, file_layer, live_errors, load
from server.producers.base import build_parser as producer_parser
from server.producers.track import Track
from server.producers.weather import Weather
from server.settings_doc import DOC, current
from server.valkey import EmbeddedValkey
from tests.producer_support import make_producer
from tests.servers import ROOT, python_module, start_api_server

# Variables a test sets must not come from the machine running the tests.
CLEAN = {name: "" for name in ("API_PORT", "API_HOST", "CONTROL_TOKEN", "SSE_HEARTBEAT",
                               "REDIS_URL", "REDIS_PASSWORD", "PERIOD", "UNITS", "HEALTH_PORT",
                               "PRODUCER_CONFIG", "LOG_LEVEL", "MAPSHARE", "MAPSHARE_PASSWORD",
                               "MAX_MESSAGE_BYTES", "GLANCEBOARD_CONFIG")}


def run(module: str, *args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` to its end, with ``env`` over a clean environment."""
    full = {**os.environ, **CLEAN, **(env or {})}
    full["PYTHONPATH"] = str(ROOT) + os.pathsep + full.get("PYTHONPATH", "")
    return subprocess.run(python_module(module, *args), env=full, capture_output=True,
                          text=True, timeout=60, cwd=str(ROOT))


def sources(output: str) -> dict[str, tuple[str, str]]:
    """--show-settings output as setting -> (value, source)."""
    table = {}
    for line in output.splitlines()[2:]:
        name, value, source = (part for part in line.split("  ") if part.strip())
        table[name.strip()] = (value.strip(), source.strip())
    return table


# --- the layers, in process, with a real live layer ----------------------------------

def test_each_layer_wins_over_the_one_before(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    file = file_layer(path, {"port": 8001, "heartbeat": 2, "backlog": 10, "replay_mb": 5})
    environ = {"API_PORT": "8002", "SSE_HEARTBEAT": "3", "SSE_REPLAY_MB": "6"}
    live = LiveSettings({"port": 8003, "replay_mb": 7}, where="valkey")
    args = build_parser().parse_args(["--port", "8004"])
    loaded = load(ApiSettings, args=args, environ=environ, file=file, live=live)
    got = loaded.settings
    assert (got.port, got.replay_mb, got.heartbeat, got.backlog, got.client_queue) == (
        8004, 7, 3.0, 10, 256)
    assert loaded.origin("port") == Origin("flag", "--port")
    assert loaded.origin("replay_mb") == Origin("live", "valkey v0")
    assert loaded.origin("heartbeat") == Origin("env", "SSE_HEARTBEAT")
    assert loaded.origin("backlog") == Origin("file", str(path))
    assert loaded.origin("client_queue") == Origin("default")


def test_live_settings_apply_at_the_next_load_and_a_bad_one_is_named() -> None:
    live = LiveSettings()
    args = build_parser().parse_args([])
    assert load(ApiSettings, args=args, environ={}, live=live).settings.heartbeat == 15.0
    live.update({"heartbeat": 4}, version=7)
    loaded = load(ApiSettings, args=args, environ={"SSE_HEARTBEAT": "9"}, live=live)
    assert loaded.settings.heartbeat == 4.0 and str(loaded.origin("heartbeat")) == "live valkey v7"
    live.update({"heartbeat": "soon"})
    with pytest.raises(SettingsError) as caught:
        load(ApiSettings, args=args, environ={}, live=live)
    assert str(caught.value) == ("live setting 'heartbeat' (valkey v8) = 'soon': not a number: "
                                 "'soon'")
    assert caught.value.key == "heartbeat" and caught.value.origin == Origin("live", "valkey v8")


def test_proposed_live_settings_get_an_error_per_field_and_flags_are_locked() -> None:
    errors = live_errors(ApiSettings, {"heartbeat": 0, "port": 8080, "colour": "red",
                                       "cors_origins": "https://a.example, https://b.example"})
    assert errors == {"heartbeat": "live setting 'heartbeat' (proposed v0) = 0: must be a "
                                   "finite number > 0, got 0",
                      "colour": "unknown setting"}
    loaded = load(ApiSettings, args=build_parser().parse_args(["--port", "1"]), environ={},
                  live=LiveSettings({"port": 2, "heartbeat": 5}))
    assert loaded.settings.port == 1 and loaded.locked("port")
    assert loaded.settings.heartbeat == 5.0 and not loaded.locked("heartbeat")


def test_a_bad_value_is_named_even_when_a_flag_overrides_it() -> None:
    args = build_parser().parse_args(["--port", "9000"])
    with pytest.raises(SettingsError, match=r"environment variable API_PORT='x': not a port"):
        load(ApiSettings, args=args, environ={"API_PORT": "x"})


def test_a_producer_reads_the_live_layer_at_each_call_and_a_flag_beats_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNITS", "imperial")
    weather = make_producer(Weather, [], config={"latitude": 51.5})
    assert weather.setting_origin("units", "imperial", env="UNITS") == (
        "imperial", Origin("env", "UNITS"))
    weather.live = LiveSettings({"units": "metric", "latitude": 48.85})
    assert weather.setting("units", env="UNITS") == "metric"
    assert weather.setting_origin("latitude", env="LATITUDE")[1].kind == "live"
    weather.live.update({})
    assert weather.setting_origin("latitude", env="LATITUDE") == (
        51.5, Origin("file", "the config file"))
    pinned = make_producer(Weather, ["--units", "imperial"])
    pinned.live = LiveSettings({"units": "metric"})
    assert pinned.setting_origin("units", env="UNITS") == ("imperial", Origin("flag", "--units"))


def test_the_client_layers_and_sources(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text('[api]\nread_timeout = 30\nconnect_timeout = 3\n[display]\nmax_fps = 10\n'
                    'backend = "emulator"\n')
    config = load_config(path, {("display", "backend"): "headless"},
                         environ={"GLANCEBOARD_API_READ_TIMEOUT": "40",
                                  "GLANCEBOARD_DISPLAY_MAX_FPS": "12"},
                         live={("display", "max_fps"): 15}, flag_names=FLAGS)
    assert (config.get("api", "connect_timeout"), config.get("api", "read_timeout"),
            config.get("display", "max_fps"), config.backend) == (3.0, 40.0, 15, "headless")
    assert [config.origin("api", k) for k in ("connect_timeout", "read_timeout", "url")] == [
        f"file {path}", "env GLANCEBOARD_API_READ_TIMEOUT", "default"]
    assert config.origin("display", "max_fps") == "live api"
    assert config.origin("display", "backend") == "flag --backend"
    with pytest.raises(ConfigError, match=r"^live setting from api: \[display\] max_fps"):
        load_config(None, environ={}, live={("display", "max_fps"): 500})
    with pytest.raises(ConfigError, match=r"^flag --emulator-port: \[display\] emulator_port"):
        load_config(None, {("display", "emulator_port"): 0}, environ={}, flag_names=FLAGS)


# --- --show-settings and bad values, as processes ----------------------------------------

def test_api_show_settings_names_sources_and_masks_secrets() -> None:
    done = run("server.api", "--show-settings", "--heartbeat", "3",
               env={"API_PORT": "8123", "CONTROL_TOKEN": "tok-s3cret",
                    "REDIS_URL": "redis://app:pw-s3cret@db.example:6380/2",
                    "SSE_HEARTBEAT": "9"})
    assert done.returncode == 0, done.stderr
    assert "s3cret" not in done.stdout + done.stderr
    table = sources(done.stdout)
    assert table["port"] == ("8123", "env API_PORT")
    assert table["heartbeat"] == ("3.0", "flag --heartbeat")
    assert table["host"] == ("127.0.0.1", "default")
    assert table["control_token"] == ("***", "env CONTROL_TOKEN")
    assert table["redis_url"] == ("redis://app:***@db.example:6380/2", "env REDIS_URL")


def test_kv_updater_show_settings_and_a_bad_value() -> None:
    done = run("server.kv_updater", "--show-settings", "--legacy-keys",
               env={"MAX_MESSAGE_BYTES": "1000", "REDIS_PASSWORD": "pw-s3cret"})
    assert done.returncode == 0, done.stderr
    table = sources(done.stdout)
    assert table["max_bytes"] == ("1000", "env MAX_MESSAGE_BYTES")
    assert table["legacy_keys"] == ("true", "flag --legacy-keys")
    assert table["redis_password"] == ("***", "env REDIS_PASSWORD")
    assert "s3cret" not in done.stdout
    bad = run("server.kv_updater", "--show-settings", env={"HEALTH_PORT": "99999"})
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("error: environment variable HEALTH_PORT='99999': port must "
                                  "be 0-65535, got 99999")


def test_producer_file_env_flag_and_show_settings(tmp_path: Path) -> None:
    config = tmp_path / "weather.yaml"
    config.write_text("period: 50\nunits: metric\nlatitude: 51.5\nhealth_port: 9100\n")
    done = run("server.producers", "weather", "--show-settings", "--latitude", "48.85",
               env={"PRODUCER_CONFIG": str(config), "PERIOD": "70"})
    assert done.returncode == 0, done.stderr
    table = sources(done.stdout)
    assert table["period"] == ("70.0", "env PERIOD")
    assert table["units"] == ("metric", f"file {config}")
    assert table["health_port"] == ("9100", f"file {config}")
    assert table["latitude"] == ("48.85", "flag --latitude")
    assert table["longitude"] == ("-74.006", "default")
    assert table["config"] == (str(config), "env PRODUCER_CONFIG")


def test_producer_secrets_are_masked() -> None:
    done = run("server.producers", "track", "--show-settings",
               env={"MAPSHARE": "someone", "MAPSHARE_PASSWORD": "pw-s3cret",
                    "REDIS_URL": "redis://:pw-s3cret@127.0.0.1:6390/0"})
    assert done.returncode == 0, done.stderr
    table = sources(done.stdout)
    assert table["password"] == ("***", "env MAPSHARE_PASSWORD")
    assert table["mapshare"] == ("someone", "env MAPSHARE")
    assert table["redis_url"][0] == "redis://:***@127.0.0.1:6390/0"
    assert "s3cret" not in done.stdout


@pytest.mark.parametrize(("args", "env", "says"), [
    ((), {"HEALTH_PORT": "x"}, "error: environment variable HEALTH_PORT='x': not a port "
                               "number: 'x'"),
    (("--http-timeout", "-1"), {}, "error: argument --http-timeout: must be a finite number "
                                   "> 0, got -1"),
    (("--config", "{config}"), {}, "error: config file {config}: 'health_port': 'x': not a "
                                   "port number: 'x'"),
])
def test_producer_bad_value_names_key_and_source(tmp_path: Path, args: tuple[str, ...],
                                                 env: dict[str, str], says: str) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("health_port: x\n")
    done = run("server.producers", "weather",
               *(a.replace("{config}", str(config)) for a in args), env=env)
    assert done.returncode == 2
    assert done.stderr.strip() == says.replace("{config}", str(config))
    assert done.stdout == ""


def test_client_show_settings_layers_and_masks(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text('[api]\nurl = "http://pi:pw-s3cret@10.0.0.2:8000"\ntoken = "tok-s3cret"\n'
                    '[display]\nmax_fps = 10\nemulator_port = 9000\n'
                    '[pages]\nwifi_qr = "WIFI:T:WPA;S:home;P:wifi-s3cret;;"\n')
    done = run("matrix_client", "--config", str(path), "--show-settings", "--backend",
               "headless", env={"GLANCEBOARD_DISPLAY_MAX_FPS": "12"})
    assert done.returncode == 0, done.stderr
    assert "s3cret" not in done.stdout
    table = sources(done.stdout)
    assert table["[api] url"] == ("http://pi:***@10.0.0.2:8000", f"file {path}")
    assert table["[api] token"] == ("***", f"file {path}")
    assert table["[pages] wifi_qr"] == ("***", f"file {path}")
    assert table["[display] emulator_port"] == ("9000", f"file {path}")
    assert table["[display] max_fps"] == ("12", "env GLANCEBOARD_DISPLAY_MAX_FPS")
    assert table["[display] backend"] == ("headless", "flag --backend")
    assert table["[display] stale_grace"] == ("30.0", "default")
    bad = run("matrix_client", "--show-settings", env={"GLANCEBOARD_DISPLAY_MAX_FPS": "0"})
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("glanceboard-matrix: config error: environment "
                                  "GLANCEBOARD_DISPLAY_MAX_FPS: [display] max_fps: expected an "
                                  "integer in 1-120, got 0")


def test_demo_show_settings() -> None:
    done = run("server.demo", "--show-settings", "--seed", "4",
               env={"CONTROL_TOKEN": "tok-s3cret"})
    assert done.returncode == 0, done.stderr
    table = sources(done.stdout)
    assert table["seed"] == ("4", "flag --seed")
    assert table["token"] == ("***", "env CONTROL_TOKEN")
    assert table["period"] == ("10.0", "default")
    assert "s3cret" not in done.stdout


def test_the_client_loads_its_settings_without_pydantic() -> None:
    """The Pi client stays light: --show-settings imports no settings library."""
    done = run("matrix_client", "--show-settings", env={"PYTHONVERBOSE": "1"})
    assert done.returncode == 0, done.stderr
    assert "[api] url" in done.stdout
    assert "import 'matrix_client.config'" in done.stderr
    assert "pydantic" not in done.stderr


def test_the_flag_wins_over_the_environment_in_a_running_api_server(
        valkey: EmbeddedValkey) -> None:
    """Not only what --show-settings says: the running server uses the flag's token."""
    api = start_api_server(valkey.url, token="from-flag", env={"CONTROL_TOKEN": "from-env"})
    try:
        def put(token: str) -> int:
            return httpx.put(api.url + "/webcontrol/fwd", timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).status_code
        assert put("from-env") == 401
        assert put("from-flag") == 202
    finally:
        api.stop()


# --- --help and docs/settings.md ---------------------------------------------------------

def test_help_names_the_variables_and_show_settings() -> None:
    text = " ".join(build_parser().format_help().split())
    for name in ("--show-settings", "env API_PORT", "env CONTROL_TOKEN", "env REDIS_URL"):
        assert name in text
    weather = " ".join(producer_parser(Weather, "weather").format_help().split())
    assert "env UNITS; default imperial" in weather and "--show-settings" in weather
    track = producer_parser(Track, "track")
    assert isinstance(track, argparse.ArgumentParser)
    assert "env MAPSHARE_PASSWORD" in " ".join(track.format_help().split())


def test_settings_doc_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert current(text) == text, "run: python -m server.settings_doc --write"
    for name in ("`API_PORT`", "`GLANCEBOARD_API_TOKEN`", "`MLB_TEAM`", "`PRODUCER_CONFIG`",
                 "defaults  <  file  <  environment  <  live settings  <  flags"):
        assert name in text
    assert "docs/settings.md" in (ROOT / "README.md").read_text(encoding="utf-8")
