"""The original ecosystem's sample envelopes (tests/fixtures/legacy/), one per type and
game state, as its producers publish them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LEGACY_DIR = Path(__file__).resolve().parent / "fixtures" / "legacy"


def legacy_names() -> list[str]:
    return sorted(p.stem for p in LEGACY_DIR.glob("*.json"))


def legacy(name: str) -> dict[str, Any]:
    """A fresh copy of the sample ``name`` (``MLB_live``, ``Weather``...)."""
    return json.loads((LEGACY_DIR / f"{name}.json").read_text(encoding="utf-8"))


def legacy_text(name: str) -> str:
    return (LEGACY_DIR / f"{name}.json").read_text(encoding="utf-8")
