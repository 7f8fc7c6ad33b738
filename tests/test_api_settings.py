"""``python -m server.api`` refuses bad settings with one clear line and status 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis

from server.settings import with_password
from server.valkey import EmbeddedValkey
from tests.servers import start_api_server, wait_until


def run_api(*args: str, env: dict[str, str] | None = None,
            insecure: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m server.api`` to its end (``insecure``: with --insecure-control)."""
    flags = ["--insecure-control"] if insecure else []
    return subprocess.run([sys.executable, "-m", "server.api", "--port", "0", *flags, *args],
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("args, env, says", [
    ((), {"API_PORT": "abc"}, "environment variable API_PORT='abc': not a port number"),
    ((), {"SSE_HEARTBEAT": "soon"}, "environment variable SSE_HEARTBEAT='soon': not a number"),
    ((), {"SSE_MAX_CLIENTS": "-3"}, "environment variable SSE_MAX_CLIENTS='-3': must be > 0"),
    ((), {"LOG_LEVEL": "loud"}, "environment variable LOG_LEVEL='loud': 'loud' is not one of"),
    (("--port", "70000"), {}, "argument --port: port must be 0-65535, got 70000"),
    (("--cluster", "--state-key", "mystate"), {}, "--state-key 'mystate'"),
    (("--redis-url", "localhost:6379"), {}, "REDIS_URL 'localhost:6379': Redis URL must"),
    ((), {"REDIS_URL": "redis://u:secret@h:port/0"}, "'redis://u:***@h:port/0': Port could"),
])
def test_a_bad_setting_is_one_clear_line_and_status_2(args: tuple[str, ...],
                                                       env: dict[str, str], says: str) -> None:
    done = run_api(*args, env=env)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
    assert done.stdout == ""  # it never started listening


def test_without_a_control_token_it_does_not_start(valkey: EmbeddedValkey) -> None:
    done = run_api("--redis-url", valkey.url, env={"CONTROL_TOKEN": ""}, insecure=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: no control token: set CONTROL_TOKEN (or --control-token), or pass "
        "--insecure-control to let anyone who reaches this server send web control commands"]
    assert done.stdout == ""  # it never started listening


def test_cluster_mode_against_a_plain_server_stops_with_the_reason(
        valkey: EmbeddedValkey) -> None:
    """Not a link to retry: a setting to fix. The server says so and exits, not idles."""
    done = run_api("--cluster", "--redis-url", valkey.url)
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: --cluster is set but redis://***@127.0.0.1:"), last
    assert "is not a cluster node" in last


def test_redis_refusing_our_channels_stops_the_server_with_the_reason(
        valkey: EmbeddedValkey) -> None:
    """An ACL user without the channels: retrying cannot help, so say so and exit."""
    admin = redis.Redis.from_url(valkey.url)
    admin.execute_command("ACL", "SETUSER", "nochan", "on", ">pw", "resetchannels", "&other",
                          "~state", "+subscribe", "+ping", "+hgetall")
    admin.close()
    done = run_api("--redis-url", with_password(valkey.url, "pw", user="nochan"))
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: Redis at redis://nochan:***@127.0.0.1:"), last
    assert "refused the API server: NoPermissionError" in last


def test_a_wrong_password_is_logged_and_shown_by_ready(valkey: EmbeddedValkey) -> None:
    """A link error is retried, but the first failure is logged, not only at debug level."""
    api = start_api_server(with_password(valkey.url, "wrong", user="nobody"))
    try:
        wait_until(lambda: "cannot reach Redis at redis://nobody:***@" in api.output(), 10,
                   "a warning naming the Redis URL")
        assert "AuthenticationError" in api.output() and "wrong" not in api.output()
        ready = api.get("/ready")
        assert ready.status_code == 503 and "AuthenticationError" in ready.json()["reason"]
    finally:
        api.stop()
