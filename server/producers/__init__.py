"""Producers: ``python -m server.producers NAME [options]`` runs one of them.

The base class and how to write a producer: :mod:`server.producers.base`.
The list of producers: :mod:`server.producers.registry`.
"""

from __future__ import annotations

import importlib
import sys

from server.producers.base import Producer, run_producer
from server.producers.registry import all_producers, plugin_producers

USAGE = """usage: python -m server.producers NAME [options]
       python -m server.producers NAME --help     (the options of that producer)
       python -m server.producers --list          (the producers there are)

Runs one producer: it fetches its data every period, wraps it in an envelope
and publishes it on the Redis/Valkey data channel (REDIS_URL)."""


def load_producer(name: str) -> type[Producer]:
    """The Producer subclass registered as ``name``; KeyError if there is none."""
    target = all_producers()[name]
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, class_name)
    if not (isinstance(cls, type) and issubclass(cls, Producer)):
        raise TypeError(f"{target} is not a Producer subclass")
    return cls


def origin(name: str) -> str:
    """Where producer ``name`` comes from, for messages: a plugin's distribution or ''."""
    plugin = plugin_producers().get(name)
    return f" (from {plugin[1]})" if plugin else ""


def describe(name: str) -> str:
    try:
        cls = load_producer(name)
    except Exception as exc:  # a broken producer must not hide the others
        return f"(cannot load: {type(exc).__name__}: {exc})"
    return f"{cls.name or cls.type}: {cls.description}".rstrip(": ") + origin(name)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    producers = all_producers()
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        print("\nproducers: " + ", ".join(sorted(producers)))
        return 0 if args else 2
    if args[0] == "--list":
        for name in sorted(producers):
            print(f"{name:12} {describe(name)}")
        return 0
    name = args[0]
    if name not in producers:
        print(f"error: no producer named {name!r}; there are: "
              + ", ".join(sorted(producers)), file=sys.stderr)
        return 2
    try:
        cls = load_producer(name)
    except Exception as exc:  # noqa: BLE001 - a plugin's import error, said in one line
        print(f"error: producer {name!r}{origin(name)} cannot be loaded: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return run_producer(cls, args[1:], prog=f"python -m server.producers {name}",
                        part=name)
