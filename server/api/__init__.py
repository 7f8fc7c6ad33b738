"""The API server (PROTOCOL sections 3-5): ``python -m server.api``."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    # Imported here so that ``import server.api`` stays cheap.
    from server.api.cli import main as run

    return run(argv)
