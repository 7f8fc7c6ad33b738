"""systemd units: the repository's copies are current, and systemd accepts what we write."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from matrix_client.install_service import example_units, main

ROOT = Path(__file__).resolve().parent.parent


def test_repository_units_are_the_rendered_templates() -> None:
    for name, text in example_units().items():
        assert (ROOT / "systemd" / name).read_text() == text, (
            f"systemd/{name} is out of date: python -m matrix_client.install_service "
            "--write-examples systemd")


def test_install_writes_units_with_this_python(tmp_path: Path) -> None:
    config = tmp_path / "client.toml"
    assert main(["--config", str(config), "--unit-dir", str(tmp_path / "units"),
                 "--workdir", str(tmp_path), "--user", "pi"]) == 0
    unit = (tmp_path / "units" / "matrix-client.service").read_text()
    assert f"ExecStart={sys.executable} -m matrix_client --config {config} --backend panel" in unit
    assert "Type=notify" in unit and "WatchdogSec=" in unit and "Restart=always" in unit
    assert "After=network-online.target" in unit and "Wants=network-online.target" in unit
    assert "PrivateDevices" not in unit  # the driver needs the real /dev/mem or /dev/gpiomem
    env_file = tmp_path / "etc" / "gb.env"
    assert main(["--server", "--unit-dir", str(tmp_path / "units"), "--user", "pi",
                 "--env-file", str(env_file)]) == 0
    producer = (tmp_path / "units" / "producer@.service").read_text()
    assert "-m server.producers %i" in producer and f"EnvironmentFile={env_file}" in producer
    # Every part finds the embedded Valkey's password in the state directory.
    assert "GLANCEBOARD_DATA=%S/glanceboard" in producer
    # The API server needs a token: the environment file is made with one, 0600, once.
    written = env_file.read_text()
    assert re.search(r"^CONTROL_TOKEN=[\w-]{32}$", written, re.MULTILINE), written
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert main(["--server", "--unit-dir", str(tmp_path / "units"), "--user", "pi",
                 "--env-file", str(env_file)]) == 0
    assert env_file.read_text() == written  # kept, never replaced
    assert "User=pi" in producer
    assert "After=network-online.target embedded-valkey.service" in producer
    valkey = (tmp_path / "units" / "embedded-valkey.service").read_text()
    assert f"ExecStart={sys.executable} -m server.valkey --data %S/glanceboard/valkey" in valkey
    assert "StateDirectory=glanceboard" in valkey and "User=pi" in valkey
    assert main(["--backend", "emulator", "--unit-dir", str(tmp_path / "emu"),
                 "--user", "pi"]) == 0
    assert "User=pi" in (tmp_path / "emu" / "matrix-client.service").read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    units = {}
    for backend in ("panel", "emulator"):
        main(["--backend", backend, "--unit-dir", str(tmp_path / backend), "--user", "root",
              "--python", shutil.which("python3") or sys.executable])
        units[backend] = tmp_path / backend / "matrix-client.service"
    main(["--server", "--unit-dir", str(tmp_path / "server"), "--user", "root",
          "--python", shutil.which("python3") or sys.executable,
          "--env-file", str(tmp_path / "glanceboard.env")])
    for name in ("embedded-valkey.service", "kv-updater.service", "api-server.service"):
        units[name] = tmp_path / "server" / name
    for path in units.values():
        result = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, f"{path.name}: {result.stderr}"
