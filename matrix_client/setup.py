"""``sudo .venv/bin/python -m matrix_client.setup``: set up the Pi once, after cloning.

Creates ``/etc/glanceboard`` with a client config and a page rotation that work as
written, the state cache directory owned by the user the driver drops to, and the
systemd unit(s) for this venv; with ``--server`` also the server parts' units, their
user and environment file (the embedded Valkey's URL with its password, a fresh
control token). Idempotent: a file that exists is
kept as it is (your edits stay), a unit is rewritten only when it changed. It prints
what to edit next. docs/raspberry-pi.md runs exactly this.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from matrix_client import install_service

PACKAGE = Path(__file__).resolve().parent
DRIVER_USER = "daemon"  # rgbmatrix's drop_priv_user default
VALKEY_DATA = Path("/var/lib/glanceboard/valkey")  # embedded-valkey.service's --data


def unreadable_parent(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that others may not enter, if any.

    The panel unit starts as root without CAP_DAC_OVERRIDE and then runs as daemon:
    a venv or checkout under a 0700 home is closed to both.
    """
    for folder in [*reversed(path.parents)]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return folder
        if not mode & stat.S_IXOTH:
            return folder
    return None


def keep_or_write(path: Path, text: str, mode: int = 0o644) -> str:
    if path.exists():
        return f"kept     {path} (exists; not overwritten)"
    path.write_text(text)
    path.chmod(mode)
    return f"created  {path}"


def client_config(api_url: str) -> str:
    """The example config, pointing at this API and the rotation beside it."""
    text = (PACKAGE / "example-config.toml").read_text()
    text = re.sub(r'(?m)^url = ".*"$', f'url = "{api_url}"', text, count=1)
    return re.sub(r'(?m)^file = ""$', 'file = "rotation.yaml"', text, count=1)


def embedded_redis_url(port: int, data_dir: Path, user: str) -> str:
    """The embedded Valkey's URL with its password, made now if it has none yet.

    The Valkey keeps its password in its data directory and every server part finds it
    there; written out here, REDIS_URL names the port and password explicitly.
    """
    from server.embedded_auth import embedded_url, ensure_password, password_path

    password = ensure_password(data_dir)
    for path in (data_dir.parent, data_dir, password_path(data_dir)):
        shutil.chown(path, user, grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name)
    return embedded_url(port, password=password)


def environment(api_port: int, redis_url: str) -> str:
    return (
        "# glanceboard server parts (EnvironmentFile of their units).\n"
        "# The embedded Valkey, its password included (it keeps it in valkey/password).\n"
        f"REDIS_URL={redis_url}\n"
        f"API_PORT={api_port}\n"
        "# Bearer token the dashboard's buttons (PUT /webcontrol/...) must carry.\n"
        f"CONTROL_TOKEN={secrets.token_urlsafe(24)}\n"
    )


def ensure_system_user(name: str) -> str:
    try:
        pwd.getpwnam(name)
        return f"kept     user {name}"
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", name], check=True)
        return f"created  user {name}"


def ensure_cache_dir(path: Path, user: str) -> str:
    entry = pwd.getpwnam(user)
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    path.chmod(0o755)
    return f"{'kept    ' if existed else 'created '} {path} (owner {user})"


def write_unit(unit_dir: Path, name: str, text: str) -> str:
    path = unit_dir / name
    if path.exists() and path.read_text() == text:
        return f"kept     {path} (unchanged)"
    path.write_text(text)
    return f"wrote    {path}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m matrix_client.setup",
        description="Set up glanceboard on this Pi: /etc/glanceboard (config and rotation), "
        "the state cache directory, and the systemd unit(s) running this Python. Run it "
        "with sudo and the venv's Python; running it again keeps your edited files.")
    parser.add_argument("--api", default="http://127.0.0.1:8000", metavar="URL",
                        help="the API server the panel reads, written into a new config "
                        "(default %(default)s, the API server on this Pi)")
    parser.add_argument("--server", action="store_true",
                        help="also run the server parts here: embedded Valkey, KV updater, "
                        "API server and producer units, their user and environment file")
    parser.add_argument("--api-port", type=int, default=8000, metavar="PORT",
                        help="with --server: the API server's port (default %(default)s)")
    parser.add_argument("--valkey-port", type=int, default=6379, metavar="PORT",
                        help="with --server: the embedded Valkey's port (default %(default)s)")
    parser.add_argument("--server-user", default=install_service.DEFAULT_USER,
                        help="with --server: the user the server units run as, created if "
                        "missing (default %(default)s)")
    parser.add_argument("--etc", default="/etc/glanceboard", type=Path, metavar="DIR",
                        help="where the config, rotation and environment file go "
                        "(default %(default)s)")
    parser.add_argument("--unit-dir", default="/etc/systemd/system", type=Path, metavar="DIR",
                        help="where the units go (default %(default)s)")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter the units run (default: this one)")
    parser.add_argument("--workdir", default=str(Path.cwd()),
                        help="working directory of the units (default: the current one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    python, workdir = Path(args.python), Path(args.workdir).resolve()
    for what, path in (("the venv's Python", python), ("the working directory", workdir)):
        closed = unreadable_parent(path)
        if closed:
            print(f"setup: {what} {path} is inside {closed}, which other users may not "
                  "enter; the service (root without CAP_DAC_OVERRIDE, then daemon) could not "
                  "start it. Put the checkout and venv in /opt/glanceboard "
                  "(docs/raspberry-pi.md).", file=sys.stderr)
            return 2
    if os.geteuid() != 0:
        print("setup: run it as root: sudo .venv/bin/python -m matrix_client.setup",
              file=sys.stderr)
        return 1
    etc = args.etc
    etc.mkdir(parents=True, exist_ok=True)
    etc.chmod(0o755)
    config = etc / "client.toml"
    env_file = etc / "glanceboard.env"
    done = [
        keep_or_write(config, client_config(args.api)),
        keep_or_write(etc / "rotation.yaml", (PACKAGE / "example-rotation.yaml").read_text()),
        ensure_cache_dir(Path(install_service.CACHE_DIR), DRIVER_USER),
    ]
    fields = {"python": str(python), "workdir": str(workdir), "config": str(config),
              "user": args.server_user, "env_file": str(env_file)}
    units = install_service.render_units(**fields)
    enable = ["matrix-client.service"]
    if args.server:
        done.append(ensure_system_user(args.server_user))
        if not env_file.exists():
            url = embedded_redis_url(args.valkey_port, VALKEY_DATA, args.server_user)
            done.append(keep_or_write(env_file, environment(args.api_port, url), 0o640))
        else:
            done.append(f"kept     {env_file} (exists; not overwritten)")
        shutil.chown(env_file, group=grp.getgrgid(pwd.getpwnam(args.server_user).pw_gid).gr_name)
        units.update(install_service.render_units(**fields, server=True,
                                                  valkey_port=args.valkey_port))
        enable = ["embedded-valkey.service", "kv-updater.service", "api-server.service",
                  "producer@demo.service", *enable]
    args.unit_dir.mkdir(parents=True, exist_ok=True)
    done += [write_unit(args.unit_dir, name, text) for name, text in units.items()]
    if shutil.which("systemctl") and Path("/run/systemd/system").is_dir():
        subprocess.run(["systemctl", "daemon-reload"], check=False)
        done.append("ran      systemctl daemon-reload")
    print("\n".join(done))
    print(f"""
Next:
  1. edit {config}:
       [api] url        the API server ({args.api} now)
       [panel] rows, cols, chain_length, parallel, hardware_mapping   your panel
       [display] timezone   e.g. "Europe/Berlin" (empty = the system's)
  2. sudo systemctl enable --now {' '.join(enable)}
  3. {python} -m matrix_client doctor""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
