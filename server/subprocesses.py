"""Ending a child process: politely first, then for sure.

Shared by the parts that start other processes (the embedded Valkey, the
demo) and by the tests and benchmarks that start the parts.
"""

from __future__ import annotations

import subprocess
from typing import Any


def terminate(process: subprocess.Popen[Any], timeout: float = 10.0) -> bool:
    """SIGTERM and wait up to ``timeout`` s, then SIGKILL. False when it had to be killed."""
    if process.poll() is not None:
        return True
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        kill(process)
        return False
    return True


def kill(process: subprocess.Popen[Any]) -> None:
    """SIGKILL (if it still runs) and reap it, so that no zombie is left."""
    if process.poll() is None:
        process.kill()
    process.wait()
