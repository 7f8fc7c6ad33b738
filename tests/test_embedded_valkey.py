"""The embedded default: a real Valkey from the wheel, persistent across restarts."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from server.valkey import EmbeddedValkey


def test_state_survives_a_kill_and_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = EmbeddedValkey(data, port=0)
    server.start()
    client = redis.Redis.from_url(server.url)
    client.hset("state", "Weather", '{"type":"Weather"}')
    client.close()
    # AOF everysec: give the fsync its second, then crash the server.
    time.sleep(1.5)
    server.kill()
    again = EmbeddedValkey(data, port=0)
    again.start()
    try:
        client = redis.Redis.from_url(again.url)
        assert client.hget("state", "Weather") == b'{"type":"Weather"}'
        assert client.config_get("appendfsync")["appendfsync"] == "everysec"
        assert client.config_get("bind")["bind"] == "127.0.0.1"
        client.close()
    finally:
        again.stop()


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"port {port}.*in use"):
            EmbeddedValkey(tmp_path, port=port).start()


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("setpriv") is None,
                    reason="parent-death signal needs Linux and setpriv")
def test_server_stops_when_its_owner_is_killed(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-m", "server.valkey", "--port", "0", "--data", str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert owner.stdout is not None
        line = owner.stdout.readline()
        port = int(re.search(r"redis://127\.0\.0\.1:(\d+)/", line).group(1))
        client = redis.Redis(port=port)
        assert client.ping()
        client.close()
    finally:
        owner.kill()  # SIGKILL: the owner gets no chance to stop the server itself
        owner.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _port_free(port):
        time.sleep(0.1)
    assert _port_free(port), "valkey-server outlived its owner"


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
