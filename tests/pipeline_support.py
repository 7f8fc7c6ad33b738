"""The helpers the producer tests import by these names; they live in :mod:`tests.servers`."""

from __future__ import annotations

from server.valkey import free_port
from tests.servers import Child, http_get, python_module
from tests.servers import wait_until as wait_for

__all__ = ["Child", "free_port", "http_get", "python_module", "wait_for"]
