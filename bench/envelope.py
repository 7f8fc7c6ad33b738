"""Cost of the strict envelope validation, against the lenient parse it replaced.

Every part runs each message through ``parse_envelope`` once, which now also
encodes it strictly (and every part passed the encoding on before, so that
work only moved). The baseline, in the same run, is what a message cost
before: ``json.loads``, the nesting and field checks, and one ``json.dumps``
for sending it on. Realistic demo envelopes (all eight types, Weather ~10 KB).

    python bench/envelope.py [--messages 4000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from kv_updater import envelopes  # noqa: E402

from glanceboard.envelope import TYPE_PATTERN, parse_envelope  # noqa: E402
from glanceboard.timefmt import parse_time  # noqa: E402


def _depth_exceeds(value: object, limit: int) -> bool:
    """The nesting check as it was before (every value pushed and popped)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: object = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)  # type: ignore[attr-defined]
    return False


def lenient(raw: str) -> bytes:
    """The work per message before: parse, check nesting and fields, encode to pass it on."""
    obj = json.loads(raw)
    assert isinstance(obj, dict) and not _depth_exceeds(obj, 64)
    assert TYPE_PATTERN.fullmatch(obj["type"])
    parse_time(obj["updated"])
    parse_time(obj["valid"])
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def strict(raw: str) -> bytes:
    return parse_envelope(raw).encoded


def best_of(rounds: int, fn: Callable[[str], bytes], payloads: list[str]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for raw in payloads:
            fn(raw)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    payloads = envelopes(args.messages)
    size = sum(len(p) for p in payloads)
    base = best_of(args.rounds, lenient, payloads)
    new = best_of(args.rounds, strict, payloads)
    per = 1e6 / args.messages
    print(f"envelope validation: {args.messages} envelopes "
          f"({size / args.messages / 1024:.1f} KiB mean), best of {args.rounds}")
    print(f"  lenient parse + encode (before): {base * per:.1f} us/msg")
    print(f"  strict parse_envelope (now):     {new * per:.1f} us/msg")
    print(f"  ratio strict / before: {new / base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
