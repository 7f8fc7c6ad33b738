"""Settings that may be secrets: read from an env var, or from a file named by ``<ENV>_FILE``.

Kubernetes mounts a Secret as files; pointing ``GITHUB_TOKEN_FILE`` at the
mounted file keeps the token out of the environment and out of ``ps``.
Order: flag, live setting, env ``NAME``, the file named by env ``NAME_FILE``,
config key ``name``, the file named by config key ``name_file``, the default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from server.producers.base import ConfigError, Producer


def read_secret_file(path: str | Path, what: str) -> str:
    """The file's text without the trailing newline editors and ``kubectl`` add."""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{what}: cannot read {path}: {exc.strerror}") from None


def setting_or_file(producer: Producer, name: str, default: Any = None, *, env: str,
                    required: bool = False) -> Any:
    """Like :meth:`Producer.setting`, plus the ``<ENV>_FILE`` / ``<name>_file`` variants."""
    value, origin = producer.setting_origin(name, None, env=env)
    if origin.kind == "file":  # the env file variant comes before the config file
        value = None
    if value is None and (path := os.environ.get(f"{env}_FILE")):
        value = read_secret_file(path, f"{producer.name}: env {env}_FILE") or None
    if value is None:
        value = producer.config.get(name)
    if value is None and (path := producer.config.get(f"{name}_file")):
        value = read_secret_file(path, f"{producer.name}: config '{name}_file'") or None
    if value is None:
        value = default
    if value is None and required:
        flag = "--" + name.replace("_", "-")
        raise ConfigError(f"{producer.name}: setting '{name}' is required ({flag}, env {env} "
                          f"or {env}_FILE, or '{name}:' in the config file)")
    return value
