"""Producers: ``python -m server.producers NAME [options]`` runs one of them.

The base class and how to write a producer: :mod:`server.producers.base`.
The list of producers: :mod:`server.producers.registry`.
"""

from __future__ import annotations

import importlib
import sys

from server.producers.base import Producer, run_producer
from server.producers.registry import PRODUCERS

USAGE = """usage: python -m server.producers NAME [options]
       python -m server.producers NAME --help     (the options of that producer)
       python -m server.producers --list          (the producers there are)

Runs one producer: it fetches its data every period, wraps it in an envelope
and publishes it on the Redis/Valkey data channel (REDIS_URL)."""


def load_producer(name: str) -> type[Producer]:
    """The Producer subclass registered as ``name``; KeyError if there is none."""
    target = PRODUCERS[name]
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, class_name)
    if not (isinstance(cls, type) and issubclass(cls, Producer)):
        raise TypeError(f"{target} is not a Producer subclass")
    return cls


def describe(name: str) -> str:
    try:
        cls = load_producer(name)
    except Exception as exc:  # a broken producer must not hide the others
        return f"(cannot load: {type(exc).__name__}: {exc})"
    return f"{cls.name or cls.type}: {cls.description}".rstrip(": ")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        print("\nproducers: " + ", ".join(sorted(PRODUCERS)))
        return 0 if args else 2
    if args[0] == "--list":
        for name in sorted(PRODUCERS):
            print(f"{name:12} {describe(name)}")
        return 0
    name = args[0]
    if name not in PRODUCERS:
        print(f"error: no producer named {name!r}; there are: "
              + ", ".join(sorted(PRODUCERS)), file=sys.stderr)
        return 2
    cls = load_producer(name)
    return run_producer(cls, args[1:], prog=f"python -m server.producers {name}")
