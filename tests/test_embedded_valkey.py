"""The embedded default: a real Valkey from the wheel, persistent across restarts."""

from __future__ import annotations

import socket
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
    import time

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
