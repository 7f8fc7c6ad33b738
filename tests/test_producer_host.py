"""Host status producer: uptime and load, read from a /proc/uptime-style file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from server.producers.host import HostStatus, host_values, human_uptime, parse_uptime
from server.producers.shape import UpstreamShapeError
from tests.producer_support import (
    InProcess,
    Subscriber,
    check_process_publishes,
    make_producer,
    seconds_valid,
    wait_until,
)


def uptime_file(tmp_path: Path, text: str = "356521.42 1390000.10\n") -> Path:
    path = tmp_path / "uptime"
    path.write_text(text)
    return path


def test_mapping_of_uptime_and_load(tmp_path: Path) -> None:
    made = make_producer(HostStatus, ["--proc-uptime", str(uptime_file(tmp_path)),
                                      "--hostname", "nas"])
    values = made.fetch()
    assert values["hostname"] == "nas"
    assert values["uptime_s"] == 356521
    assert values["uptime"] == "4d 3h 2m"  # 356521 s = 4 days 3 h 2 min 1 s
    assert values["cpus"] == os.cpu_count()
    assert len(values["load"]) == 3 and all(isinstance(x, float) for x in values["load"])
    assert host_values("h", 59, (0.123, 0.0, 2.0), 2)["load"] == [0.12, 0.0, 2.0]


def test_human_uptime() -> None:
    assert [human_uptime(s) for s in (59, 61, 3600, 3 * 3600 + 120, 86400)] == [
        "0m", "1m", "1h 0m", "3h 2m", "1d 0h 0m"]


@pytest.mark.parametrize("text", ["", "up 3 days", "-5 10"])
def test_unreadable_uptime_names_the_file(text: str) -> None:
    with pytest.raises(UpstreamShapeError) as caught:
        parse_uptime(text, "/proc/uptime")
    assert caught.value.path == "/proc/uptime"


def test_unreadable_source_keeps_last_good_and_retries(tmp_path: Path, valkey) -> None:
    path = uptime_file(tmp_path)
    sub = Subscriber(valkey.url)
    try:
        with InProcess(make_producer(HostStatus, ["--proc-uptime", str(path)]), valkey.url,
                       period=1.0) as running:
            sub.wait_for("Host")
            path.write_text("garbage\n")  # the source changes shape
            wait_until(lambda: running.runner.fetch_failures >= 1)
            seen = len(sub.of("Host"))
            wait_until(lambda: running.runner.fetch_failures >= 3)
            assert len(sub.of("Host")) == seen
            assert str(path) in (running.runner.last_error or "")
            path.unlink()  # then disappears
            failures = running.runner.fetch_failures
            wait_until(lambda: running.runner.fetch_failures >= failures + 2)
            assert "No such file" in (running.runner.last_error or "")
            assert len(sub.of("Host")) == seen
            uptime_file(tmp_path, "100.0 50.0\n")
            latest = sub.wait_for("Host", count=seen + 1)[-1]
        assert latest["values"]["uptime_s"] == 100
    finally:
        sub.close()


def test_process_publishes_every_minute_by_default(tmp_path: Path, valkey) -> None:
    message = check_process_publishes("host", [], valkey.url, "Host",
                                      env={"HOST_PROC_UPTIME": str(uptime_file(tmp_path)),
                                           "HOST_NAME": "node-7"})
    assert message["values"]["hostname"] == "node-7"
    assert message["values"]["uptime_s"] == 356521
    assert seconds_valid(message) == 60


@pytest.mark.skipif(not Path("/proc/uptime").exists(), reason="needs Linux /proc")
def test_real_proc_uptime() -> None:
    values = make_producer(HostStatus, []).fetch()
    assert values["uptime_s"] > 0
