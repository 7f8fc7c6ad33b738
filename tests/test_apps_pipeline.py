"""An app pushed over HTTP on a headless display: real Valkey, API server process, and the
matrix client's stream follower and render loop (tests/test_client_live.py's LiveClient)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from matrix_client.rotation import RotationEntry
from tests.servers import ApiProcess, wait_until
from tests.test_client_live import (
    TOKEN,
    H,
    LiveClient,
    W,
)

AUTH = {"Authorization": f"Bearer {TOKEN}"}
MAGENTA = (255, 0, 255)


@pytest.fixture
def clients(tmp_path: Path) -> Iterator[list[LiveClient]]:
    made: list[LiveClient] = []
    yield made
    for client in made:
        client.stop()
    for client in made:
        assert client.error is None, client.error


def start_client(api: ApiProcess, tmp_path: Path, clients: list[LiveClient],
                 rotation: list[RotationEntry], cache: str = "state.json") -> LiveClient:
    client = LiveClient(api.url, tmp_path / cache, rotation=rotation, token=TOKEN).start()
    clients.append(client)
    wait_until(lambda: client.follower.connected and client.display.shown, 30, what="live")
    return client


def shows_magenta(client: LiveClient) -> bool:
    frame = client.display.last_frame
    return frame is not None and any(c == MAGENTA for _, c in frame.getcolors(W * H))


def push(api: ApiProcess, name: str, lifetime: int) -> float:
    """PUT an app with a magenta background; the monotonic time the answer came."""
    answer = httpx.put(f"{api.url}/apps/{name}", headers=AUTH, timeout=5, json={
        "text": "Hello", "icon": "clear", "background": "#ff00ff", "lifetime": lifetime})
    assert answer.status_code == 200, answer.text
    return time.monotonic()


def test_a_pushed_app_shows_within_a_second_and_goes_at_its_lifetime(
        live_api: ApiProcess, tmp_path: Path, clients: list[LiveClient]) -> None:
    client = start_client(live_api, tmp_path, clients, [RotationEntry("apps", 3600)])
    assert not shows_magenta(client)
    sent = push(live_api, "hello", lifetime=3)
    wait_until(lambda: shows_magenta(client), 5, what="the app on screen", interval=0.01)
    shown_after = time.monotonic() - sent
    print(f"shown {shown_after * 1000:.0f} ms after the PUT answered")
    assert shown_after <= 1.0, f"shown {shown_after:.2f} s after the PUT answered"
    wait_until(lambda: not shows_magenta(client), 6, what="the app gone", interval=0.02)
    gone_after = time.monotonic() - sent
    print(f"gone {gone_after:.2f} s after it (lifetime 3 s)")
    assert 2.5 <= gone_after <= 4.5, f"gone {gone_after:.2f} s after the PUT (lifetime 3 s)"


def test_the_page_command_shows_apps_outside_the_rotation(
        live_api: ApiProcess, tmp_path: Path, clients: list[LiveClient]) -> None:
    client = start_client(live_api, tmp_path, clients, [RotationEntry("clock", 3600)])
    push(live_api, "hello", lifetime=60)
    time.sleep(0.5)
    assert not shows_magenta(client)  # the clock is on screen
    answer = httpx.put(f"{live_api.url}/webcontrol/page", json={"name": "apps"}, headers=AUTH)
    assert answer.status_code == 202
    wait_until(lambda: shows_magenta(client), 5, what="the apps page after 'page apps'")


def test_an_app_reaches_a_display_started_after_an_api_restart(
        live_api: ApiProcess, tmp_path: Path, clients: list[LiveClient]) -> None:
    push(live_api, "kept", lifetime=600)
    live_api.restart()
    live_api.wait_ready()
    client = start_client(live_api, tmp_path, clients, [RotationEntry("apps", 3600)],
                          "fresh.json")
    wait_until(lambda: shows_magenta(client), 10, what="the app from the stored set")
