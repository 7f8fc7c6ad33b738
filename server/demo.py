"""The whole system on one machine, with no network: ``python -m server.demo``.

Starts the embedded Valkey, then the KV updater, the API server (which also
serves the web dashboard) and the demo producer as child processes pointed
at it; prints the dashboard URL, the API URL and the web control token.
A child that dies is reported, never silently restarted. Ctrl-C or SIGTERM
stops the children (producer first), then Valkey, which saves its data.

More parts join the demo by adding a :class:`ChildCommand` to
:func:`child_commands`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Any, ClassVar

from pydantic import BeforeValidator

from glanceboard.zones import zone_named
from server import subprocesses
from server.layers import (
    LayeredSettings,
    SettingsError,
    add_flags,
    add_show_flag,
    load,
    rows,
    setting,
    show,
)
from server.producers.place import DEFAULT_LATITUDE, DEFAULT_LONGITUDE, DEFAULT_TIMEZONE
from server.redis_link import redact
from server.settings import Port, PositiveFloat
from server.valkey import EmbeddedValkey, _port_is_free, default_data_dir, free_port

PY = sys.executable
STOP_TIMEOUT = 10.0


@dataclass
class DemoContext:
    """What the child commands need to know."""

    redis_url: str
    api_host: str
    api_port: int
    token: str
    seed: int
    period: float
    speed: float
    # The demo's place as given by flags (place, latitude, longitude, timezone -> value):
    # those are passed on as flags and so win over the household settings; the others
    # the producer takes from the settings page, its environment (DEMO_*) or its defaults.
    place: dict[str, Any] = field(default_factory=dict)
    # real producers to run (name -> type); the demo producer skips their types
    real: dict[str, str] = field(default_factory=dict)
    panel_port: int = 8888  # the emulated LED panel's page

    @property
    def api_url(self) -> str:
        return f"http://{self.api_host}:{self.api_port}"


@dataclass
class ChildCommand:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    # Started once the API server answers, so a client's first try does not fail.
    after_api: bool = False


PLACE_NAMES = ("place", "latitude", "longitude", "timezone")


def place_flags(place: dict[str, Any]) -> list[str]:
    """``--latitude 52.52 ...`` for the parts of the place given as flags."""
    out: list[str] = []
    for name in PLACE_NAMES:
        if name in place:
            value = place[name]
            out += [f"--{name}", repr(value) if isinstance(value, float) else str(value)]
    return out


def child_commands(ctx: DemoContext) -> list[ChildCommand]:
    """The demo's parts, in start order (they stop in reverse order).

    To add a part (e.g. the matrix client with its emulator), append one line:
    ``ChildCommand("matrix", [PY, "-m", "matrix_client", "--api", ctx.api_url,
    "--backend", "emulator"])``.
    """
    return [
        ChildCommand("kv-updater", [PY, "-m", "server.kv_updater"]),
        ChildCommand("api", [PY, "-m", "server.api", "--host", ctx.api_host,
                             "--port", str(ctx.api_port)]),
        ChildCommand("producer", [PY, "-m", "server.producers", "demo",
                                  "--seed", str(ctx.seed), "--period", f"{ctx.period:g}",
                                  "--speed", f"{ctx.speed:g}",
                                  *place_flags(ctx.place),
                                  "--skip", ",".join(ctx.real.values())]),
        *(ChildCommand(name, [PY, "-m", "server.producers", name]) for name in ctx.real),
        # The LED panel in a browser page; it prints "emulator at <URL>".
        ChildCommand("matrix", [PY, "-m", "matrix_client", "--api", ctx.api_url,
                                "--backend", "emulator", "--adapter", "browser",
                                "--emulator-port", str(ctx.panel_port)], after_api=True),
    ]


class Child:
    """One running part; its output is copied to ours, each line prefixed with its name."""

    def __init__(self, command: ChildCommand, env: dict[str, str], out: IO[str]) -> None:
        self.command = command
        self.reported = False
        self.process = subprocess.Popen(
            subprocesses.dies_with_parent(command.argv), env={**env, **command.env},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches only us; we stop the parts in order
        )
        self._copier = threading.Thread(target=self._copy, args=(out,), daemon=True)
        self._copier.start()

    @property
    def name(self) -> str:
        return self.command.name

    def _copy(self, out: IO[str]) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with contextlib.suppress(ValueError, OSError):
                print(f"[{self.name}] {line}", file=out, flush=True)

    def stop(self) -> int | None:
        if not subprocesses.terminate(self.process, STOP_TIMEOUT):
            print(f"demo: {self.name} ignored SIGTERM for {STOP_TIMEOUT:g}s; it was killed",
                  flush=True)
        if self._copier.is_alive():
            self._copier.join(2.0)
        return self.process.returncode


def _pick_port(wanted: int | None, preferred: int, host: str = "127.0.0.1") -> int:
    if wanted is not None:
        return wanted or free_port(host)
    return preferred if _port_is_free(host, preferred) else free_port(host)


def _wait_live(url: str, children: list[Child], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(c.process.poll() is not None for c in children if c.name == "api"):
            return False
        try:
            with urllib.request.urlopen(url, timeout=1.0) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    return False


def _real_producers(sources: str) -> dict[str, str]:
    from server.producers.live import network_available, runnable

    if sources == "demo" or (sources == "auto" and not network_available()):
        return {}
    real = runnable(os.environ)
    print(f"demo: real producers for {', '.join(real.values())}", flush=True)
    return real


def _optional_path(value: Any) -> Path | None:
    return Path(value).expanduser() if value not in (None, "") else None


def _sources(value: Any) -> str:
    if value not in SOURCES:
        raise ValueError(f"{value!r} is not one of {', '.join(SOURCES)}")
    return str(value)


SOURCES = ("demo", "real", "auto")


def _degrees(limit: float) -> BeforeValidator:
    """Latitude or longitude: a number within +-``limit``."""
    def check(value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"not a number: {value!r}") from None
        if not -limit <= number <= limit:  # NaN fails here too
            raise ValueError(f"must be -{limit:g}..{limit:g} degrees, got {value}")
        return number
    return BeforeValidator(check)


def _zone(value: Any) -> str:
    if zone_named(str(value)) is None:
        raise ValueError(f"unknown time zone {value!r} (an IANA name such as "
                         "America/New_York)")
    return str(value)


class DemoSettings(LayeredSettings):
    """Every setting of ``python -m server.demo``."""

    part: ClassVar[str] = "demo"

    data: Annotated[Path | None, BeforeValidator(_optional_path)] = setting(
        None, flag="--data", shown_default=f"{default_data_dir()}, or $GLANCEBOARD_DATA/valkey",
        help="Valkey data directory; the state survives restarts there")
    redis_port: Port | None = setting(
        None, flag="--redis-port", shown_default="6379 if free, else a free one",
        help="port of the embedded Valkey on 127.0.0.1 (0 = any free port)")
    host: str = setting("127.0.0.1", flag="--host",
                        help="address the API server listens on (0.0.0.0 to let other "
                        "machines, e.g. a Pi, connect)")
    port: Port | None = setting(None, flag="--port", shown_default="8000 if free, else a free one",
                                help="API server port (0 = any free port)")
    token: str | None = setting(None, env="CONTROL_TOKEN", flag="--token", secret=True,
                                shown_default="a new random one, printed at start",
                                help="web control bearer token")
    seed: Annotated[int, BeforeValidator(int)] = setting(1, flag="--seed",
                                                         help="demo data seed")
    period: PositiveFloat = setting(10.0, flag="--period",
                                    help="seconds between demo publishes")
    speed: PositiveFloat = setting(1.0, flag="--speed",
                                   help="demo clock speed, simulated seconds per second "
                                   "(1: real time, the wind changes each minute and a game "
                                   "in play every few; 60: a ball game in three minutes)")
    # The demo's place: its sun, moon, seasons and the zone its times are written in.
    place: str = setting("New York", flag="--place", env="DEMO_PLACE",
                         help="name of the demo's place")
    latitude: Annotated[float, _degrees(90)] = setting(
        DEFAULT_LATITUDE, flag="--latitude", env="DEMO_LATITUDE",
        help="the demo place's latitude, degrees north")
    longitude: Annotated[float, _degrees(180)] = setting(
        DEFAULT_LONGITUDE, flag="--longitude", env="DEMO_LONGITUDE",
        help="the demo place's longitude, degrees east")
    timezone: Annotated[str, BeforeValidator(_zone)] = setting(
        DEFAULT_TIMEZONE, flag="--timezone", env="DEMO_TIMEZONE",
        help="the demo place's IANA time zone (displays show times in their own zone)")
    sources: Annotated[str, BeforeValidator(_sources)] = setting(
        "demo", flag="--sources",
        help="demo: offline demo data only; real: also the real producers (Open-Meteo, MLB, "
        "NFL...; settings from their env vars, see docs/producers.md) for the types they "
        "cover; auto: real when the internet answers, else demo")
    startup_timeout: PositiveFloat = setting(30.0, flag="--startup-timeout",
                                             help="seconds to wait for the API server to "
                                             "answer /live")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m server.demo",
        description="Run the whole system locally with demo data and no network: the embedded "
        "Valkey, the KV updater, the API server with the web dashboard, and the demo "
        "producer. Prints the URLs and the web control token; Ctrl-C stops everything.",
    )
    add_flags(parser, DemoSettings)
    add_show_flag(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parsed = build_parser().parse_args(argv)
    try:
        loaded = load(DemoSettings, args=parsed, environ=os.environ)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args = loaded.settings
    if parsed.show_settings:
        print(show(rows(loaded), "python -m server.demo"), end="")
        return 0
    stopping = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)

    valkey = EmbeddedValkey(args.data, _pick_port(args.redis_port, 6379))
    try:
        valkey.start()
    except RuntimeError as exc:
        print(f"demo: cannot start Valkey: {exc}", file=sys.stderr)
        return 1
    print(f"demo: Valkey at {redact(valkey.url)}, data in {valkey.data_dir}", flush=True)

    ctx = DemoContext(
        redis_url=valkey.url,
        api_host=args.host,
        api_port=_pick_port(args.port, 8000, args.host if args.host != "0.0.0.0" else ""),
        token=args.token or secrets.token_urlsafe(24),
        seed=args.seed, period=args.period, speed=args.speed,
        place={name: getattr(args, name) for name in PLACE_NAMES
               if loaded.origin(name).kind == "flag"},
        real=_real_producers(args.sources),
        panel_port=_pick_port(None, 8888),
    )
    # The panel client gets the token too: its reports to GET /displays need it.
    env = {**os.environ, "REDIS_URL": ctx.redis_url, "CONTROL_TOKEN": ctx.token,
           "GLANCEBOARD_API_TOKEN": ctx.token, "PYTHONUNBUFFERED": "1"}
    children: list[Child] = []
    code = 0
    try:
        commands = child_commands(ctx)
        for command in commands:
            if not command.after_api:
                children.append(Child(command, env, sys.stdout))
        shown_host = "127.0.0.1" if ctx.api_host in ("0.0.0.0", "") else ctx.api_host
        base = f"http://{shown_host}:{ctx.api_port}"
        api_live = _wait_live(base + "/live", children, args.startup_timeout)
        # Started even when the API is late: clients retry on their own.
        children += [Child(command, env, sys.stdout) for command in commands
                     if command.after_api]
        if api_live:
            print("\n"
                  f"  Dashboard:      {base}/\n"
                  f"  LED panel:      http://localhost:{ctx.panel_port}/   (emulated)\n"
                  f"  API:            {base}/state   (SSE: {base}/events)\n"
                  f"  Control token:  {ctx.token}\n"
                  f"  Redis:          {redact(ctx.redis_url)}   (the whole URL: python -m "
                  f"server.valkey --data {valkey.data_dir} --port {valkey.port} --show-url)\n"
                  "  Ctrl-C stops everything.\n", flush=True)
        else:
            print(f"demo: the API server did not answer {base}/live within "
                  f"{args.startup_timeout:g}s; the other parts keep running "
                  f"(control token {ctx.token})", flush=True)
        while not stopping.is_set():
            for child in children:
                if child.process.poll() is not None and not child.reported:
                    child.reported = True
                    code = 1
                    print(f"demo: {child.name} exited with code {child.process.returncode}; "
                          "it is not restarted (its output is above). Ctrl-C stops the rest.",
                          flush=True)
            if valkey.process is not None and valkey.process.poll() is not None:
                print(f"demo: Valkey exited (code {valkey.process.returncode}); see "
                      f"{valkey.log_path}. Stopping.", flush=True)
                code = 1
                break
            stopping.wait(0.5)
    finally:
        print("demo: stopping...", flush=True)
        for child in reversed(children):
            child.stop()
        valkey.stop()
        print("demo: stopped", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
