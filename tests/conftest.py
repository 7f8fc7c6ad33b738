"""Shared fixtures: real servers on loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.valkey import EmbeddedValkey


@pytest.fixture
def valkey(tmp_path: Path) -> Iterator[EmbeddedValkey]:
    """A fresh embedded Valkey with persistence, on a free loopback port."""
    server = EmbeddedValkey(tmp_path / "valkey", port=0)
    server.start()
    try:
        yield server
    finally:
        server.kill()
