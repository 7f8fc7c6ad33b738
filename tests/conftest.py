"""Shared fixtures: real servers on loopback ports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from server.valkey import EmbeddedValkey
from tests.servers import API_TOKEN, LIVE_TOKEN, ApiProcess, running_api_server, start_api_server

# The fuzz tests (tests/test_fuzz_*.py). "ci", the default, is bounded and the same on
# every run; "long" draws 20 times the examples from a fresh random seed, which
# hypothesis prints with any failure:
#     HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q --timeout 0 tests/test_fuzz_*.py
# A test scales its own example count with settings(max_examples=fuzz_examples(n)).
_SLOW_FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                  HealthCheck.data_too_large]
settings.register_profile("ci", derandomize=True, database=None, deadline=None,
                          print_blob=True, suppress_health_check=_SLOW_FIXTURES)
settings.register_profile("long", derandomize=False, database=None, deadline=None,
                          print_blob=True, suppress_health_check=_SLOW_FIXTURES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


@pytest.fixture
def live_api(valkey: EmbeddedValkey) -> Iterator[ApiProcess]:
    """An API server for the live clients (tests/test_client_live.py's LiveClient): a
    short heartbeat (0.5 s), so that a client notices a stalled stream soon, and the
    token ``LIVE_TOKEN``; killed, not stopped, at the end."""
    server = start_api_server(valkey.url, token=LIVE_TOKEN, extra_args=["--heartbeat", "0.5"])
    server.wait_ready()
    try:
        yield server
    finally:
        server.kill()
