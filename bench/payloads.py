"""Cost of reading a message into its typed view (glanceboard.payloads), per type.

    python bench/payloads.py [--rounds 2000]

For each of the sample state's messages and the older producers' samples, the
figures are the median time to build the view, and its ratio to decoding the
same message's JSON (``json.loads``, measured in the same run): what a client
pays once per message, on top of what it pays anyway to receive it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from glanceboard.payloads import view  # noqa: E402
from matrix_client.pages.samples import LEGACY_DIR, normal_state  # noqa: E402


def median_seconds(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000, help="views built per message")
    args = parser.parse_args(argv)
    messages = {f"ours {k}": e for k, e in normal_state().items() if not k.endswith("-Server")}
    for path in sorted(LEGACY_DIR.glob("*.json")):
        envelope = json.loads(path.read_text(encoding="utf-8"))
        if "values" in envelope:
            messages[f"original {path.stem}"] = envelope
    print(f"{'message':<26}{'bytes':>7}{'view µs':>10}{'json µs':>10}{'ratio':>8}")
    for name, envelope in messages.items():
        raw = json.dumps(envelope)
        kind = envelope["type"]
        parse = median_seconds(lambda raw=raw: json.loads(raw), args.rounds)
        build = median_seconds(lambda k=kind, e=envelope: view(k, e), args.rounds)
        print(f"{name:<26}{len(raw):>7}{build * 1e6:>10.1f}{parse * 1e6:>10.1f}"
              f"{build / parse:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
