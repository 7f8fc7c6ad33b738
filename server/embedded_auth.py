"""Where the embedded Valkey keeps its password, and the URL that carries it.

The embedded Valkey requires a password unless told otherwise. It is made at
the first start (``secrets``) and kept in the data directory with mode 0600,
where every part on the same machine, run by the same user, finds it when
``REDIS_URL`` is unset. It is printed nowhere; ``python -m server.valkey
--show-url`` shows the whole URL on request.

Standard library only: every server part imports this to find its default URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import quote

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 6379
PASSWORD_FILE = "password"


def default_data_dir() -> Path:
    """Per-user data directory (XDG), overridable with GLANCEBOARD_DATA."""
    if env := os.environ.get("GLANCEBOARD_DATA"):
        return Path(env) / "valkey"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "glanceboard" / "valkey"


def password_path(data_dir: Path) -> Path:
    return data_dir / PASSWORD_FILE


def read_password(data_dir: Path) -> str | None:
    """The kept password, or None when there is none (or it cannot be read)."""
    try:
        return password_path(data_dir).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def ensure_password(data_dir: Path) -> str:
    """The kept password; made and written (mode 0600) when there is none yet."""
    if (known := read_password(data_dir)) is not None:
        return known
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    password = secrets.token_urlsafe(32)
    path = password_path(data_dir)
    # Created with 0600 from the start: never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(password + "\n")
    os.chmod(path, 0o600)  # in case an old file had wider permissions
    return password


def forget_password(data_dir: Path) -> bool:
    """Remove the kept password (the server runs without one); whether there was one."""
    try:
        password_path(data_dir).unlink()
    except FileNotFoundError:
        return False
    return True


def embedded_url(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST,
                 password: str | None = None) -> str:
    """``redis://[:password@]host:port/0``."""
    auth = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{auth}{host}:{port}/0"


def default_url() -> str:
    """The embedded default at 127.0.0.1:6379, with the password kept in the default
    data directory if there is one."""
    return embedded_url(password=read_password(default_data_dir()))
