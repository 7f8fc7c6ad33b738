"""The Pi path under a real systemd: docs/raspberry-pi.md's steps in a booted Debian
container, the shipped units, and the rgbmatrix stand-in in place of the LED driver.

The docs' ``pi-steps`` blocks run as written, with three differences a container
forces: commands run as root (no ``sudo``), the checkout is copied to /opt/glanceboard
instead of cloned, and the driver block installs tests/rgbmatrix_standin. Setup gets
free ports (this machine's loopback is shared). The tests run in file order on one
container, each showing one promise of the unit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.valkey import free_port
from tests.nspawn_support import Container, cache_dir, require_nspawn, root_filesystem, shell_blocks
from tests.servers import wait_until

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "raspberry-pi.md").read_text()
FRAMES = "/dev/shm/rgbmatrix-standin/frames.jsonl"
CLIENT = "matrix-client.service"
SERVER_UNITS = ("embedded-valkey.service", "kv-updater.service", "api-server.service",
                "producer@demo.service")
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build",
                                     ".pytest_cache", ".ruff_cache", "_failures")

pytestmark = pytest.mark.timeout(900)


class Pi:
    def __init__(self, box: Container, api_port: int, valkey_port: int) -> None:
        self.box, self.api_port, self.valkey_port = box, api_port, valkey_port
        self.api = f"http://127.0.0.1:{api_port}"
        self.empty_frame = ""  # the generic page with no data, base64 RGB

    def steps(self, name: str) -> None:
        """Run a docs block as one script, as root, setup with this test's ports."""
        lines = []
        for line in shell_blocks(DOCS, name):
            line = line.removeprefix("sudo ")
            if "matrix_client.setup" in line:
                line += (f" --api {self.api} --api-port {self.api_port}"
                         f" --valkey-port {self.valkey_port}")
            lines.append(line)
        self.box.run("set -e\n" + "\n".join(lines), timeout=900)

    def records(self) -> list[dict]:
        try:
            text = self.box.file(FRAMES).read_text()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def frames(self, pid: int | None = None) -> list[dict]:
        return [r for r in self.records()
                if r["event"] == "frame" and (pid is None or r["pid"] == pid)]

    def main_pid(self) -> int:
        return int(self.box.unit(CLIENT, "MainPID")["MainPID"])

    def state(self, unit: str = CLIENT) -> str:
        return self.box.unit(unit, "ActiveState")["ActiveState"]


@pytest.fixture(scope="module")
def pi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pi]:
    require_nspawn()
    work = tmp_path_factory.mktemp("pi")
    log = work / "nspawn.log"
    root = work / "root"
    root_filesystem(root, log)
    shutil.copytree(ROOT, root / "opt/glanceboard", ignore=COPY_IGNORE)
    pip_cache = cache_dir() / "pip"
    pip_cache.mkdir(parents=True, exist_ok=True)
    box = Container(root, log)
    box.boot({pip_cache: "/root/.cache/pip"})
    try:
        yield Pi(box, free_port(), free_port())
    finally:
        box.stop()
        subprocess.run(["rm", "-rf", "--one-file-system", str(root)], check=False)


def test_installs_as_documented_and_becomes_active_through_ready(pi: Pi) -> None:
    pi.steps("install")
    # The driver block builds hzeller's library on a Pi; here the stand-in takes its place.
    driver = shell_blocks(DOCS, "driver")
    assert any("pip install /opt/rpi-rgb-led-matrix" in line for line in driver)
    pi.box.run("/opt/glanceboard/.venv/bin/pip install /opt/glanceboard/tests/rgbmatrix_standin",
               timeout=600)
    pi.box.run(driver[-1])  # the documented import check
    pi.steps("setup")
    # One page whose empty picture is fixed, so "showing data" can be told apart.
    pi.box.file("/etc/glanceboard/rotation.yaml").write_text("- page: generic\n  seconds: 30\n")
    pi.box.run(f"systemctl restart {CLIENT}")
    assert pi.state() == "active"
    unit = pi.box.unit(CLIENT, "Type", "ActiveEnterTimestampMonotonic", "MainPID")
    assert unit["Type"] == "notify"
    frames = pi.frames(int(unit["MainPID"]))
    assert frames, "no frame reached the stand-in"
    # Active only after READY=1, which the client sends after its first frame.
    journal = pi.box.journal(CLIENT)
    assert "first frame after" in journal
    init = [r for r in pi.records() if r["event"] == "init" and r["pid"] == int(unit["MainPID"])]
    assert init and init[0]["started_uid"] == 0 and init[0]["uid"] != 0  # dropped to daemon
    assert init[0]["options"]["gpio_slowdown"] == 1  # the library's own pick, not ours
    pi.empty_frame = frames[0]["rgb"]


def test_server_units_start_in_order_and_the_panel_shows_their_data(pi: Pi) -> None:
    pi.steps("server")
    # Setup ran again: the edited rotation is kept, not overwritten.
    assert "page: generic" in pi.box.file("/etc/glanceboard/rotation.yaml").read_text()
    env = pi.box.file("/etc/glanceboard/glanceboard.env").read_text()
    assert "CONTROL_TOKEN=" in env
    # REDIS_URL explicit, with the password the embedded Valkey keeps in its data dir.
    password = pi.box.file("/var/lib/glanceboard/valkey/password").read_text().strip()
    assert f"REDIS_URL=redis://:{password}@127.0.0.1:{pi.valkey_port}/0" in env
    for unit in SERVER_UNITS:
        wait_until(lambda unit=unit: pi.state(unit) == "active", 60, f"{unit} active")
    started = {u: int(pi.box.unit(u, "ActiveEnterTimestampMonotonic")
                      ["ActiveEnterTimestampMonotonic"]) for u in SERVER_UNITS}
    assert all(started["embedded-valkey.service"] <= started[u] for u in SERVER_UNITS)
    state = wait_until(lambda: httpx.get(f"{pi.api}/state", timeout=2).json().get("state"), 60,
                       "demo data in the API")
    assert state
    pid = pi.main_pid()
    wait_until(lambda: any(f["rgb"] != pi.empty_frame for f in pi.frames(pid)), 60,
               "the panel showing the API's data")
    doctor = pi.box.run(shell_blocks(DOCS, "doctor")[0], check=False)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    for name in ("rgbmatrix", "config", "API", "cache", "service"):
        assert f"OK   {name}: " in doctor.stdout, doctor.stdout


def test_cache_is_written_after_the_drop_and_shown_offline(pi: Pi) -> None:
    cache = pi.box.file("/var/cache/glanceboard/state.json")
    wait_until(cache.exists, 30, "the state cache written")
    owner = pi.box.run("stat -c %U /var/cache/glanceboard/state.json").stdout.strip()
    assert owner == "daemon"
    assert json.loads(cache.read_text())["state"]
    pi.box.run("systemctl stop api-server.service")
    pi.box.run(f"systemctl restart {CLIENT}")
    assert pi.state() == "active"
    pid = pi.main_pid()
    first = wait_until(lambda: pi.frames(pid), 20, "a frame after the restart")[0]
    assert first["rgb"] != pi.empty_frame, "the first frame offline is the empty picture"
    journal = pi.box.journal(CLIENT)
    assert "cached types" in journal
    # Nothing the client keeps there (state, converted fonts) was refused, in any start.
    refused = [line for line in journal.splitlines() if "/var/cache/glanceboard" in line
               and ("Permission denied" in line or "not written" in line)]
    assert not refused, refused
    pi.box.run("systemctl start api-server.service")


def test_a_stopped_client_is_restarted_by_the_watchdog(pi: Pi) -> None:
    unit_file = pi.box.file(f"/etc/systemd/system/{CLIENT}").read_text()
    watchdog = int(unit_file.split("WatchdogSec=", 1)[1].split()[0])
    old = pi.main_pid()
    stopped_at = time.monotonic()
    pi.box.run(f"kill -STOP {old}")
    new = wait_until(lambda: (p := pi.main_pid()) not in (0, old) and p, watchdog + 20,
                     "a new client after the watchdog")
    assert time.monotonic() - stopped_at <= watchdog + 20
    assert "Watchdog timeout" in pi.box.journal(CLIENT)
    wait_until(lambda: pi.frames(new), 20, "frames from the restarted client")
    wait_until(lambda: pi.state() == "active", 20, "the client active again")


@pytest.mark.parametrize(("old", "new", "line"), [
    ("[panel]\n", "[panel]\nbrightness = 0\n",
     "[panel] brightness: expected an integer in 1-100, got 0"),
    ("parallel = 1 ", 'hardware_mapping = "adafruit-hat"\nparallel = 2 ',
     "[panel] parallel: the adafruit-hat wiring carries at most 1 parallel chain"),
    ("[panel]\n", "[panel\n", "not valid TOML"),
])
def test_a_bad_config_stops_with_one_line_and_no_restart_loop(pi: Pi, old: str, new: str,
                                                              line: str) -> None:
    path = pi.box.file("/etc/glanceboard/client.toml")
    good = path.read_text()
    assert old in good
    since = pi.box.run("date '+%Y-%m-%d %H:%M:%S'").stdout.strip()
    try:
        path.write_text(good.replace(old, new, 1))
        pi.box.run(f"systemctl restart {CLIENT}", check=False)
        wait_until(lambda: pi.state() == "failed", 20, "the client failed")
        time.sleep(5)  # longer than RestartSec: a loop would have started it again
        unit = pi.box.unit(CLIENT, "ActiveState", "NRestarts", "ExecMainStatus")
        assert unit["ActiveState"] == "failed" and unit["NRestarts"] == "0", unit
        assert unit["ExecMainStatus"] == "2"
        errors = [x for x in pi.box.journal(CLIENT, since).splitlines() if "config error" in x]
        assert len(errors) == 1 and line in errors[0], errors
        assert "/etc/glanceboard/client.toml" in errors[0]
    finally:
        path.write_text(good)
        pi.box.run(f"systemctl reset-failed {CLIENT}; systemctl restart {CLIENT}", check=False)
    assert pi.state() == "active"
