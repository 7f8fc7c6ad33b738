"""Choosing real producers for the demo: what can run, whether the network is there."""

from __future__ import annotations

import socket

from server.demo import DemoContext, child_commands
from server.producers.live import network_available, runnable
from tests.producer_support import Subscriber, dead_port_url, producer_process, stop_process


def test_runnable_needs_the_settings_of_each_source() -> None:
    bare = runnable({})
    assert bare == {"weather": "Weather", "aqi": "AQI", "moon": "Moon", "mlb": "MLB",
                    "nfl": "NFL", "host": "Host"}
    full = runnable({"CALENDAR_SOURCE_FILE": "/run/secrets/cal", "EVENTS_SOURCE": "x.ics",
                     "GITHUB_REPO": "o/r"})
    assert {"calendar", "events", "github"} <= set(full)


def test_network_probe_against_loopback() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert network_available(listener.getsockname(), timeout=2)
    port = int(dead_port_url().rsplit(":", 1)[1].strip("/"))
    assert not network_available(("127.0.0.1", port), timeout=2)


def test_demo_runs_real_producers_and_skips_their_types() -> None:
    ctx = DemoContext(redis_url="redis://x", api_host="127.0.0.1", api_port=1, token="t",
                      seed=1, period=10, speed=1, real={"weather": "Weather", "aqi": "AQI"})
    commands = {c.name: c.argv for c in child_commands(ctx)}
    assert commands["weather"][-2:] == ["server.producers", "weather"]
    assert commands["aqi"][-1] == "aqi"
    demo = commands["producer"]
    assert demo[demo.index("--skip") + 1] == "Weather,AQI"


def test_demo_producer_skips_the_named_types(valkey) -> None:
    sub = Subscriber(valkey.url)
    proc = producer_process("demo", ["--once", "--skip", "Weather,AQI"], valkey.url)
    try:
        sub.wait_for("Moon", proc=proc)
        assert proc.wait(timeout=20) == 0
        sub.drain()
        kinds = {m["type"] for m in sub.messages}
        assert {"Moon", "MLB", "NFL", "Calendar"} <= kinds
        assert not kinds & {"Weather", "AQI"}
    finally:
        stop_process(proc)
        sub.close()
