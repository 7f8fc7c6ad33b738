"""The embedded default: a real Valkey from the wheel, persistent across restarts."""

from __future__ import annotations

import re
import shutil
import socket
import stat
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
        port = int(re.search(r"redis://\*\*\*@127\.0\.0\.1:(\d+)/", line).group(1))
        client = redis.Redis(port=port, password=(tmp_path / "password").read_text().strip())
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


def test_a_password_is_made_at_first_start_kept_0600_and_shown_only_on_request(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = EmbeddedValkey(data, port=0)
    server.start()
    try:
        kept = data / "password"
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
        assert stat.S_IMODE((data / "valkey.conf").stat().st_mode) == 0o600
        password = kept.read_text().strip()
        assert len(password) >= 32
        with pytest.raises(redis.AuthenticationError):  # no password, no entry
            redis.Redis(port=server.port).ping()
        assert redis.Redis.from_url(server.url).ping()
        shown = subprocess.run([sys.executable, "-m", "server.valkey", "--data", str(data),
                                "--port", str(server.port), "--show-url"],
                               capture_output=True, text=True, timeout=30)
        assert shown.returncode == 0 and shown.stdout.strip() == server.url
        assert password not in (data / "valkey.log").read_text()
    finally:
        server.stop()
    again = EmbeddedValkey(data, port=0)  # the same password on the next start
    again.start()
    try:
        assert again.password == password and redis.Redis.from_url(again.url).ping()
    finally:
        again.stop()


def test_every_part_finds_the_kept_password_when_redis_url_is_unset(
        tmp_path: Path) -> None:
    """REDIS_URL unset: the KV updater and a producer reach the embedded Valkey at
    127.0.0.1:6379 with the password of $GLANCEBOARD_DATA/valkey."""
    from server.valkey import _port_is_free
    from tests.servers import Child, python_module, start_kv_updater

    if not _port_is_free("127.0.0.1", 6379):
        pytest.skip("port 6379 is taken on this machine")
    env = {"GLANCEBOARD_DATA": str(tmp_path), "REDIS_URL": "", "REDIS_PASSWORD": ""}
    server = EmbeddedValkey(tmp_path / "valkey", port=6379)
    server.start()
    updater = None
    try:
        updater = start_kv_updater(None, tmp_path / "kv.log", env=env)
        producer = Child(python_module("server.producers", "demo", "--once"),
                         tmp_path / "producer.log", env=env)
        assert producer.process.wait(30) == 0, producer.log()
        client = redis.Redis.from_url(server.url)
        assert client.hlen("state") >= 9
        client.close()
        assert server.password not in updater.log() + producer.log()
    finally:
        if updater is not None:
            updater.kill()
        server.stop()


def test_no_password_on_purpose(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = EmbeddedValkey(data, port=0)
    first.start()  # made a password...
    first.stop()
    server = EmbeddedValkey(data, port=0, password=False)
    server.start()
    try:
        assert redis.Redis(port=server.port).ping()
        assert not (data / "password").exists()  # ...removed, so no part sends it
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
    finally:
        server.stop()
