"""Write systemd units for glanceboard with this machine's paths.

    sudo python -m matrix_client.install_service --config /etc/glanceboard/client.toml
    sudo python -m matrix_client.install_service --server   # the server parts' units

The units run the Python this command runs with (your venv), so install from
inside the venv you want the service to use. ``--stdout`` prints instead of
writing. The files in the repository's ``systemd/`` directory are these same
templates rendered with the default paths below.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

DEFAULT_PYTHON = "/opt/glanceboard/.venv/bin/python"
DEFAULT_WORKDIR = "/opt/glanceboard"
DEFAULT_CONFIG = "/etc/glanceboard/client.toml"
DEFAULT_ENV_FILE = "/etc/glanceboard/glanceboard.env"
DEFAULT_USER = "glanceboard"

# The panel driver opens /dev/mem (or /dev/gpiomem) and raises its thread priority, so the
# client starts as root; rgbmatrix then drops to daemon:daemon right after it set up the
# GPIO (drop_privileges = true). The state cache therefore lives in a directory daemon
# owns. Hardening keeps what the driver needs: real /dev (no PrivateDevices), CAP_SYS_RAWIO
# for the memory map, CAP_SYS_NICE for realtime priority, CAP_SETUID/SETGID for the drop.
MATRIX_PANEL = """\
[Unit]
Description=glanceboard matrix client (RGB LED panel)
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
NotifyAccess=main
ExecStartPre=+/bin/chown daemon:daemon /var/cache/glanceboard
ExecStart={python} -m matrix_client --config {config} --backend panel
WorkingDirectory={workdir}
Environment=PYTHONUNBUFFERED=1 GLANCEBOARD_CACHE_PATH=/var/cache/glanceboard/state.json
Restart=always
RestartSec=3
WatchdogSec=30
TimeoutStopSec=10
CacheDirectory=glanceboard
# Hardening that still lets the driver reach the GPIO.
NoNewPrivileges=yes
CapabilityBoundingSet=CAP_SYS_RAWIO CAP_SYS_NICE CAP_SETUID CAP_SETGID
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
LockPersonality=yes
RestrictNamespaces=yes
RestrictSUIDSGID=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
"""

# Emulator (or headless) backend: no hardware, so an ordinary user and tighter limits.
MATRIX_EMULATOR = """\
[Unit]
Description=glanceboard matrix client ({backend} backend)
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
NotifyAccess=main
User={user}
ExecStart={python} -m matrix_client --config {config} --backend {backend}
WorkingDirectory={workdir}
Environment=PYTHONUNBUFFERED=1 XDG_CONFIG_HOME=/var/lib/glanceboard
Environment=GLANCEBOARD_CACHE_PATH=/var/cache/glanceboard/state.json
Restart=always
RestartSec=3
WatchdogSec=30
TimeoutStopSec=10
CacheDirectory=glanceboard
StateDirectory=glanceboard
NoNewPrivileges=yes
CapabilityBoundingSet=
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
"""

_SERVER_COMMON = """\
[Service]
Type=simple
User={user}
EnvironmentFile={env_file}
ExecStart={python} -m {module}
WorkingDirectory={workdir}
# GLANCEBOARD_DATA: where every part finds the embedded Valkey's password (valkey/password).
Environment=PYTHONUNBUFFERED=1 GLANCEBOARD_DATA=%S/glanceboard
Restart=always
RestartSec=3
TimeoutStopSec=10
NoNewPrivileges=yes
CapabilityBoundingSet=
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native
StateDirectory=glanceboard

[Install]
WantedBy=multi-user.target
"""

KV_UPDATER = """\
[Unit]
Description=glanceboard KV updater (latest message per type into the Redis hash)
After=network-online.target embedded-valkey.service
Wants=network-online.target

""" + _SERVER_COMMON.replace("{module}", "server.kv_updater")

API_SERVER = """\
[Unit]
Description=glanceboard API server (REST and server-sent events)
After=network-online.target embedded-valkey.service
Wants=network-online.target

""" + _SERVER_COMMON.replace("{module}", "server.api")

# The instance name is the producer: producer@weather.service runs `server.producers weather`.
PRODUCER = """\
[Unit]
Description=glanceboard producer %i
After=network-online.target embedded-valkey.service
Wants=network-online.target

""" + _SERVER_COMMON.replace("{module}", "server.producers %i")

# The embedded default Redis, for a single machine without a Redis of its own. The
# other server units are ordered after it (After= only: with an external Redis it is
# simply not enabled). %S is systemd's state root, /var/lib.
EMBEDDED_VALKEY = """\
[Unit]
Description=glanceboard embedded Valkey (the default Redis, persistent in /var/lib/glanceboard)
After=network.target

""" + _SERVER_COMMON.replace(
    "{module}", "server.valkey --data %S/glanceboard/valkey"
).replace("TimeoutStopSec=10", "TimeoutStopSec=60")  # room for the final RDB save

# What a single machine on the embedded default enables; with an external Redis,
# leave out embedded-valkey.service and set REDIS_URL in the environment file.
SERVER_ENABLE = ("embedded-valkey.service kv-updater.service api-server.service "
                 "producer@weather.service")

SERVER_UNITS = {
    "embedded-valkey.service": EMBEDDED_VALKEY,
    "kv-updater.service": KV_UPDATER,
    "api-server.service": API_SERVER,
    "producer@.service": PRODUCER,
}


def render_units(*, python: str, workdir: str, config: str, user: str, env_file: str,
                 backend: str = "panel", server: bool = False) -> dict[str, str]:
    """File name -> unit text."""
    fields = {"python": python, "workdir": workdir, "config": config, "user": user,
              "env_file": env_file, "backend": backend}
    if server:
        return {name: text.format(**fields) for name, text in SERVER_UNITS.items()}
    template = MATRIX_PANEL if backend == "panel" else MATRIX_EMULATOR
    return {"matrix-client.service": template.format(**fields)}


def example_units() -> dict[str, str]:
    """The units as shipped in the repository's systemd/ directory."""
    fields = {"python": DEFAULT_PYTHON, "workdir": DEFAULT_WORKDIR, "config": DEFAULT_CONFIG,
              "user": DEFAULT_USER, "env_file": DEFAULT_ENV_FILE}
    return {**render_units(**fields), **render_units(**fields, server=True)}


def ensure_env_file(path: Path) -> str:
    """The server units' environment file: made with a new CONTROL_TOKEN (mode 0600) when
    there is none, since the API server does not start without a token. What was done."""
    if path.exists():
        if "CONTROL_TOKEN=" in path.read_text(encoding="utf-8", errors="replace"):
            return f"kept {path}"
        return (f"kept {path}; it sets no CONTROL_TOKEN, without which the API server does "
                "not start: add CONTROL_TOKEN=<a long random string>")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# Settings of the glanceboard server units (REDIS_URL, PERIOD, ...).\n"
                  "# The web control token the dashboard asks for:\n"
                  f"CONTROL_TOKEN={secrets.token_urlsafe(24)}\n")
    return f"wrote {path} with a new CONTROL_TOKEN (mode 0600; read it there)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m matrix_client.install_service",
        description="Write glanceboard's systemd units with this machine's paths; then run "
        "'systemctl daemon-reload' and 'systemctl enable --now <unit>'.")
    parser.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE",
                        help=f"matrix client config file (default {DEFAULT_CONFIG}); made "
                        "absolute")
    parser.add_argument("--backend", default="panel", choices=("panel", "emulator", "headless"),
                        help="matrix client backend; panel starts as root (the driver drops "
                        "to daemon), the others run as --user (default panel)")
    parser.add_argument("--user", default=os.environ.get("SUDO_USER") or DEFAULT_USER,
                        help="user for the server units and non-panel client (default: the "
                        "user who ran sudo, else glanceboard)")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter the units run (default: this one, "
                        f"{sys.executable})")
    parser.add_argument("--workdir", default=str(Path.cwd()),
                        help="working directory of the services (default: the current one)")
    parser.add_argument("--env-file", default=DEFAULT_ENV_FILE, metavar="FILE",
                        help="EnvironmentFile of the server units (REDIS_URL, CONTROL_TOKEN, "
                        f"PERIOD, ...; default {DEFAULT_ENV_FILE}); with --server it is "
                        "made with a new CONTROL_TOKEN when it does not exist")
    parser.add_argument("--server", action="store_true",
                        help="write embedded-valkey.service, kv-updater.service, "
                        "api-server.service and producer@.service instead of "
                        "matrix-client.service")
    parser.add_argument("--unit-dir", default="/etc/systemd/system", metavar="DIR",
                        help="where to write (default /etc/systemd/system)")
    parser.add_argument("--stdout", action="store_true", help="print the units, write nothing")
    parser.add_argument("--write-examples", metavar="DIR",
                        help="write every unit with the documented default paths into DIR "
                        "(how the repository's systemd/ files are made), then exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.write_examples:
        target = Path(args.write_examples)
        target.mkdir(parents=True, exist_ok=True)
        for name, text in example_units().items():
            (target / name).write_text(text)
            print(target / name)
        return 0
    units = render_units(python=args.python, workdir=str(Path(args.workdir).resolve()),
                         config=str(Path(args.config).expanduser().resolve()), user=args.user,
                         env_file=args.env_file, backend=args.backend, server=args.server)
    if args.stdout:
        for name, text in units.items():
            print(f"# {name}\n{text}")
        return 0
    unit_dir = Path(args.unit_dir)
    try:
        unit_dir.mkdir(parents=True, exist_ok=True)
        for name, text in units.items():
            (unit_dir / name).write_text(text)
            print(f"wrote {unit_dir / name}")
        if args.server:
            print(ensure_env_file(Path(args.env_file)))
    except PermissionError as exc:
        print(f"cannot write {exc.filename}: permission denied (run with sudo, or use --stdout)",
              file=sys.stderr)
        return 1
    first = next(iter(units))
    print("next: sudo systemctl daemon-reload && sudo systemctl enable --now "
          + (SERVER_ENABLE if args.server else first))
    return 0


if __name__ == "__main__":
    sys.exit(main())
