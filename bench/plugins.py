"""What looking for plugin pages costs when the registry is first built.

    python bench/plugins.py [--runs 7] [--bare] [--target DIR]

Each run is a fresh interpreter that imports what the matrix client imports at start
(``--bare``: nothing), then builds the page registry: once as it is (built-in pages,
then the ``glanceboard.pages`` entry points read from the installed packages'
metadata) and once with the entry point scan left out: the baseline, in the same run.
Prints the median wall time, the peak RSS and the modules imported for each, and the
ratio. ``--target`` adds a folder with installed plugins
(e.g. ``pip install --target DIR examples/glanceboard-countdown``) to the path of both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, resource, sys, time, types
skip = {skip}
if {client}:
    import matrix_client.__main__, matrix_client.sync, matrix_client.loop
    import matrix_client.display.headless
start = time.perf_counter()
if skip:  # a stand-in that finds nothing and imports nothing (importlib.metadata neither)
    stand_in = types.ModuleType("matrix_client.pages.discovery")
    stand_in.discover = lambda taken: types.SimpleNamespace(pages={{}}, broken=())
    sys.modules[stand_in.__name__] = stand_in
import matrix_client.pages as pages
pages.registry()
took = time.perf_counter() - start
print(json.dumps({{"ms": took * 1000, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "modules": len(sys.modules), "pages": len(pages.registry())}}))
"""


def probe(skip: bool, target: Path | None, client: bool) -> dict:
    paths = [str(target)] if target else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, str(ROOT)])}
    out = subprocess.run([sys.executable, "-c", PROBE.format(skip=skip, client=client)], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bare", action="store_true",
                        help="build the registry in an empty interpreter, not after the "
                        "client's own imports")
    parser.add_argument("--target", type=Path, default=None,
                        help="a folder of installed plugins to put on the path")
    args = parser.parse_args()
    results: dict[bool, list[dict]] = {True: [], False: []}
    for _ in range(args.runs):  # taking turns, so both see the same machine load
        for skip in (True, False):
            results[skip].append(probe(skip, args.target, not args.bare))
    for skip, label in ((True, "without the entry point scan"), (False, "with it")):
        runs = results[skip]
        print(f"{label:30} median {statistics.median(r['ms'] for r in runs):7.1f} ms, "
              f"peak RSS {statistics.median(r['rss_kb'] for r in runs) / 1024:6.1f} MB, "
              f"{runs[0]['modules']} modules, {runs[0]['pages']} pages")
    base = statistics.median(r["ms"] for r in results[True])
    full = statistics.median(r["ms"] for r in results[False])
    print(f"with / without: {full / base:.2f}; the scan adds {full - base:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
