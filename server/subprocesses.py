"""Starting and ending child processes.

Shared by the parts that start other processes (the embedded Valkey, the
demo) and by the tests and benchmarks that start the parts.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Any


def dies_with_parent(argv: list[str]) -> list[str]:
    """``argv`` wrapped so the child gets SIGTERM if we die, even by SIGKILL.

    Otherwise a killed demo or test run leaves servers holding ports and data
    directories. setpriv sets the signal and then execs the command; unlike a
    preexec_fn it is safe from a process with threads. Without setpriv (not
    Linux), children are stopped by :func:`terminate` only.
    """
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else argv


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
