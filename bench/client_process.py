"""The matrix client as a process: idle CPU, memory, and start to first frame.

    python bench/client_process.py [--idle-seconds 30] [--runs 3]

Starts an embedded Valkey and a real API server, then the client
(``python -m matrix_client --backend headless``) as users run it:

* idle: only the clock page, no data changes; CPU share of one core over
  ``--idle-seconds`` after a warm-up, and the resident set size;
* first frame: wall time from spawning the process to its log line "first
  frame with data on screen", starting from a state cache with the API
  unreachable, and starting with no cache from the API server;
* first frame on the emulator: the same from the cache, on each emulator
  adapter that can run here (raw, browser, and pygame in a window of an Xvfb
  started for it), with the ratio to headless measured in the same rounds.

Goals: idle <= 2 % of a core, RSS <= 60 MB, first frame <= 1 s on every backend.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client_frame import sample_state  # noqa: E402
from server.subprocesses import terminate  # noqa: E402
from server.valkey import EmbeddedValkey, free_port  # noqa: E402
from tests.servers import publish, start_api_server, wait_until  # noqa: E402
from tests.system_tools import find_program  # noqa: E402
from tests.xserver import Xvfb  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def rss_mb(pid: int) -> tuple[float, float]:
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return (int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024)


def spawn(api_url: str, workdir: Path, cache: Path, rotation: Path | None = None,
          backend: str = "headless", extra: tuple[str, ...] = (),
          env_extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "matrix_client", "--backend", backend, "--api", api_url,
            "--cache", str(cache), *extra]
    if rotation is not None:
        argv += ["--rotation", str(rotation)]
    env = {**os.environ, "HOME": str(workdir), "XDG_CONFIG_HOME": str(workdir / "cfg"),
           **(env_extra or {})}
    # As installed: bytecode cached after the first run (a checkout may say otherwise).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.Popen(argv, cwd=workdir, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def time_to_line(process: subprocess.Popen[str], needle: str, spawned: float,
                 timeout: float = 20.0) -> float:
    return times_to_line(process, needle, spawned, timeout)[0]


def times_to_line(process: subprocess.Popen[str], needle: str, spawned: float,
                  timeout: float = 20.0) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) from ``spawned`` to the line ``needle``.

    The CPU time hardly depends on what else the machine is doing; the wall time does.
    """
    found = threading.Event()
    moment: list[tuple[float, float]] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            if needle in line and not found.is_set():
                moment.append((time.perf_counter(), cpu_seconds(process.pid)))
                found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(timeout):
        raise RuntimeError(f"no '{needle}' within {timeout}s")
    return moment[0][0] - spawned, moment[0][1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle-seconds", type=float, default=30.0,
                        help="length of the idle CPU measurement (default 30)")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs to take the median of")
    parser.add_argument("--first-frame-only", action="store_true",
                        help="measure only the start-up figures, not idle CPU and memory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-client-"))
    valkey = EmbeddedValkey(work / "valkey", port=0)
    valkey.start()
    api = None
    try:
        api = start_api_server(valkey.url)
        for message in sample_state():
            publish(valkey.url, message, store=True)
        wait_until(lambda: len(api.get("/state").json()["state"]) >= len(sample_state()), 10)

        # --- start to first frame -------------------------------------------------------
        cache = work / "cache.json"
        cache.write_text(json.dumps({"format": 1, "state": {m["type"]: m
                                                            for m in sample_state()}}))
        dead = f"http://127.0.0.1:{free_port()}"
        # A page that shows data first: the clock page would show the data only at its next tick.
        data_rotation = work / "data-rotation.yaml"
        data_rotation.write_text("- page: weather\n- page: clock\n")
        results: dict[str, list[float]] = {"from cache (API down)": [], "from the API": []}
        for _ in range(args.runs):
            for label, url, cache_file in (("from cache (API down)", dead, cache),
                                           ("from the API", api.url, work / "none.json")):
                (work / "none.json").unlink(missing_ok=True)
                spawned = time.perf_counter()
                process = spawn(url, work, cache_file, data_rotation)
                try:
                    results[label].append(time_to_line(process, "first frame with data",
                                                       spawned))
                finally:
                    terminate(process)
        for label, times in results.items():
            print(f"start to first frame {label}: median {statistics.median(times) * 1000:.0f} ms"
                  f" over {len(times)} runs (max {max(times) * 1000:.0f} ms; goal <= 1000 ms)")
        emulator_first_frames(work, dead, cache, data_rotation, args.runs)
        if args.first_frame_only:
            return 0

        # --- idle ------------------------------------------------------------------------
        rotation = work / "rotation.yaml"
        rotation.write_text("- page: clock\n  seconds: 3600\n")
        for backend, extra in (("headless", ()), ("emulator", ("--adapter", "raw"))):
            process = spawn(api.url, work, work / "idle-cache.json", rotation, backend, extra)
            try:
                time_to_line(process, "first frame with data", time.perf_counter())
                time.sleep(2.0)  # warm-up
                pid = process.pid
                cpu0, t0 = cpu_seconds(pid), time.monotonic()
                time.sleep(args.idle_seconds)
                cpu1, t1 = cpu_seconds(pid), time.monotonic()
                rss, peak = rss_mb(pid)
                share = (cpu1 - cpu0) / (t1 - t0) * 100
                print(f"idle {backend:>8} (clock page only): {share:.2f} % of one core over "
                      f"{t1 - t0:.0f} s (goal <= 2 %); RSS {rss:.1f} MB, peak {peak:.1f} MB "
                      f"(goal <= 60 MB)")
            finally:
                terminate(process)
    finally:
        if api is not None:
            api.kill()
        valkey.kill()
    return 0


def emulator_first_frames(work: Path, dead: str, cache: Path, rotation: Path, runs: int) -> None:
    """From the cache, API down: each emulator adapter against headless, round by round."""
    xvfb = Xvfb().start() if find_program(("Xvfb",)) else None
    port = free_port()
    setups: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
        "headless": ("headless", (), {}),
        "emulator raw": ("emulator", ("--adapter", "raw"), {}),
        "emulator browser": ("emulator", ("--adapter", "browser", "--emulator-port", str(port)),
                             {}),
    }
    if xvfb is not None:
        setups["emulator pygame (Xvfb)"] = ("emulator", ("--adapter", "pygame"), xvfb.env())
    else:
        print("emulator pygame: skipped, no Xvfb on this machine")
    times: dict[str, list[float]] = {label: [] for label in setups}
    cpu: dict[str, list[float]] = {label: [] for label in setups}
    try:
        for backend, extra, env in setups.values():  # warm-up: bytecode, font cache
            process = spawn(dead, work, cache, rotation, backend, extra, env)
            try:
                time_to_line(process, "first frame with data", time.perf_counter())
            finally:
                terminate(process)
        for _ in range(runs):
            for label, (backend, extra, env) in setups.items():
                spawned = time.perf_counter()
                process = spawn(dead, work, cache, rotation, backend, extra, env)
                try:
                    wall, used = times_to_line(process, "first frame with data", spawned)
                finally:
                    terminate(process)
                times[label].append(wall)
                cpu[label].append(used)
    finally:
        if xvfb is not None:
            xvfb.stop()
    base = statistics.median(times["headless"])
    cpu_base = statistics.median(cpu["headless"])
    for label, values in times.items():
        median, used = statistics.median(values), statistics.median(cpu[label])
        print(f"first frame from cache, {label:>22}: median {median * 1000:.0f} ms over "
              f"{len(values)} runs (max {max(values) * 1000:.0f} ms; {median / base:.1f}x "
              f"headless; goal <= 1000 ms); CPU {used * 1000:.0f} ms "
              f"({used / cpu_base:.1f}x headless)")


if __name__ == "__main__":
    sys.exit(main())
