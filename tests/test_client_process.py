"""``python -m matrix_client`` as systemd runs it: notify protocol, SIGTERM, cache on exit."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import make_envelope, publish, start_api_server, wait_until

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def api(valkey):
    server = start_api_server(valkey.url)
    try:
        yield server
    finally:
        server.kill()


def test_notify_watchdog_and_clean_sigterm(valkey, api, tmp_path: Path) -> None:
    publish(valkey.url, make_envelope("Weather", {"current": {"temp": 61}}, ts=1,
                                      valid="2099-01-01T00:00:00+00:00"), store=True)
    wait_until(lambda: "Weather" in api.get("/state").json()["state"], what="API holds Weather")
    address = str(tmp_path / "notify.sock")
    cache = tmp_path / "cache" / "state.json"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(address)
        notify.settimeout(15)
        env = {**os.environ, "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "1000000",
               "HOME": str(tmp_path), "GLANCEBOARD_CACHE_WRITE_DELAY": "600"}
        log = tmp_path / "client.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "matrix_client", "--backend", "headless", "--api",
                 api.url, "--cache", str(cache)], cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT)
        try:
            seen: list[bytes] = []
            wait_until(lambda: seen.append(notify.recv(256)) or
                       (b"READY=1" in seen and seen.count(b"WATCHDOG=1") >= 2), 20,
                       what="READY and two watchdog pings")
            wait_until(lambda: "first frame with data" in log.read_text(), 10,
                       what="the API's data on screen")
            assert not cache.exists()  # write_delay 600: only the exit may write it
            process.send_signal(signal.SIGTERM)
            assert process.wait(15) == 0, log.read_text()
            while b"STOPPING=1" not in seen:
                seen.append(notify.recv(256))
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    state = json.loads(cache.read_text())["state"]
    assert state["Weather"]["values"] == {"current": {"temp": 61}}
    assert "signal 15: stopping" in log.read_text()
