"""KV updater throughput: how fast published envelopes land in the state hash.

Publishes N realistic demo envelopes (all eight types, Weather ~10 KB) to a
fresh embedded Valkey with a real KV updater process, and reports
messages/s, the updater's CPU time and RSS. Then, in this process, it
compares the cost of the conditional Lua write (``store_envelope``) against
a plain unconditional HSET of the same data, as the baseline.

    python bench/kv_updater.py [--messages 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import redis
import redis.asyncio as aioredis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.support.demo_envelopes import envelopes  # noqa: E402
from glanceboard.envelope import parse_envelope  # noqa: E402
from server import subprocesses  # noqa: E402
from server.kv_store import store_envelope  # noqa: E402
from server.settings import RedisSettings  # noqa: E402
from server.valkey import EmbeddedValkey, free_port  # noqa: E402

TIME_LIMIT = 60.0


def proc_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds, RSS bytes) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return cpu, rss


def stored(metrics_url: str) -> int:
    with urllib.request.urlopen(metrics_url, timeout=2) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("glanceboard_kv_stored_total "):
                return int(float(line.split()[1]))
    return -1


async def direct_costs(url: str, payloads: list[str]) -> tuple[float, float]:
    """Seconds for the conditional script vs a plain HSET, same data, one client."""
    client = aioredis.from_url(url)
    settings = RedisSettings(url=url, state_key="bench-script")
    parsed = [parse_envelope(p) for p in payloads]
    try:
        started = time.perf_counter()
        for envelope in parsed:
            await store_envelope(client, settings, envelope)
        script = time.perf_counter() - started
        started = time.perf_counter()
        for envelope in parsed:
            await client.hset("bench-plain", envelope.type, envelope.to_json())
        plain = time.perf_counter() - started
    finally:
        await client.aclose()
    return script, plain


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=4000,
                        help="envelopes to publish (default %(default)s)")
    args = parser.parse_args()
    payloads = envelopes(args.messages)
    size = sum(len(p) for p in payloads)
    with tempfile.TemporaryDirectory() as tmp:
        valkey = EmbeddedValkey(Path(tmp) / "valkey", port=0)
        valkey.start()
        port = free_port()
        updater = subprocess.Popen(
            [sys.executable, "-m", "server.kv_updater", "--redis-url", valkey.url,
             "--health-port", str(port), "--health-host", "127.0.0.1", "--log-level", "WARNING"],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        metrics_url = f"http://127.0.0.1:{port}/metrics"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    with urllib.request.urlopen(metrics_url.replace("metrics", "ready"),
                                                timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the KV updater did not become ready") from None
                    time.sleep(0.05)
            cpu0, _ = proc_usage(updater.pid)
            client = redis.Redis.from_url(valkey.url)
            started = time.perf_counter()
            pipe = client.pipeline(transaction=False)
            for payload in payloads:
                pipe.publish("update", payload)
            pipe.execute()
            published = time.perf_counter() - started
            deadline = time.monotonic() + TIME_LIMIT
            while (count := stored(metrics_url)) < args.messages:
                if time.monotonic() > deadline:
                    print(f"only {count} of {args.messages} stored within {TIME_LIMIT:g}s")
                    return 1
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            cpu1, rss = proc_usage(updater.pid)
            client.close()
            script, plain = asyncio.run(direct_costs(valkey.url, payloads[:2000]))
        finally:
            subprocesses.terminate(updater)
            valkey.stop()
    n_direct = min(2000, args.messages)
    print(f"KV updater: {args.messages} envelopes ({size / args.messages / 1024:.1f} KiB mean), "
          f"published in {published:.2f}s, all stored after {elapsed:.2f}s "
          f"= {args.messages / elapsed:.0f} msg/s")
    print(f"  updater CPU {cpu1 - cpu0:.2f}s ({(cpu1 - cpu0) / args.messages * 1e3:.2f} ms/msg), "
          f"RSS {rss / 2**20:.1f} MiB")
    print(f"  conditional Lua write vs plain HSET, {n_direct} sequential writes from one "
          f"client: {script / n_direct * 1e3:.3f} ms vs {plain / n_direct * 1e3:.3f} ms "
          f"per write (ratio {script / plain:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
