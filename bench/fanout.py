"""Fan-out benchmark of the API server's SSE stream.

Starts an embedded Valkey and an API server (separate processes), opens N SSE
clients on loopback from this process (raw asyncio protocols, no HTTP
library, so one core can hold thousands), publishes at a steady rate with a
send timestamp inside each message, and reports: clients held, events
delivered per second, p50/p99/max publish-to-client latency, events lost,
and the server's CPU and RSS.

    python bench/fanout.py --clients 1000,5000 --rate 10 --duration 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import subprocesses  # noqa: E402
from server.valkey import EmbeddedValkey  # noqa: E402

SENT = re.compile(rb'"seq":(\d+),"sent":(\d+)')
TICKS = os.sysconf("SC_CLK_TCK")
WORST: list[float] = [0.0] * 100000  # worst latency per event, for --detail


class SseProtocol(asyncio.Protocol):
    """Counts the benchmark events on one SSE connection; a sample of the connections
    also parses each event's send time and sequence (latency, order, loss), so that
    the measuring process keeps up with thousands of streams on one core."""

    def __init__(self, request: bytes, latencies: array, ready: asyncio.Future[bool],
                 sample: bool) -> None:
        self.request = request
        self.latencies = latencies
        self.ready = ready
        self.sample = sample
        self.head = True
        self.buffer = b""
        self.count = 0
        self.seqs: set[int] = set()
        self.closed = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now = time.time_ns()
        buffer = self.buffer + data
        if self.head:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buffer
                return
            status = buffer[:end].split(b" ", 2)[1]
            if not self.ready.done():
                self.ready.set_result(status == b"200")
            self.head = False
            buffer = buffer[end + 4:]
        cut = buffer.rfind(b"\n\n")
        if cut < 0:
            self.buffer = buffer
            return
        complete, self.buffer = buffer[:cut], buffer[cut:]
        self.count += complete.count(b'"type":"Bench"')
        if not self.sample:
            return
        for match in SENT.finditer(complete):
            seq = int(match.group(1))
            self.seqs.add(seq)
            latency = (now - int(match.group(2))) / 1e6
            self.latencies.append(latency)
            if seq < len(WORST) and latency > WORST[seq]:
                WORST[seq] = latency

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.ready.done():
            self.ready.set_result(False)


def cpu_times(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_api(redis_url: str, max_clients: int, baseline: bool,
              ) -> tuple[subprocess.Popen[bytes], str]:
    if baseline:
        command = [sys.executable, str(ROOT / "bench" / "support" / "baseline_sse.py"),
                   "--redis-url", redis_url]
    else:
        command = [sys.executable, "-m", "server.api", "--port", "0", "--redis-url", redis_url,
                   "--max-clients", str(max_clients + 100), "--log-level", "warning",
                   "--insecure-control"]  # no web control in this benchmark
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    match = re.search(r"(http://\S+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"API server did not print its URL: {line!r}")
    return process, match.group(1)


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return float("nan")


async def http_get(url: str, path: str) -> str:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                 .encode())
    answer = await reader.read()
    writer.close()
    return answer.decode("utf-8", "replace")


async def wait_ready(url: str, timeout: float = 20.0) -> None:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(f"GET /ready HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                         .encode())
            answer = await reader.read(100)
            writer.close()
            if b" 200 " in answer:
                return
        except OSError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("API server not ready")


async def run_one(n: int, rate: float, duration: float, payload: int, redis_url: str,
                  baseline: bool = False) -> dict[str, float]:
    import redis.asyncio as aioredis

    api, url = start_api(redis_url, n, baseline)
    try:
        await wait_ready(url)
        idle_rss = rss_mb(api.pid)
        host, port = url.removeprefix("http://").rsplit(":", 1)
        request = (f"GET /events HTTP/1.1\r\nHost: {host}:{port}\r\n"
                   "Accept: text/event-stream\r\n\r\n").encode()
        loop = asyncio.get_running_loop()
        latencies: array = array("d")
        every = max(1, n // 500)  # latency from up to 500 connections spread over all
        protocols: list[SseProtocol] = []
        connect_started = time.monotonic()
        batch = 250
        for start in range(0, n, batch):
            futures = []
            for i in range(start, min(start + batch, n)):
                ready: asyncio.Future[bool] = loop.create_future()
                _, protocol = await loop.create_connection(
                    lambda ready=ready, i=i: SseProtocol(request, latencies, ready,
                                                         i % every == 0),
                    host, int(port))
                protocols.append(protocol)
                futures.append(ready)
            results = await asyncio.wait_for(asyncio.gather(*futures), 60)
            if not all(results):
                raise SystemExit(f"{results.count(False)} clients refused")
        connect_time = time.monotonic() - connect_started
        held_rss = rss_mb(api.pid)

        client = aioredis.from_url(redis_url)
        padding = "x" * payload
        interval = 1.0 / rate
        total = int(duration * rate)
        user_before, sys_before = cpu_times(api.pid)
        own_before = time.process_time()
        wall_before = time.monotonic()
        next_at = time.monotonic()
        for seq in range(total):
            body = (f'{{"type":"Bench","values":{{"seq":{seq},"sent":{time.time_ns()},'
                    f'"pad":"{padding}"}},"updated":"2026-11-26T16:55:08-05:00",'
                    f'"valid":"2026-11-26T17:55:08-05:00","ts":{seq + 1}}}')
            await client.publish("update", body)
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        # Let the last event arrive everywhere (bounded).
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and sum(p.count for p in protocols) < total * n:
            await asyncio.sleep(0.05)
        wall = time.monotonic() - wall_before
        user_after, sys_after = cpu_times(api.pid)
        user, system = user_after - user_before, sys_after - sys_before
        own_cpu = time.process_time() - own_before
        await client.aclose()
        held = sum(1 for p in protocols if not p.closed)
        delivered = sum(p.count for p in protocols)
        sampled = [p for p in protocols if p.sample]
        in_order = all(p.seqs == set(range(total)) for p in sampled)
        ordered = sorted(latencies)
        result = {
            "server": "baseline" if baseline else "api",
            "clients": n,
            "held": held,
            "connect_s": connect_time,
            "published": total,
            "delivered": delivered,
            "lost": total * n - delivered,
            "sampled_clients": len(sampled),
            "sampled_complete": in_order,
            "delivered_per_s": delivered / wall,
            "p50_ms": ordered[len(ordered) // 2] if ordered else float("nan"),
            "p99_ms": ordered[int(len(ordered) * 0.99)] if ordered else float("nan"),
            "max_ms": ordered[-1] if ordered else float("nan"),
            "server_cpu_pct": 100 * (user + system) / wall,
            "server_user_pct": 100 * user / wall,
            "server_sys_pct": 100 * system / wall,
            "server_rss_idle_mb": idle_rss,
            "server_rss_held_mb": held_rss,
            "server_rss_end_mb": rss_mb(api.pid),
            "bench_cpu_pct": 100 * own_cpu / wall,
        }
        metrics = "" if baseline else await http_get(url, "/metrics")
        count = _metric(metrics, "glanceboard_api_broadcasts_total")
        result["server_broadcast_avg_ms"] = (
            1000 * _metric(metrics, "glanceboard_api_broadcast_seconds_total") / max(count, 1))
        result["server_broadcast_max_ms"] = 1000 * _metric(
            metrics, "glanceboard_api_broadcast_max_seconds")
        for protocol in protocols:
            if protocol.transport is not None:
                protocol.transport.close()
        return result
    finally:
        subprocesses.terminate(api)


def report(result: dict[str, float], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result), flush=True)
        return
    broadcast = (f", hand-out to all {result['server_broadcast_avg_ms']:.1f} ms avg "
                 f"{result['server_broadcast_max_ms']:.1f} ms max"
                 if result["server"] == "api" else "")
    print(
        f"{result['server']:>8}: clients {result['clients']:>6} held {result['held']:>6} "
        f"(connected in {result['connect_s']:.1f}s) | "
        f"delivered {result['delivered']} ({result['delivered_per_s']:.0f}/s), "
        f"lost {result['lost']} | latency ({result['sampled_clients']} clients sampled, "
        f"all seqs: {result['sampled_complete']}) p50 {result['p50_ms']:.1f} ms "
        f"p99 {result['p99_ms']:.1f} ms max {result['max_ms']:.1f} ms | "
        f"server CPU {result['server_cpu_pct']:.0f}% (user {result['server_user_pct']:.0f}%, "
        f"kernel {result['server_sys_pct']:.0f}%) RSS {result['server_rss_idle_mb']:.0f} -> "
        f"{result['server_rss_held_mb']:.0f} MB held, {result['server_rss_end_mb']:.0f} MB end"
        f"{broadcast} | bench process CPU {result['bench_cpu_pct']:.0f}% | load "
        f"{result['load_after']:.2f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1000,5000",
                        help="comma-separated client counts, one run each (default %(default)s)")
    parser.add_argument("--rate", type=float, default=10.0,
                        help="events published per second (default %(default)s)")
    parser.add_argument("--duration", type=float, default=20.0,
                        help="seconds of publishing per run (default %(default)s)")
    parser.add_argument("--payload", type=int, default=1000,
                        help="bytes of padding in each message (default %(default)s)")
    parser.add_argument("--baseline", action="store_true",
                        help="also run each count against bench/support/baseline_sse.py "
                        "(a textbook StreamingResponse server with a queue and a task per "
                        "client), for comparison")
    parser.add_argument("--json", action="store_true", help="print results as JSON lines")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",") if c.strip()]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = max(counts) + 200
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(need, soft)), hard))
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    with tempfile.TemporaryDirectory() as data:
        valkey = EmbeddedValkey(Path(data), port=0)
        valkey.start()
        try:
            print(f"fan-out: rate {args.rate}/s for {args.duration}s, payload {args.payload} B,"
                  f" {os.cpu_count()} CPUs, load average before: "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
            for n in counts:
                for baseline in ((False, True) if args.baseline else (False,)):
                    result = asyncio.run(run_one(n, args.rate, args.duration, args.payload,
                                                 valkey.url, baseline))
                    result["load_after"] = os.getloadavg()[0]
                    report(result, args.json)
        finally:
            valkey.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
