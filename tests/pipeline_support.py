"""Helpers for the pipeline tests: real child processes, polling with deadlines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from server.valkey import free_port

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float = 15.0, what: str = "condition",
             interval: float = 0.05) -> T:
    """Poll ``condition`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception as exc:  # e.g. connection refused while a server starts
            last_error = exc
            result = None
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}"
                         + (f" (last error: {last_error!r})" if last_error else ""))


def http_get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def metric(metrics_text: str, name: str) -> float:
    """The value of one sample line (``name`` includes labels) in Prometheus text."""
    for line in metrics_text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"metric {name} not found in:\n{metrics_text}")


def envelope(kind: str, values: Any, ts: int | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": kind, "values": values,
                            "updated": "2026-11-26T16:55:08-05:00",
                            "valid": "2026-11-26T17:55:08-05:00"}
    if ts is not None:
        data["ts"] = ts
    data.update(extra)
    return data


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


class Child:
    """A child process whose output goes to a log file we can show on failure."""

    def __init__(self, args: list[str], log_path: Path, env: dict[str, str] | None = None
                 ) -> None:
        self.args = args
        self.log_path = log_path
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                        cwd=str(REPO), env=full_env)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def terminate(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; the exit code (kills after ``timeout``)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"{self.args} ignored SIGTERM for {timeout}s:\n"
                                     + self.log()) from None
        self._log.close()
        return int(self.process.returncode)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()


@contextmanager
def child(args: list[str], log_path: Path, env: dict[str, str] | None = None
          ) -> Iterator[Child]:
    proc = Child(args, log_path, env)
    try:
        yield proc
    finally:
        proc.kill()


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


__all__ = ["Child", "child", "dumps", "envelope", "free_port", "http_get", "metric",
           "python_module", "wait_for"]
