"""Where Redis is and what the channels and keys are called (PROTOCOL sections 2 and 7).

Every server part's settings model includes :class:`RedisFields`, read with the
one precedence rule of :mod:`server.layers`: defaults < file < environment <
live settings < flags. :meth:`RedisFields.redis` resolves them into the
:class:`RedisSettings` the Redis link uses.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import BeforeValidator

from server import embedded_auth
from server.layers import (
    LayeredSettings,
    Loaded,
    Row,
    SettingsError,
    add_flags,
    load,
    rows,
    setting,
    show,
)

T = TypeVar("T")

EMBEDDED_DEFAULT_URL = embedded_auth.embedded_url()

# Plain names, and the ones used instead on a Redis/Valkey Cluster, where every
# key and channel must carry one hash tag so that they live in one slot.
PLAIN_NAMES = {"data_channel": "update", "control_channel": "control", "state_key": "state"}
CLUSTER_TAG = "glanceboard"
CLUSTER_NAMES = {field: "{" + CLUSTER_TAG + "}" + name for field, name in PLAIN_NAMES.items()}


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


def _from_text(check: Callable[[str], T]) -> Callable[[Any], T]:
    """A flag type as a model check: the value as text through ``check``, its error a
    ValueError (what pydantic reports) with the same words."""
    def run(value: Any) -> T:
        try:
            return check(value if isinstance(value, str) else str(value))
        except argparse.ArgumentTypeError as exc:
            raise ValueError(str(exc)) from None
    return run


# Field types of the settings models: the flag types' checks and messages.
Port = Annotated[int, BeforeValidator(_from_text(port_number))]
PositiveInt = Annotated[int, BeforeValidator(_from_text(positive_int))]
PositiveFloat = Annotated[float, BeforeValidator(_from_text(positive_float))]
LogLevel = Annotated[str, BeforeValidator(_from_text(log_level))]


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


class RedisFields(LayeredSettings):
    """The Redis settings every server part shares; :meth:`redis` resolves them."""

    redis_url: str | None = setting(
        None, env="REDIS_URL", flag="--redis-url", secret=False,
        shown_default="the embedded Valkey",
        help="redis://[user:password@]host:port/db or rediss:// for TLS; unset means the "
        f"embedded default at {EMBEDDED_DEFAULT_URL} with the password it keeps in its data "
        "directory, $GLANCEBOARD_DATA/valkey or ~/.local/share/glanceboard/valkey")
    redis_password: str | None = setting(
        None, env="REDIS_PASSWORD", secret=True,
        help="password added to a Redis URL that has none (e.g. from a Kubernetes Secret)")
    data_channel: str = setting("update", env="DATA_CHANNEL", flag="--data-channel",
                                help="channel producers publish on")
    control_channel: str = setting("control", env="CONTROL_CHANNEL", flag="--control-channel",
                                   help="channel for web control commands")
    state_key: str = setting("state", env="STATE_KEY", flag="--state-key",
                             help="hash holding the latest envelope per type")
    cluster: bool = setting(
        False, env="REDIS_CLUSTER", flag="--cluster",
        help="Redis/Valkey Cluster: sharded pub/sub (SPUBLISH/SSUBSCRIBE); the key and "
        "channels must share one hash tag, and the default names become {glanceboard}update, "
        "{glanceboard}control, {glanceboard}state")

    def redis(self) -> RedisSettings:
        """The resolved settings; on a cluster the plain default names become tagged ones
        and the names are checked (SettingsError says what is wrong)."""
        names = {name: getattr(self, name) for name in PLAIN_NAMES}
        if self.cluster:
            names = {name: CLUSTER_NAMES[name] if value == PLAIN_NAMES[name] else value
                     for name, value in names.items()}
        url = self.redis_url or embedded_auth.default_url()
        if self.redis_password and urlsplit(url).password is None:
            url = with_password(url, self.redis_password)
        settings = RedisSettings(url=url, cluster=self.cluster, **names)
        if settings.cluster:
            check_cluster_names(settings)
        return settings


REDIS_FLAGS = "Redis / Valkey"


def add_redis_arguments(parser: argparse.ArgumentParser) -> None:
    """The Redis flags every server part shares."""
    add_flags(parser.add_argument_group(REDIS_FLAGS), RedisFields)


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


def show_part(loaded: Loaded[Any], title: str, extra: list[Row] | None = None,
              **computed: Any) -> str:
    """``--show-settings`` of a part with the Redis fields: the URL as it will be used (the
    embedded default resolved, password masked), ``computed`` values instead of the raw ones."""
    url = loaded.settings.redis().url

    def value(name: str, raw: Any) -> Any:
        return computed.get(name, url if name == "redis_url" else raw)
    return show(rows(loaded, value) + (extra or []), title)


def redis_settings_from_args(args: argparse.Namespace,
                             environ: dict[str, str] | None = None) -> RedisSettings:
    """Settings from parsed flags and the environment (SettingsError says what is wrong)."""
    return load(RedisFields, args=args, environ=os.environ if environ is None else environ
                ).settings.redis()
