"""Displays that report themselves, and control commands aimed at one of them: a real
Valkey, a real API server process and ``python -m matrix_client`` on the headless backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.api.displays import BadReport, DisplayRegistry
from tests.servers import (
    API_TOKEN,
    AUTH,
    ApiProcess,
    Child,
    python_module,
    running_api_server,
    wait_until,
)

REPORT = {"version": "1.0", "backend": "headless", "width": 64, "height": 32,
          "page": "clock", "brightness": 80}


def _displays(api: ApiProcess) -> dict[str, dict[str, Any]]:
    answer = api.get("/displays")
    assert answer.status_code == 200, answer.text
    return {entry["id"]: entry for entry in answer.json()["displays"]}


@pytest.fixture
def client(api_server: ApiProcess, tmp_path: Path) -> Iterator[Child]:
    rotation = tmp_path / "rotation.yaml"
    rotation.write_text("- page: clock\n  seconds: 3600\n- page: moon\n  seconds: 3600\n")
    child = Child(python_module("matrix_client", "--backend", "headless", "--api",
                                api_server.url, "--display-id", "kitchen", "--rotation",
                                str(rotation), "--cache", str(tmp_path / "cache.json")),
                  tmp_path / "client.log", env={"GLANCEBOARD_API_TOKEN": API_TOKEN})
    try:
        yield child
    finally:
        child.terminate()


def test_a_client_reports_itself_and_follows_only_its_commands(api_server: ApiProcess,
                                                                client: Child) -> None:
    kitchen = wait_until(lambda: _displays(api_server).get("kitchen"), 15,
                         "the client in GET /displays")
    assert (kitchen["width"], kitchen["height"], kitchen["backend"]) == (64, 32, "headless")
    assert kitchen["page"] == "clock" and kitchen["online"] is True
    assert kitchen["brightness"] == 100 and kitchen["last_seen"] > 0

    def command(target: str, page: str) -> None:
        answer = httpx.put(f"{api_server.url}/webcontrol/page?display={target}",
                           json={"name": page}, headers=AUTH)
        assert answer.status_code == 202, answer.text

    command("hallway", "moon")  # another display's: ignored
    # A command for every display, after it, proves the first had its chance to apply.
    httpx.put(f"{api_server.url}/webcontrol/brightness", json={"value": 40},
              headers=AUTH).raise_for_status()
    wait_until(lambda: _displays(api_server)["kitchen"]["brightness"] == 40, 15,
               "the untargeted brightness applied")
    assert _displays(api_server)["kitchen"]["page"] == "clock", client.log()
    command("kitchen", "moon")
    wait_until(lambda: _displays(api_server)["kitchen"]["page"] == "moon", 15,
               "the targeted page command applied")
    assert client.alive(), client.log()


def test_a_bad_target_is_refused(api_server: ApiProcess) -> None:
    for target in ("../etc", "a b", "x" * 64, ""):
        answer = httpx.put(f"{api_server.url}/webcontrol/fwd", params={"display": target},
                           headers=AUTH)
        assert answer.status_code == 400, target
        assert "display id" in answer.json()["detail"]


def test_bad_reports_get_4xx_and_change_nothing(api_server: ApiProcess) -> None:
    url = f"{api_server.url}/displays/wall"
    assert httpx.put(url, json=REPORT, headers=AUTH).status_code == 200
    before = _displays(api_server)
    bad: list[tuple[str, bytes, dict[str, str], int, str]] = [
        ("wall", json.dumps(REPORT).encode(), {}, 401, "Bearer"),
        ("wall", b'{"width": 64, "height": 32, "page": NaN}', AUTH, 400, "strict"),
        ("wall", b'[1]', AUTH, 400, "object"),
        ("wall", json.dumps({**REPORT, "colour": "red"}).encode(), AUTH, 400, "unknown"),
        ("wall", json.dumps({**REPORT, "width": 99999}).encode(), AUTH, 400, "'width'"),
        ("wall", json.dumps({**REPORT, "brightness": True}).encode(), AUTH, 400, "brightness"),
        ("wall", json.dumps({"page": "x"}).encode(), AUTH, 400, "missing"),
        ("wall", b'{"width": 64, "height": 32, "page": "' + b"x" * 4000 + b'"}', AUTH, 413,
         "limit"),
        ("bad%20id", json.dumps(REPORT).encode(), AUTH, 400, "display id"),
    ]
    for display, body, headers, status, words in bad:
        answer = httpx.put(f"{api_server.url}/displays/{display}", content=body,
                           headers=headers)
        assert answer.status_code == status, (body[:60], answer.text)
        assert words in answer.json()["detail"], answer.text
    assert _displays(api_server) == {"wall": {**before["wall"], "online": True}}
    assert api_server.metric("glanceboard_api_display_reports_refused_total",
                             {"reason": "bad"}) == len(bad) - 1  # the 401 is not a report


def test_reports_are_rate_limited_per_display(api_server: ApiProcess) -> None:
    url = f"{api_server.url}/displays/wall"
    assert httpx.put(url, json=REPORT, headers=AUTH).status_code == 200
    assert httpx.put(url, json={**REPORT, "page": "moon"}, headers=AUTH).status_code == 429
    assert _displays(api_server)["wall"]["page"] == "clock"
    assert httpx.put(f"{api_server.url}/displays/other", json=REPORT,
                     headers=AUTH).status_code == 200


def test_the_cap_holds(valkey) -> None:
    with running_api_server(valkey.url, token=API_TOKEN,
                            extra_args=["--max-displays", "3"]) as api:
        for n in range(3):
            answer = httpx.put(f"{api.url}/displays/d{n}", json=REPORT, headers=AUTH)
            assert answer.status_code == 200
        refused = httpx.put(f"{api.url}/displays/d9", json=REPORT, headers=AUTH)
        assert refused.status_code == 507 and "3 displays" in refused.json()["detail"]
        assert sorted(_displays(api)) == ["d0", "d1", "d2"]
        assert api.metric("glanceboard_api_displays") == 3


def test_a_full_registry_makes_room_by_forgetting_the_longest_offline() -> None:
    now = [1000.0]
    registry = DisplayRegistry(max_displays=2, stale_after=60, clock=lambda: now[0],
                               monotonic=lambda: now[0])
    body = json.dumps(REPORT).encode()
    registry.report("old", body)
    now[0] += 50
    registry.report("newer", body)
    now[0] += 20  # "old" is now 70 s quiet: offline
    assert [d["online"] for d in registry.listing()["displays"]] == [True, False]
    registry.report("third", body)
    assert sorted(registry.held) == ["newer", "third"]
    with pytest.raises(BadReport) as full:
        registry.report("fourth", body)  # both held displays are online
    assert full.value.status == 507 and sorted(registry.held) == ["newer", "third"]


def test_a_bad_display_id_names_the_key_and_source(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "matrix_client", "--show-settings"],
                            capture_output=True, text=True, timeout=60,
                            env={"GLANCEBOARD_DISPLAY_ID": "kitchen/1", "PATH": ""})
    assert result.returncode == 2, result.stdout
    assert "environment GLANCEBOARD_DISPLAY_ID: [display] id: display id must be" \
        in result.stderr
    shown = subprocess.run([sys.executable, "-m", "matrix_client", "--show-settings",
                            "--display-id", "hall-2"], capture_output=True, text=True,
                           timeout=60, env={"PATH": ""})
    assert "[display] id" in shown.stdout and "hall-2" in shown.stdout, shown.stdout
    assert "flag --display-id" in shown.stdout


def test_the_default_id_is_the_host_name_cut_to_the_rule() -> None:
    from glanceboard.display_id import host_display_id

    assert host_display_id("pi-kitchen.local") == "pi-kitchen"
    assert host_display_id("Wohnzimmer Pi") == "Wohnzimmer-Pi"
    assert host_display_id("---") == "display"


def test_a_command_for_another_display_is_counted_not_queued() -> None:
    import queue

    from matrix_client.store import StateStore
    from matrix_client.sync import StreamFollower

    controls: queue.Queue = queue.Queue()
    follower = StreamFollower("http://127.0.0.1:9", StateStore(), controls,
                              display_id="kitchen")
    follower._handle('{"type":"webcontrol","command":"fwd","args":{},"display":"hall"}')
    assert controls.empty() and follower.stats.not_ours == 1
    follower._handle('{"type":"webcontrol","command":"fwd","args":{},"display":"kitchen"}')
    follower._handle('{"type":"webcontrol","command":"rew","args":{}}')
    assert [controls.get_nowait()["command"] for _ in range(2)] == ["fwd", "rew"]
    assert follower.stats.not_ours == 1
    follower.session.close()
