"""Programs from the operating system that some tests drive (Chromium, Xvfb, ImageMagick).

On a developer's machine a missing one skips those tests with the reason, so
``make test`` needs nothing but Python and make. CI installs every one of them
(``.ci/run``), so there (``CI`` set) a missing program fails the test instead:
it means a broken set-up, not a test to leave out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable

import pytest


def find_program(names: Iterable[str], env_var: str = "") -> str | None:
    """The first of ``$env_var`` and ``names`` found on PATH (or as a path), else None."""
    for name in ([os.environ.get(env_var, "")] if env_var else []) + list(names):
        if name and (found := shutil.which(name)):
            return found
    return None


def require_program(names: Iterable[str], reason: str, env_var: str = "") -> str:
    """The program's path; without it, skip with ``reason`` (fail under CI)."""
    found = find_program(names, env_var)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
