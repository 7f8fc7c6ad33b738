"""deploy/k8s: the manifests parse, and the wiring between them holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from server.producers.live import REAL_PRODUCERS
from server.producers.registry import PRODUCERS

K8S = Path(__file__).resolve().parent.parent / "deploy" / "k8s"


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


@pytest.fixture(scope="module")
def kustomization() -> dict[str, Any]:
    return documents(K8S / "kustomization.yaml")[0]


@pytest.fixture(scope="module")
def objects(kustomization: dict[str, Any]) -> list[dict[str, Any]]:
    return [doc for name in kustomization["resources"] for doc in documents(K8S / name)]


def by_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def workloads(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {**by_kind(objects, "Deployment"), **by_kind(objects, "StatefulSet")}


def env_of(container: dict[str, Any], configmaps: dict[str, dict[str, Any]]
           ) -> dict[str, Any]:
    """The container's environment: envFrom ConfigMaps first, then env (which wins)."""
    env: dict[str, Any] = {}
    for source in container.get("envFrom", []):
        ref = source["configMapRef"]["name"]
        env.update(configmaps[ref]["data"])
    for item in container.get("env", []):
        env[item["name"]] = item.get("value", item.get("valueFrom"))
    return env


def test_every_file_parses_and_is_listed(kustomization: dict[str, Any]) -> None:
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml",
                                                       "secret.example.yaml"}
    assert listed == on_disk
    for path in K8S.glob("*.yaml"):
        if path.name == "kustomization.yaml":
            continue
        for doc in documents(path):
            assert {"apiVersion", "kind", "metadata"} <= set(doc), path.name
    assert kustomization["namespace"] == "glanceboard"


def test_redis_url_of_every_container_is_the_valkey_service(objects) -> None:
    configmaps = by_kind(objects, "ConfigMap")
    services = by_kind(objects, "Service")
    valkey = workloads(objects)["valkey"]
    for name, workload in workloads(objects).items():
        if name == "valkey":
            continue
        for container in workload["spec"]["template"]["spec"]["containers"]:
            url = urlsplit(env_of(container, configmaps)["REDIS_URL"])
            assert url.scheme == "redis", name
            service = services[url.hostname]
            assert service["spec"]["selector"].items() <= (
                valkey["spec"]["template"]["metadata"]["labels"].items())
            assert url.port in [p["port"] for p in service["spec"]["ports"]], name


def test_a_deployment_for_every_real_producer(objects) -> None:
    deployments = by_kind(objects, "Deployment")
    for name in REAL_PRODUCERS:
        assert name in PRODUCERS
        container = deployments[f"producer-{name}"]["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == ["python", "-m", "server.producers", name]
        assert deployments[f"producer-{name}"]["spec"]["replicas"] == 1


def test_probes_are_on_the_health_ports(objects) -> None:
    configmaps = by_kind(objects, "ConfigMap")
    for name, workload in by_kind(objects, "Deployment").items():
        container = workload["spec"]["template"]["spec"]["containers"][0]
        env = env_of(container, configmaps)
        ports = {p["containerPort"] for p in container["ports"]}
        if name == "api":
            command = container["command"]
            port = int(command[command.index("--port") + 1])
            assert command[command.index("--host") + 1] == "0.0.0.0"
            assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": port}
        else:
            port = int(env["HEALTH_PORT"])  # producers and KV updater: their health port
        assert port in ports, name
        assert container["livenessProbe"]["httpGet"] == {"path": "/live", "port": port}, name
    services = by_kind(objects, "Service")
    api = by_kind(objects, "Deployment")["api"]["spec"]["template"]["spec"]["containers"][0]
    assert services["api"]["spec"]["ports"][0]["targetPort"] == api["ports"][0]["containerPort"]


def test_producer_periods_match_their_defaults(objects) -> None:
    from server.producers import load_producer

    for name, workload in by_kind(objects, "Deployment").items():
        if not name.startswith("producer-"):
            continue
        env = {e["name"]: e.get("value") for e in
               workload["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert float(env["PERIOD"]) == load_producer(name.removeprefix("producer-")
                                                     ).default_period, name


# The Secret keys without which nothing may start: secure by default.
REQUIRED_SECRETS = {"redis-password", "control-token"}


def secret_ref(container: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The secretKeyRef that sets env ``name`` in ``container``, if any."""
    for item in container.get("env", []):
        if item["name"] == name:
            return item.get("valueFrom", {}).get("secretKeyRef")
    return None


def test_every_part_has_the_redis_password_and_the_api_its_token(objects) -> None:
    """Valkey requires the Secret's password, every part adds it to REDIS_URL
    (REDIS_PASSWORD), and the API server cannot start without the control token."""
    secret = documents(K8S / "secret.example.yaml")[0]
    assert set(secret["stringData"]) >= REQUIRED_SECRETS
    configmaps = by_kind(objects, "ConfigMap")
    for name, workload in workloads(objects).items():
        container = workload["spec"]["template"]["spec"]["containers"][0]
        ref = secret_ref(container, "REDIS_PASSWORD")
        assert ref == {"name": secret["metadata"]["name"], "key": "redis-password"}, name
        if name != "valkey":  # the URL itself carries no password
            assert urlsplit(env_of(container, configmaps)["REDIS_URL"]).password is None
    valkey = workloads(objects)["valkey"]["spec"]["template"]["spec"]["containers"][0]
    args = valkey["args"]
    assert args[args.index("--requirepass") + 1] == "$(REDIS_PASSWORD)"
    api = by_kind(objects, "Deployment")["api"]["spec"]["template"]["spec"]["containers"][0]
    assert secret_ref(api, "CONTROL_TOKEN") == {"name": secret["metadata"]["name"],
                                                "key": "control-token"}
    assert "--insecure-control" not in api["command"]


def test_secrets_are_mounted_files_that_may_be_absent(objects) -> None:
    secret = documents(K8S / "secret.example.yaml")[0]
    keys = set(secret["stringData"])
    for name, workload in by_kind(objects, "Deployment").items():
        spec = workload["spec"]["template"]["spec"]
        for volume in spec.get("volumes", []):
            ref = volume["secret"]
            assert ref["secretName"] == secret["metadata"]["name"] and ref["optional"] is True
            for item in ref["items"]:
                assert item["key"] in keys, name
        container = spec["containers"][0]
        mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
        for item in container.get("env", []):
            if item["name"].endswith("_FILE"):
                assert any(item["value"].startswith(m + "/") for m in mounts), name
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] == secret["metadata"]["name"]
                assert ref.get("optional") is (None if ref["key"] in REQUIRED_SECRETS
                                               else True), (name, ref)
                assert ref["key"] in keys
    files = {e["value"].rsplit("/", 1)[1] for w in by_kind(objects, "Deployment").values()
             for e in w["spec"]["template"]["spec"]["containers"][0].get("env", [])
             if e["name"].endswith("_FILE")}
    assert files == {"github-token", "calendar-source", "events-source"}


def test_valkey_persists(objects) -> None:
    valkey = by_kind(objects, "StatefulSet")["valkey"]
    container = valkey["spec"]["template"]["spec"]["containers"][0]
    args = container["args"]
    assert args[args.index("--appendonly") + 1] == "yes"
    assert args[args.index("--appendfsync") + 1] == "everysec"
    data_dir = args[args.index("--dir") + 1]
    (claim,) = valkey["spec"]["volumeClaimTemplates"]
    mount = next(m for m in container["volumeMounts"] if m["name"] == claim["metadata"]["name"])
    assert mount["mountPath"] == data_dir
    assert claim["spec"]["resources"]["requests"]["storage"]
    assert valkey["spec"]["serviceName"] in by_kind(objects, "Service")
