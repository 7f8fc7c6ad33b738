"""A Debian bookworm machine with systemd as PID 1, for the Pi path's tests.

Built with debootstrap (minbase plus systemd, dbus, python3, python3-venv) from the
Debian mirror this machine's apt uses, kept as a tarball under the test cache
(``$GLANCEBOARD_TEST_CACHE``, default ``~/.cache/glanceboard-tests``) keyed by the
package list and mirror, so a rerun unpacks it in seconds. Booted with
``systemd-nspawn --register=no --keep-unit -b``: it shares this machine's loopback,
so the tests reach its API server directly. Commands run inside through nsenter, with
a clean environment, as root (a Pi's ``sudo``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from tests.servers import wait_until
from tests.system_tools import require_program, unavailable

PACKAGES = "systemd,systemd-sysv,dbus,python3,python3-venv"
SUITE = "bookworm"
TRUST = Path("/etc/ssl/certs/ca-certificates.crt")


def cache_dir() -> Path:
    base = os.environ.get("GLANCEBOARD_TEST_CACHE") or Path.home() / ".cache" / "glanceboard-tests"
    return Path(base)


def apt_mirror() -> str:
    """The first Debian mirror in this machine's apt sources (deb822 or one-line form)."""
    sources = Path("/etc/apt/sources.list.d")
    files = [*sorted(sources.glob("*.sources")), *sorted(sources.glob("*.list")),
             Path("/etc/apt/sources.list")]
    for path in files:
        try:
            text = path.read_text()
        except OSError:
            continue
        for url in re.findall(r"(?m)^\s*(?:URIs:|deb)\s+(?:\[[^]]*\]\s+)?(\S+)", text):
            if url.rstrip("/").endswith("/debian"):
                return url
    return "http://deb.debian.org/debian"


def require_nspawn() -> None:
    if os.geteuid() != 0:
        unavailable("the systemd container tests need root (debootstrap, systemd-nspawn)")
    for tool, package in (("debootstrap", "debootstrap"), ("systemd-nspawn", "systemd-container"),
                          ("nsenter", "util-linux")):
        require_program((tool,), f"no {tool} for the systemd container tests: "
                        f"apt-get install {package}")


def root_filesystem(dest: Path, log: Path) -> None:
    """Unpack the cached root file system into ``dest``, building the cache first if needed."""
    mirror = apt_mirror()
    key = hashlib.sha256(f"{SUITE} {PACKAGES} {mirror}".encode()).hexdigest()[:12]
    tarball = cache_dir() / f"{SUITE}-minbase-{key}.tar"
    if not tarball.exists():
        build = dest.parent / "debootstrap"
        with log.open("ab") as out:
            subprocess.run(["debootstrap", "--variant=minbase", f"--include={PACKAGES}", SUITE,
                            str(build), mirror], check=True, stdout=out, stderr=subprocess.STDOUT,
                           timeout=1200)
        tarball.parent.mkdir(parents=True, exist_ok=True)
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "-C", str(build), "-cf", str(partial), "."], check=True)
        partial.rename(tarball)
        shutil.rmtree(build)
    dest.mkdir(parents=True)
    subprocess.run(["tar", "-C", str(dest), "-xf", str(tarball)], check=True)


class Container:
    """One booted container; ``run`` executes a shell command inside it."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root, self.log = root, log
        self.process: subprocess.Popen[bytes] | None = None
        self.leader = 0
        self.env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "HOME": "/root", "LANG": "C.UTF-8"}

    def boot(self, binds: dict[Path, str]) -> None:
        if TRUST.exists():  # this machine's trust store, so pip reaches PyPI as it does here
            shutil.copy(TRUST, self.root / "etc/ssl/certs/ca-certificates.crt")
            self.env["PIP_CERT"] = str(TRUST)
        args = ["systemd-nspawn", "--register=no", "--keep-unit", "--quiet",
                "--console=passive", "-D", str(self.root)]
        args += [f"--bind={host}:{inside}" for host, inside in binds.items()]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([*args, "-b"], stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        self.leader = wait_until(self._leader, 60, "the container's systemd")
        wait_until(lambda: self.run("systemctl is-system-running", check=False).stdout.strip()
                   in ("running", "degraded"), 90, "the container to finish booting")

    def _leader(self) -> int | None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"systemd-nspawn exited: {self.log.read_text()[-2000:]}")
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids = children.read_text().split()
        except OSError:
            return None
        if not pids or Path(f"/proc/{pids[0]}/comm").read_text().strip() != "systemd":
            return None
        return int(pids[0])

    def run(self, command: str, *, check: bool = True, timeout: float = 600
            ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["nsenter", "-t", str(self.leader), "-a", "env", "-i",
             *(f"{k}={v}" for k, v in self.env.items()), "sh", "-c", command],
            capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"in the container: {command}\nexit {result.returncode}\n"
                                 f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def file(self, path: str) -> Path:
        """A path inside the running container, as this machine sees it (tmpfs included)."""
        return Path(f"/proc/{self.leader}/root") / path.lstrip("/")

    def unit(self, name: str, *props: str) -> dict[str, str]:
        out = self.run(f"systemctl show {shlex.quote(name)} "
                       + " ".join(f"-p {p}" for p in props)).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def journal(self, unit: str, since: str = "") -> str:
        extra = f" --since {shlex.quote(since)}" if since else ""
        return self.run(f"journalctl -q -o cat -u {shlex.quote(unit)}{extra}").stdout

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # nspawn asks the container's systemd to power off
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def shell_blocks(markdown: str, name: str) -> list[str]:
    """The commands of the ```sh block after ``<!-- pi-steps: name -->``, one per line."""
    match = re.search(rf"<!-- pi-steps: {re.escape(name)} -->\s*```sh\n(.*?)```", markdown,
                      re.DOTALL)
    if not match:
        raise AssertionError(f"docs: no <!-- pi-steps: {name} --> block")
    lines = [line.split("  #")[0].strip() for line in match[1].splitlines()]
    return [line for line in lines if line and not line.startswith("#")]
