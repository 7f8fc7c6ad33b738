"""A real X server (Debian's Xvfb) for the emulator's window, and screenshots of windows.

    with Xvfb() as x:
        ... run a client with env={"DISPLAY": x.display} ...
        image = x.screenshot("glanceboard 64x32")   # ImageMagick's ``import``

The screenshot is taken by a real X client, ImageMagick's ``import``, from the
server's own framebuffer, so what it returns is what a user would see.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator

import pytest
from PIL import Image

from server import subprocesses
from tests.system_tools import find_program, require_program

XVFB = ("Xvfb",)
IMPORT = ("import",)  # ImageMagick's screenshot tool (Debian package imagemagick)
XWININFO = ("xwininfo",)  # finds a window by its title (Debian package x11-utils)
MISSING = ("no {what} found for the emulator window tests: install Debian's 'xvfb', "
           "'imagemagick' and 'x11-utils' packages (apt-get install xvfb imagemagick "
           "x11-utils)")


class Xvfb:
    """An Xvfb on a display number it picks itself, 24-bit colour, no TCP listener."""

    def __init__(self, size: tuple[int, int] = (1280, 800), executable: str | None = None
                 ) -> None:
        self.size = size
        self.executable = executable or find_program(XVFB) or "Xvfb"
        self.display = ""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 15.0) -> Xvfb:
        read_fd, write_fd = os.pipe()
        try:
            # -displayfd: it writes the display number it took once it accepts clients.
            self.process = subprocess.Popen(
                [self.executable, "-displayfd", str(write_fd), "-screen", "0",
                 f"{self.size[0]}x{self.size[1]}x24", "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            os.close(write_fd)
            write_fd = -1
            number = _read_line(read_fd, timeout)
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        if not number.strip().isdigit():
            error = b""
            if self.process.poll() is not None and self.process.stderr is not None:
                error = self.process.stderr.read()
            self.stop()
            raise RuntimeError(f"Xvfb did not start: {error.decode(errors='replace')}")
        self.display = f":{number.strip()}"
        return self

    def stop(self) -> None:
        if self.process is not None:
            subprocesses.terminate(self.process, 5.0)
            if self.process.stderr is not None:
                self.process.stderr.close()
            self.process = None

    def __enter__(self) -> Xvfb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        """What a child needs to draw on this server (and only here)."""
        return {"DISPLAY": self.display, "WAYLAND_DISPLAY": ""}

    def window_id(self, title: str, timeout: float = 5.0) -> str:
        """The id of the window titled ``title``; RuntimeError while there is none."""
        done = subprocess.run([find_program(XWININFO) or "xwininfo", "-display", self.display,
                               "-name", title], capture_output=True, text=True,
                              timeout=timeout, check=False)
        for line in done.stdout.splitlines():
            if "Window id:" in line:
                return line.split("Window id:", 1)[1].split()[0]
        raise RuntimeError(f"no window titled {title!r} yet: {done.stderr.strip()}")

    def screenshot(self, title: str, timeout: float = 5.0) -> Image.Image:
        """The window titled ``title`` as RGB, taken by ImageMagick's import."""
        # By id: given a name that matches nothing, import would wait for a mouse click.
        window = self.window_id(title, timeout)
        done = subprocess.run([find_program(IMPORT) or "import", "-display", self.display,
                               "-window", window, "png:-"],
                              capture_output=True, timeout=timeout, check=False)
        if done.returncode != 0 or not done.stdout:
            raise RuntimeError(f"import -window {window} ({title!r}) failed: "
                               f"{done.stderr.decode(errors='replace').strip()}")
        with Image.open(io.BytesIO(done.stdout)) as image:
            return image.convert("RGB")


def _read_line(fd: int, timeout: float) -> str:
    import select

    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            break
        chunk = os.read(fd, 64)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def require_x_tools() -> str:
    """Xvfb's path, after making sure ImageMagick's import is there too (skip/fail if not)."""
    require_program(IMPORT, MISSING.format(what="ImageMagick 'import'"))
    require_program(XWININFO, MISSING.format(what="xwininfo"))
    return require_program(XVFB, MISSING.format(what="Xvfb"))


@pytest.fixture(scope="module", name="xserver")
def xserver_fixture() -> Iterator[Xvfb]:
    """One X server per test module."""
    with Xvfb(executable=require_x_tools()) as server:
        yield server

