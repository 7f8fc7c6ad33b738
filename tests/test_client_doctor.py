"""``python -m matrix_client doctor``: one line per check, with the fix; runs without a panel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from matrix_client.doctor import Machine, run_checks
from tests.servers import ApiProcess

ROOT = Path(__file__).resolve().parent.parent
PI4 = b"Raspberry Pi 4 Model B Rev 1.5\0"


def checks(config: Path | None, machine: Machine) -> dict[str, tuple[str, str]]:
    return {c.name: (c.status, c.detail) for c in run_checks(config, machine, timeout=3)}


def write_config(tmp_path: Path, api: str, panel: str = "") -> Path:
    cache = tmp_path / "cache"
    cache.mkdir(exist_ok=True)
    path = tmp_path / "client.toml"
    path.write_text(f'[api]\nurl = "{api}"\n[cache]\npath = "{cache}/state.json"\n'
                    f"[panel]\ndrop_privileges = false\n{panel}")
    return path


def test_on_a_laptop_the_pi_checks_do_not_apply(api_server: ApiProcess, tmp_path: Path) -> None:
    machine = Machine(model=tmp_path / "no-model", unit_dir=tmp_path)
    found = checks(write_config(tmp_path, api_server.url), machine)
    for name in ("Pi model", "sound module", "isolcpus"):
        assert found[name][0] == "SKIP", found[name]
    assert found["config"][0] == "OK"
    assert found["API"][0] == "OK" and "/events streams" in found["API"][1]
    assert found["cache"][0] == "OK"
    assert found["service"][0] == "WARN" and "matrix_client.setup" in found["service"][1]


def test_a_pi_with_sound_on_and_a_dead_api_fails_with_the_fixes(tmp_path: Path) -> None:
    (tmp_path / "model").write_bytes(PI4)
    (tmp_path / "modules").write_text("snd_bcm2835 24576 0 - Live 0x0\n")
    (tmp_path / "cmdline").write_text("console=tty1 root=PARTUUID=x rootwait\n")
    machine = Machine(model=tmp_path / "model", modules=tmp_path / "modules",
                      cmdline=tmp_path / "cmdline", unit_dir=tmp_path)
    found = checks(write_config(tmp_path, "http://127.0.0.1:9", "gpio_slowdown = 1\n"), machine)
    assert found["Pi model"][0] == "WARN" and "wants 2" in found["Pi model"][1]
    assert found["sound module"][0] == "FAIL" and "dtparam=audio=off" in found["sound module"][1]
    assert found["API"][0] == "FAIL" and "[api] url" in found["API"][1]
    if found["isolcpus"][0] != "SKIP":  # this machine may have fewer than 4 cores
        assert found["isolcpus"][0] == "WARN" and "isolcpus=3" in found["isolcpus"][1]
    assert found["rgbmatrix"][0] == "FAIL"  # a Pi without the driver


def test_a_bad_config_fails_and_the_command_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "client.toml"
    path.write_text("[panel]\nbrightness = 0\n")
    result = subprocess.run([sys.executable, "-m", "matrix_client", "doctor", "--config",
                             str(path)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("FAIL config: ") and "[panel] brightness" in line
               for line in lines), lines
    assert all(line.split()[0] in ("OK", "WARN", "FAIL", "SKIP") for line in lines)
