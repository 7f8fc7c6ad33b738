"""``python -m matrix_client``: the glanceboard display for an RGB LED panel.

Settings come from a TOML file (``--config`` or ``$GLANCEBOARD_CONFIG``),
then ``GLANCEBOARD_<SECTION>_<KEY>`` environment variables, then the flags
below; docs/settings.md lists every key, ``--show-settings`` where each value
comes from.
"""

from __future__ import annotations

import argparse
import logging
import queue
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from matrix_client.config import (
    BACKENDS,
    EMULATOR_ADAPTERS,
    ClientConfig,
    ConfigError,
    load_config,
    show_settings,
)
from matrix_client.rotation import RotationEntry, RotationError, load_rotation

PROG = "glanceboard-matrix"
log = logging.getLogger(PROG)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Show glanceboard's live data on an RGB LED panel (or an emulator). It "
        "reads the whole state from the API server, then follows its event stream; "
        "it never talks to Redis.",
        epilog="Every setting can also be given in the config file or as an environment "
        "variable GLANCEBOARD_<SECTION>_<KEY> (e.g. GLANCEBOARD_API_TOKEN for a private API). "
        "Precedence: default < file < environment < live settings < flag "
        "(docs/settings.md); --show-settings prints where each value comes from. "
        "On a Pi: python -m matrix_client.setup --help sets it up as a service, "
        "python -m matrix_client doctor checks the setup.",
    )
    parser.add_argument("--config", metavar="FILE",
                        help="TOML config file (default: $GLANCEBOARD_CONFIG, else built-in "
                        "defaults)")
    parser.add_argument("--api", metavar="URL",
                        help="API server base URL, e.g. http://192.168.1.10:8000 "
                        "([api] url; default http://127.0.0.1:8000)")
    parser.add_argument("--display-id", metavar="ID",
                        help="this display's id: how it reports itself to the API server and "
                        "which targeted control commands it follows ([display] id; default "
                        "the host name)")
    parser.add_argument("--backend", choices=BACKENDS,
                        help="where to draw: panel (the LED panel via rgbmatrix), emulator "
                        "(RGBMatrixEmulator), headless (memory only) ([display] backend; "
                        "default panel)")
    parser.add_argument("--adapter", choices=EMULATOR_ADAPTERS,
                        help="emulator adapter: browser (a web page), pygame (a desktop "
                        "window), tkinter, turtle, terminal, sixel, raw ([display] "
                        "emulator_adapter; default browser). If it cannot start, the client "
                        "stops and says why, unless --fallback-adapter is given")
    parser.add_argument("--fallback-adapter", choices=EMULATOR_ADAPTERS, metavar="ADAPTER",
                        help="emulator adapter to run when --adapter cannot start, e.g. "
                        "browser ([display] emulator_fallback; default: none)")
    parser.add_argument("--emulator-port", type=int, metavar="PORT",
                        help="port of the emulator's browser page ([display] emulator_port; "
                        "default 8888)")
    parser.add_argument("--rotation", metavar="FILE",
                        help="YAML page rotation ([rotation] file; default: every page, 10 s); "
                        "a display profile on the server takes precedence")
    parser.add_argument("--cache", metavar="FILE",
                        help="state cache file, shown at start before the network is up; "
                        "it keeps the display profile too ([cache] path; default "
                        "~/.cache/glanceboard/state.json)")
    parser.add_argument("--read-timeout", type=float, metavar="SECONDS",
                        help="reconnect after this long without a byte from the server "
                        "([api] read_timeout; default 45)")
    parser.add_argument("--snapshot", metavar="DIR",
                        help="render every page of the rotation once to DIR/NN-page.png, "
                        "from the cache and the API server's current state, then exit")
    parser.add_argument("--log-level", default="INFO",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                        help="log verbosity (default INFO)")
    parser.add_argument("--show-settings", action="store_true",
                        help="print every setting with its value and where it comes from "
                        "(default, file, env, live, flag), secrets masked, then exit")
    return parser


# (section, key) -> the flag that sets it.
FLAGS: dict[tuple[str, str], str] = {
    ("api", "url"): "--api",
    ("api", "read_timeout"): "--read-timeout",
    ("display", "id"): "--display-id",
    ("display", "backend"): "--backend",
    ("display", "emulator_adapter"): "--adapter",
    ("display", "emulator_port"): "--emulator-port",
    ("display", "emulator_fallback"): "--fallback-adapter",
    ("rotation", "file"): "--rotation",
    ("cache", "path"): "--cache",
}


def _overrides(args: argparse.Namespace) -> dict[tuple[str, str], Any]:
    pairs = {key: getattr(args, flag[2:].replace("-", "_")) for key, flag in FLAGS.items()}
    return {key: value for key, value in pairs.items() if value is not None}


def _follower(config: ClientConfig, store, controls=None, on_change=None, on_profile=None):
    from matrix_client.sync import StreamFollower

    return StreamFollower(
        config.api_url, store, controls, token=config.api_token,
        read_timeout=config.get("api", "read_timeout"),
        connect_timeout=config.get("api", "connect_timeout"),
        legacy_types=config.get("api", "types"), on_change=on_change,
        display_id=config.display_id, on_profile=on_profile,
    )


def _reporter(config: ClientConfig, loop: Any, display: Any):
    from matrix_client.report import Reporter, loop_report

    return Reporter(config.api_url, config.display_id,
                    lambda: loop_report(loop, display.size, config.backend),
                    token=config.api_token, interval=config.get("display", "report_interval"),
                    timeout=config.get("api", "connect_timeout"))


def snapshot(config: ClientConfig, rotation: list[RotationEntry], out_dir: Path) -> int:
    """Render each rotation page once to a PNG file; 0 on success."""
    from matrix_client.cache import load_cache
    from matrix_client.clock import SystemClock, zone_from_name
    from matrix_client.display.headless import HeadlessDisplay
    from matrix_client.pages import get_page
    from matrix_client.pages.base import PageContext
    from matrix_client.store import StateStore

    store = StateStore()
    store.apply_many(load_cache(config.cache_path))
    online = _follower(config, store).load_once()
    state = store.snapshot().state
    now = SystemClock(zone_from_name(config.get("display", "timezone"))).now()
    display = HeadlessDisplay(config.width, config.height)
    out_dir.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for n, entry in enumerate(rotation, 1):
        if entry.page in seen:
            continue
        seen.add(entry.page)
        context = PageContext(state=state, now=now, width=config.width, height=config.height,
                              settings=config.page_settings(), started=now, stream_ok=online)
        display.show(get_page(entry.page).render(context).image)
        path = display.save_png(out_dir / f"{n:02d}-{entry.page}.png")
        print(path)
    return 0


def run(config: ClientConfig, rotation: list[RotationEntry]) -> int:
    from matrix_client.cache import CacheWriter, load_cache, load_cached_profile
    from matrix_client.clock import SystemClock, zone_from_name
    from matrix_client.display.errors import DisplayError
    from matrix_client.display.factory import open_display
    from matrix_client.loop import RenderLoop
    from matrix_client.loopstate.profile import ProfileInbox
    from matrix_client.sdnotify import SystemdNotifier
    from matrix_client.store import StateStore

    started = time.monotonic()
    try:
        display = open_display(config)
    except DisplayError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 3
    # After the display opened: the panel driver has dropped to its user by now, the one
    # that owns the cache.
    store = StateStore()
    cached = load_cache(config.cache_path)
    store.apply_many(cached)
    url = getattr(display, "url", None)
    if url:
        print(f"{PROG}: emulator at {url}", flush=True)
    clock = SystemClock(zone_from_name(config.get("display", "timezone")))
    controls: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=256)
    profiles = ProfileInbox(config.display_id)
    loop = RenderLoop(
        display, store, rotation, clock=clock, settings=config.page_settings(),
        controls=controls, brightness=config.get("panel", "brightness") or 100,
        brightness_schedule=config.get("brightness", "schedule"),
        stale_mark=config.get("display", "stale_mark"),
        stale_grace=config.get("display", "stale_grace"),
        max_fps=config.get("display", "max_fps"),
        cache=CacheWriter(store, config.cache_path, config.get("cache", "write_delay"),
                          clock.monotonic),
        notifier=SystemdNotifier(),
        profiles=profiles,
    )
    # The last profile from the server, until it answers: a reboot offline follows it.
    cached_profile = load_cached_profile(config.cache_path)
    if cached_profile is not None:
        profiles.offer_json(cached_profile, f"the cache {config.cache_path}")
    profiles.on_offer = loop.wake.set
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %d: stopping", signum)
        stop.set()
        loop.wake.set()

    # After the display opened: the emulator's browser server installs handlers of its own.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("%dx%d on %s, %d cached types, API %s", *display.size,
             getattr(display, "description", config.backend), len(cached), config.api_url)
    try:
        # The cached state first; the network code (requests) is imported only after it.
        loop.step()
        log.info("first frame after %.0f ms", (time.monotonic() - started) * 1000)
        follower = _follower(config, store, controls, on_change=loop.wake.set,
                             on_profile=profiles.offer_json)
        loop.link = follower
        follower.start()
        reporter = _reporter(config, loop, display)
        reporter.start()
        try:
            loop.run(stop)
        finally:
            reporter.stop()
            follower.stop()
    finally:
        loop.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["doctor"]:
        from matrix_client.doctor import main as doctor

        return doctor(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config, _overrides(args), flag_names=FLAGS)
        if args.show_settings:
            print(show_settings(config, PROG), end="")
            return 0
        rotation = load_rotation(config.rotation_file)
    except (ConfigError, RotationError) as exc:
        print(f"{PROG}: config error: {exc}", file=sys.stderr)
        return 2
    if args.snapshot:
        return snapshot(config, rotation, Path(args.snapshot))
    return run(config, rotation)


if __name__ == "__main__":
    sys.exit(main())
