"""``python -m server.demo``: the whole system as real processes, stopped cleanly."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from server.demo import DemoContext, DemoSettings, build_parser, child_commands
from server.layers import SettingsError, load
from server.producers.demo import DEMO_TYPES, DemoProducer
from server.valkey import EmbeddedValkey
from tests.producer_support import make_producer
from tests.servers import Child, http_get, python_module, wait_until


def children_of(pid: int) -> dict[int, str]:
    """Direct children of ``pid`` (Linux /proc): pid -> command line."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(
                    b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Child, str, Path]]:
    data = tmp_path / "data"
    proc = Child(python_module("server.demo", "--data", str(data), "--redis-port", "0",
                               "--port", "0", "--period", "1", "--token", "s3cret"),
                 tmp_path / "demo.log")
    try:
        match = wait_until(lambda: re.search(r"Dashboard: +(http://127\.0\.0\.1:\d+)/",
                                           proc.log()) or not proc.alive(), 60,
                         "the demo to print its URLs")
        assert proc.alive(), proc.log()
        assert isinstance(match, re.Match)
        yield proc, match.group(1), data
    finally:
        if proc.alive():
            proc.process.send_signal(signal.SIGTERM)
            try:
                proc.process.wait(30)
            except Exception:
                proc.kill()
        proc.kill()


def test_demo_serves_live_state_and_stops_cleanly(demo: tuple[Child, str, Path]) -> None:
    proc, base, data = demo
    log = proc.log()
    assert "Control token:  s3cret" in log and f"API:            {base}/state" in log
    assert http_get(base + "/live")[0] == 200

    def full_state() -> dict | None:
        status, body = http_get(base + "/state")
        state = json.loads(body)["state"] if status == 200 else {}
        return state if set(DEMO_TYPES) | {"Demo-Server"} <= set(state) else None

    state = wait_until(full_state, 30, "every demo type in /state")
    assert state["Weather"]["type"] == "Weather"
    status, body = http_get(base + "/key/Moon")
    assert status == 200 and 0 <= json.loads(body)["values"]["phase"] <= 99
    # The KV updater filled the hash too (read it through Valkey's own port). The printout
    # hides the password and names the command that shows the whole URL.
    password = (data / "password").read_text().strip()
    assert password not in proc.log()
    shown = re.search(r"Redis: +redis://\*\*\*@\S+ +\(the whole URL: python -m (.+)\)$",
                      proc.log(), re.MULTILINE)
    assert shown, proc.log()
    url = subprocess.run([sys.executable, "-m", *shown.group(1).split()], capture_output=True,
                         text=True, check=True, timeout=30).stdout.strip()
    assert password in url
    r = redis.Redis.from_url(url)
    try:
        wait_until(lambda: set(DEMO_TYPES) <= {k.decode() for k in r.hkeys("state")}, 20,
                 "the state hash filled")
    finally:
        r.close()
    kids = children_of(proc.process.pid)
    parts = sorted(cmd.split(" -m ", 1)[1].split()[0] for cmd in kids.values() if " -m " in cmd)
    assert {"server.api", "server.kv_updater", "server.producers", "matrix_client"} <= set(
        parts), kids
    # The demo's panel client reports itself (its reports need the control token).
    def displays() -> list | None:
        status, body = http_get(base + "/displays")
        listed = json.loads(body).get("displays", []) if status == 200 else []
        return listed or None

    listed = wait_until(displays, 30, "the demo's panel in /displays")
    assert listed[0]["online"] is True, listed
    # The emulated LED panel's page, as printed, answers.
    panel = re.search(r"LED panel: +(http://localhost:\d+/)", proc.log()).group(1)
    wait_until(lambda: http_get(panel)[0] == 200, 20, "the emulated panel's page")
    started = time.monotonic()
    proc.process.send_signal(signal.SIGTERM)
    assert proc.process.wait(30) == 0, proc.log()
    assert time.monotonic() - started < 20
    assert "demo: stopped" in proc.log()
    for pid in kids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(
            f"/proc/{pid}/status").read_text().lower(), f"child {pid} left running"
    # Valkey saved the state in the data dir: a new start finds it.
    again = EmbeddedValkey(data, port=0)
    again.start()
    try:
        client = redis.Redis.from_url(again.url)
        assert set(DEMO_TYPES) <= {k.decode() for k in client.hkeys("state")}
        client.close()
    finally:
        again.stop()


def test_a_dead_child_is_reported_not_restarted(demo: tuple[Child, str, Path]) -> None:
    proc, _, _ = demo
    kids = children_of(proc.process.pid)
    producer = next(pid for pid, cmd in kids.items() if "server.producers demo" in cmd)
    os.kill(producer, signal.SIGKILL)
    wait_until(lambda: "demo: producer exited with code -9; it is not restarted" in proc.log(),
             15, "the death reported")
    time.sleep(1.5)
    after = children_of(proc.process.pid)
    assert producer not in after, after
    assert not any("server.producers" in cmd for cmd in after.values()), after  # no restart
    assert proc.alive()


def test_help_explains_every_flag() -> None:
    parser = build_parser()
    text = parser.format_help()
    for action in parser._actions:
        for flag in action.option_strings:
            assert flag in text
        assert action.help, action.option_strings


@pytest.mark.parametrize("module, args, says", [
    ("server.demo", ["--port", "99999"], "argument --port: port must be 0-65535, got 99999"),
    ("server.demo", ["--period", "0"], "argument --period: must be a finite number > 0"),
    ("server.demo", ["--data", "{file}", "--redis-port", "0"],
     "demo: cannot start Valkey: cannot use {file} as the data directory: "),
    ("server.valkey", ["--port", "-1"], "argument --port: port must be 0-65535, got -1"),
    ("server.valkey", ["--data", "{file}", "--port", "0"],
     "error: cannot use {file} as the data directory: "),
])
def test_a_bad_setting_is_one_clear_line_and_a_failure_status(
        tmp_path: Path, module: str, args: list[str], says: str) -> None:
    a_file = tmp_path / "not-a-directory"
    a_file.write_text("x")
    proc = Child(python_module(module, *[a.format(file=a_file) for a in args]),
                 tmp_path / "bad.log")
    assert proc.process.wait(30) != 0, proc.log()
    assert says.format(file=a_file) in proc.log()
    assert "Traceback" not in proc.log()


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("setpriv") is None,
                    reason="parent-death signal needs Linux and setpriv")
def test_a_killed_demo_leaves_no_part_running(demo: tuple[Child, str, Path]) -> None:
    proc, _, _ = demo
    wait_until(lambda: "LED panel:" in proc.log(), 30, "the demo's summary")
    # Every part is a direct child: Valkey, KV updater, API server, producer, matrix client.
    parts = wait_until(lambda: len(kids := children_of(proc.process.pid)) >= 5 and kids,
                       30, "all the demo's parts to start")
    os.kill(proc.process.pid, signal.SIGKILL)  # no chance to stop its parts itself
    proc.process.wait(10)

    def gone(pid: int) -> bool:
        try:
            return "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        except OSError:
            return True

    wait_until(lambda: all(gone(pid) for pid in parts), 30, "every part to exit")


def test_the_demo_place_is_settings_passed_to_the_demo_producer() -> None:
    args = build_parser().parse_args(["--place", "Berlin", "--latitude", "52.52",
                                      "--longitude", "13.405", "--timezone", "Europe/Berlin"])
    loaded = load(DemoSettings, args=args, environ={}).settings
    ctx_place = {"place": loaded.place, "latitude": loaded.latitude,
                 "longitude": loaded.longitude, "timezone": loaded.timezone}
    assert tuple(ctx_place.values()) == ("Berlin", 52.52, 13.405, "Europe/Berlin")
    ctx = DemoContext("redis://127.0.0.1:1", "127.0.0.1", 1, "t", 1, 1.0, 1.0, place=ctx_place)
    argv = next(c.argv for c in child_commands(ctx) if c.name == "producer")
    producer = make_producer(DemoProducer, argv[argv.index("demo") + 1:])
    assert producer.world.place.name == "Berlin"
    assert producer.world.place.tz.key == "Europe/Berlin"
    assert (producer.world.place.latitude, producer.world.place.longitude) == (52.52, 13.405)


@pytest.mark.parametrize("args, says", [
    (["--timezone", "Mars/Base"], "unknown time zone 'Mars/Base'"),
    (["--latitude", "91"], "must be -90..90 degrees, got 91"),
    (["--longitude", "east"], "not a number: 'east'"),
])
def test_a_bad_demo_place_is_named(args: list[str], says: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(says)):
        load(DemoSettings, args=build_parser().parse_args(args), environ={})
