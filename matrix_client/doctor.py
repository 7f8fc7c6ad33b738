"""``python -m matrix_client doctor``: is this Pi ready for the panel service?

One line per check, ``OK``, ``WARN``, ``FAIL`` or ``SKIP`` (does not apply here), with
the fix. Runs without a panel: on a laptop the Pi checks say they do not apply. Exit
status 1 when a check failed.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from matrix_client.config import CONFIG_ENV, ClientConfig, ConfigError, load_config
from matrix_client.panel_options import PILLOW_RANGE
from matrix_client.rotation import RotationError, load_rotation

DEFAULT_CONFIG = Path("/etc/glanceboard/client.toml")
UNIT = "matrix-client.service"
DOCS = "docs/raspberry-pi.md"


@dataclass(frozen=True)
class Check:
    status: str  # OK, WARN, FAIL, SKIP
    name: str
    detail: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.detail}"


@dataclass(frozen=True)
class Machine:
    """Where the checks look; tests point these at files of their own."""

    model: Path = Path("/proc/device-tree/model")
    modules: Path = Path("/proc/modules")
    cmdline: Path = Path("/proc/cmdline")
    unit_dir: Path = Path("/etc/systemd/system")

    def pi_model(self) -> str | None:
        try:
            text = self.model.read_bytes().rstrip(b"\0").decode(errors="replace")
        except OSError:
            return None
        return text if text.startswith("Raspberry Pi") else None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def check_model(machine: Machine, panel: dict) -> Check:
    model = machine.pi_model()
    if model is None:
        return Check("SKIP", "Pi model", "not a Raspberry Pi: the Pi checks do not apply; "
                     "try the client with --backend emulator")
    wants = 2 if "Raspberry Pi 4" in model or "Raspberry Pi 400" in model \
        or "Compute Module 4" in model else 1
    chosen = panel.get("gpio_slowdown")
    if chosen is not None and chosen < wants:
        return Check("WARN", "Pi model", f"{model}: [panel] gpio_slowdown = {chosen}, but "
                     f"this Pi wants {wants} or more (garbled picture): raise it or leave it "
                     "unset for the library's choice")
    how = "the library picks it" if chosen is None else f"set to {chosen}"
    return Check("OK", "Pi model", f"{model}: gpio_slowdown {wants} ({how})")


def check_sound(machine: Machine, panel: dict) -> Check:
    from matrix_client.display.panel import SOUND_LOADED, sound_module_loaded

    if machine.pi_model() is None:
        return Check("SKIP", "sound module", "not a Raspberry Pi")
    if sound_module_loaded(machine.modules):
        if panel.get("disable_hardware_pulsing"):
            return Check("WARN", "sound module", "loaded; works only because "
                         "disable_hardware_pulsing is set (more flicker)")
        return Check("FAIL", "sound module", SOUND_LOADED)
    return Check("OK", "sound module", "snd_bcm2835 not loaded")


def check_isolcpus(machine: Machine) -> Check:
    if machine.pi_model() is None:
        return Check("SKIP", "isolcpus", "not a Raspberry Pi")
    if (os.cpu_count() or 1) < 4:
        return Check("SKIP", "isolcpus", f"{os.cpu_count()} core(s): no core to spare")
    for word in _read(machine.cmdline).split():
        if word.startswith("isolcpus=") and "3" in word.split("=", 1)[1].split(","):
            return Check("OK", "isolcpus", word)
    return Check("WARN", "isolcpus", "core 3 is not reserved for the panel's refresh: add "
                 "isolcpus=3 to the line in /boot/firmware/cmdline.txt and reboot (less flicker)")


def check_driver(machine: Machine) -> Check:
    from matrix_client.display.errors import DisplayError
    from matrix_client.display.panel import import_driver

    try:
        driver = import_driver()
    except DisplayError as exc:
        status = "FAIL" if machine.pi_model() else "SKIP"
        return Check(status, "rgbmatrix", str(exc))
    import PIL

    return Check("OK", "rgbmatrix", f"{Path(driver.__file__).parent}, Pillow {PIL.__version__} "
                 f"(wanted {PILLOW_RANGE})")


def check_api(config: ClientConfig, timeout: float) -> Check:
    import requests

    url = config.api_url
    headers = {"Authorization": f"Bearer {config.api_token}"} if config.api_token else {}
    try:
        reply = requests.get(f"{url}/state", headers=headers, timeout=timeout)
        reply.raise_for_status()
        held = reply.json().get("state")
        if not isinstance(held, dict):
            raise ValueError("the answer has no 'state' object")
        with requests.get(f"{url}/events", headers=headers, stream=True,
                          timeout=timeout) as stream:
            stream.raise_for_status()
            kind = stream.headers.get("content-type", "")
            if not kind.startswith("text/event-stream"):
                raise ValueError(f"/events answered {kind or 'no content type'}")
    except (requests.RequestException, ValueError) as exc:
        return Check("FAIL", "API", f"{url}: {exc} (set [api] url to your API server, "
                     "and check it runs: systemctl status api-server)")
    return Check("OK", "API", f"{url}: /state holds {len(held)} types, /events streams")


def cache_path(config: ClientConfig, machine: Machine) -> Path:
    """The unit's GLANCEBOARD_CACHE_PATH when it is installed, else the config's."""
    for line in _read(machine.unit_dir / UNIT).splitlines():
        for word in line.split():
            if word.startswith("GLANCEBOARD_CACHE_PATH="):
                return Path(word.split("=", 1)[1])
    return config.cache_path


def may_write(folder: Path, user: str) -> bool:
    entry = pwd.getpwnam(user)
    info = folder.stat()
    if info.st_uid == entry.pw_uid:
        return bool(info.st_mode & stat.S_IWUSR and info.st_mode & stat.S_IXUSR)
    groups = {entry.pw_gid} | {g.gr_gid for g in grp.getgrall()
                               if user in g.gr_mem}
    if info.st_gid in groups:
        return bool(info.st_mode & stat.S_IWGRP and info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IWOTH and info.st_mode & stat.S_IXOTH)


def check_cache(config: ClientConfig, machine: Machine) -> Check:
    panel = config.values["panel"]
    user = (panel.get("drop_priv_user") or "daemon") if panel.get("drop_privileges") \
        is not False else "root"
    path = cache_path(config, machine)
    folder = path.parent
    try:
        writable = may_write(folder, user)
    except KeyError:
        return Check("FAIL", "cache", f"no user {user!r} here ([panel] drop_priv_user)")
    except OSError as exc:
        return Check("FAIL", "cache", f"{folder}: {exc.strerror}: sudo install -d -o {user} "
                     f"-g {user} {folder} (or run matrix_client.setup)")
    if not writable:
        return Check("FAIL", "cache", f"{folder} is not writable by {user}, the user the "
                     f"driver drops to: sudo chown {user}: {folder}")
    if path.exists() and not path.stat().st_mode & stat.S_IROTH:
        return Check("WARN", "cache", f"{path} is not readable by others: root without "
                     f"CAP_DAC_OVERRIDE cannot load it at start: sudo chmod 0644 {path}")
    return Check("OK", "cache", f"{folder} writable by {user}")


def check_unit(machine: Machine) -> Check:
    unit = machine.unit_dir / UNIT
    if not unit.exists():
        return Check("WARN", "service", f"{unit} not installed: sudo .venv/bin/python -m "
                     "matrix_client.setup")
    if not shutil.which("systemctl") or not Path("/run/systemd/system").is_dir():
        return Check("SKIP", "service", f"{unit} installed; systemd does not run here")
    state = subprocess.run(["systemctl", "is-active", UNIT], capture_output=True, text=True,
                           check=False).stdout.strip()
    if state != "active":
        return Check("WARN", "service", f"{UNIT} is {state or 'unknown'}: sudo systemctl "
                     f"enable --now {UNIT}; journalctl -u matrix-client -n 20 says why")
    return Check("OK", "service", f"{UNIT} active")


def run_checks(config_path: Path | None, machine: Machine, timeout: float = 5.0
               ) -> Iterator[Check]:
    try:
        config = load_config(config_path)
        load_rotation(config.rotation_file)
    except (ConfigError, RotationError) as exc:
        config = None
        config_check = Check("FAIL", "config", str(exc))
    else:
        config_check = Check("OK", "config", config.source)
    panel = dict(config.values["panel"]) if config else {}
    yield check_model(machine, panel)
    yield check_sound(machine, panel)
    yield check_isolcpus(machine)
    yield check_driver(machine)
    yield config_check
    if config is None:
        yield Check("SKIP", "API", "needs a valid config")
        yield Check("SKIP", "cache", "needs a valid config")
    else:
        yield check_api(config, timeout)
        yield check_cache(config, machine)
    yield check_unit(machine)


def main(argv: list[str] | None = None,
         out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matrix_client doctor",
        description="Check this Pi for the panel service, one line per check (OK, WARN, "
        f"FAIL, SKIP) with the fix. See {DOCS}.")
    default = os.environ.get(CONFIG_ENV) or (str(DEFAULT_CONFIG) if DEFAULT_CONFIG.exists()
                                             else None)
    parser.add_argument("--config", default=default, metavar="FILE",
                        help=f"the client config (default ${CONFIG_ENV}, else {DEFAULT_CONFIG} "
                        "when it exists, else built-in defaults)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                        help="for each API request (default %(default)s)")
    args = parser.parse_args(argv)
    failed = False
    for check in run_checks(Path(args.config) if args.config else None, Machine(), args.timeout):
        out(check.line())
        failed |= check.status == "FAIL"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
