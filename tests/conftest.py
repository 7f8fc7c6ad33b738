"""Shared fixtures: real servers on loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.valkey import EmbeddedValkey
from tests.servers import API_TOKEN, ApiProcess, running_api_server


@pytest.fixture
def valkey(tmp_path: Path) -> Iterator[EmbeddedValkey]:
    """A fresh embedded Valkey with persistence, on a free loopback port."""
    server = EmbeddedValkey(tmp_path / "valkey", port=0)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def api_server(valkey: EmbeddedValkey) -> Iterator[ApiProcess]:
    """An API server process on the ``valkey`` fixture, ready (subscribed, state loaded)."""
    with running_api_server(valkey.url, token=API_TOKEN) as api:
        yield api
