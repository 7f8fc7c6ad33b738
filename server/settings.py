"""Where Redis is and what the channels and keys are called (PROTOCOL sections 2 and 7).

Every server part reads these the same way: a command-line flag wins over an
environment variable, which wins over the default.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from server import embedded_auth

T = TypeVar("T")

EMBEDDED_DEFAULT_URL = embedded_auth.embedded_url()

# Plain names, and the ones used instead on a Redis/Valkey Cluster, where every
# key and channel must carry one hash tag so that they live in one slot.
PLAIN_NAMES = {"data_channel": "update", "control_channel": "control", "state_key": "state"}
CLUSTER_TAG = "glanceboard"
CLUSTER_NAMES = {field: "{" + CLUSTER_TAG + "}" + name for field, name in PLAIN_NAMES.items()}


class SettingsError(ValueError):
    """Settings that cannot work together; the message says which and why."""


# Flag types: argparse turns their ArgumentTypeError into "argument --flag: <message>".

def _convert(text: str, convert: Callable[[str], T], what: str) -> T:
    try:
        return convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None


def port_number(text: str) -> int:
    """A TCP port, 0-65535 (0: any free port)."""
    value = _convert(text, int, "a port number")
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, got {value}")
    return value


def positive_int(text: str) -> int:
    value = _convert(text, int, "an integer")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return value


def positive_float(text: str) -> float:
    value = _convert(text, float, "a number")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


LOG_LEVELS = ("debug", "info", "warning", "error")


def log_level(text: str) -> str:
    """One of LOG_LEVELS, in any case; returned in lower case."""
    if text.lower() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(LOG_LEVELS)}")
    return text.lower()


def env_setting(name: str, convert: Callable[[str], T], default: T) -> T:
    """Environment variable ``name`` through ``convert`` (the flag's type), or ``default``
    when it is unset or empty. A bad value raises SettingsError naming the variable."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return convert(raw)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        raise SettingsError(f"environment variable {name}={raw!r}: {exc}") from None


def hash_tag(name: str) -> str | None:
    """The Redis Cluster hash tag of ``name``: the text in its first non-empty ``{...}``."""
    start = name.find("{")
    if start < 0:
        return None
    end = name.find("}", start + 1)
    if end <= start + 1:
        return None
    return name[start + 1:end]


def check_cluster_names(settings: RedisSettings) -> None:
    """On a cluster, the state key and both channels must share one hash tag."""
    names = {"--data-channel": settings.data_channel,
             "--control-channel": settings.control_channel,
             "--state-key": settings.state_key}
    tags = {flag: hash_tag(name) for flag, name in names.items()}
    untagged = [f"{flag} {names[flag]!r}" for flag, tag in tags.items() if tag is None]
    if untagged:
        raise SettingsError(
            "on a cluster every key and channel needs a hash tag so that they share one "
            "slot; without one: " + ", ".join(untagged)
            + " (e.g. '{glanceboard}update'; leave the names unset for those defaults)")
    if len(set(tags.values())) > 1:
        listed = ", ".join(f"{flag} {names[flag]!r} -> {{{tag}}}" for flag, tag in tags.items())
        raise SettingsError(f"on a cluster the key and channels must share ONE hash tag; "
                            f"got {listed}")


@dataclass(frozen=True)
class RedisSettings:
    url: str = EMBEDDED_DEFAULT_URL
    data_channel: str = "update"
    control_channel: str = "control"
    state_key: str = "state"
    cluster: bool = False


def add_redis_arguments(parser: argparse.ArgumentParser) -> None:
    """The Redis flags every server part shares."""
    group = parser.add_argument_group("Redis / Valkey")
    group.add_argument(
        "--redis-url",
        default=None,
        help="redis://[user:password@]host:port/db or rediss:// for TLS (env REDIS_URL; "
        f"unset means the embedded default at {EMBEDDED_DEFAULT_URL} with the password it "
        "keeps in its data directory, $GLANCEBOARD_DATA/valkey or "
        "~/.local/share/glanceboard/valkey). Env REDIS_PASSWORD adds a password to a URL "
        "that has none",
    )
    group.add_argument(
        "--data-channel",
        default=os.environ.get("DATA_CHANNEL", "update"),
        help="channel producers publish on (env DATA_CHANNEL, default %(default)s)",
    )
    group.add_argument(
        "--control-channel",
        default=os.environ.get("CONTROL_CHANNEL", "control"),
        help="channel for web control commands (env CONTROL_CHANNEL, default %(default)s)",
    )
    group.add_argument(
        "--state-key",
        default=os.environ.get("STATE_KEY", "state"),
        help="hash holding the latest envelope per type (env STATE_KEY, default %(default)s)",
    )
    group.add_argument(
        "--cluster",
        action="store_true",
        default=os.environ.get("REDIS_CLUSTER", "").lower() in ("1", "true", "yes"),
        help="Redis/Valkey Cluster: sharded pub/sub (SPUBLISH/SSUBSCRIBE); the key and "
        "channels must share one hash tag, and the default names become "
        "{glanceboard}update, {glanceboard}control, {glanceboard}state (env REDIS_CLUSTER=1)",
    )


def check_url(url: str) -> None:
    """A Redis URL the client library can use; SettingsError (password hidden) otherwise."""
    from redis.connection import parse_url

    from server.redis_link import redact  # here: redis_link imports this module

    try:
        parse_url(url)
    except ValueError as exc:
        raise SettingsError(f"--redis-url / REDIS_URL {redact(url)!r}: {exc}") from None


def with_password(url: str, password: str, user: str | None = None) -> str:
    """``url`` with ``password`` (percent-encoded) in it, and ``user`` (None: its own)."""
    parts = urlsplit(url)
    user = parts.username or "" if user is None else quote(user, safe="")
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def resolve_redis_url(flag: str | None) -> str:
    """--redis-url, else env REDIS_URL, else the embedded default with its kept password;
    env REDIS_PASSWORD fills in the password of a URL that has none (e.g. from a Secret)."""
    url = flag or os.environ.get("REDIS_URL") or embedded_auth.default_url()
    password = os.environ.get("REDIS_PASSWORD")
    if password and urlsplit(url).password is None:
        url = with_password(url, password)
    return url


def redis_settings_from_args(args: argparse.Namespace) -> RedisSettings:
    """Settings from parsed flags; on a cluster, the plain default names become tagged
    ones and the names are checked (SettingsError says what is wrong)."""
    names = {field: getattr(args, field) for field in PLAIN_NAMES}
    if args.cluster:
        names = {field: CLUSTER_NAMES[field] if value == PLAIN_NAMES[field] else value
                 for field, value in names.items()}
    settings = RedisSettings(url=resolve_redis_url(args.redis_url), cluster=args.cluster,
                             **names)
    if settings.cluster:
        check_cluster_names(settings)
    return settings
