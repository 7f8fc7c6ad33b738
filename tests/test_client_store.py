"""The state store: ordering by ts, versions per type, thread safety."""

from __future__ import annotations

import threading

from glanceboard.envelope import validate_object
from matrix_client.store import StateStore

VALID = "2099-01-01T00:00:00+00:00"


def env(kind: str, n: int, ts: int | None) -> object:
    data = {"type": kind, "values": {"n": n}, "updated": VALID, "valid": VALID}
    if ts is not None:
        data["ts"] = ts
    return validate_object(data)


def test_order_by_ts_and_versions() -> None:
    store = StateStore()
    assert store.apply(env("A", 1, 10))
    assert not store.apply(env("A", 0, 9))  # older: dropped
    assert not store.apply(env("A", 1, 10))  # the same again (a replay): no new version
    assert store.apply(env("A", 2, 10))  # same ts, other content: kept (not older)
    assert store.apply(env("B", 1, None))  # no ts: arrival order
    assert store.apply(env("B", 2, None))
    snap = store.snapshot()
    assert snap.state["A"]["values"] == {"n": 2}
    assert snap.versions == {"A": 2, "B": 4} and snap.version == 4
    assert store.apply(env("A", 3, None))  # without ts on one side, arrival order decides


def test_concurrent_writers_and_waiter() -> None:
    store = StateStore()
    seen: list[int] = []
    waiter = threading.Thread(target=lambda: seen.append(store.wait_for_change(0, 10)))
    waiter.start()

    def write(kind: str) -> None:
        for ts in range(500):
            store.apply(env(kind, ts, ts))

    writers = [threading.Thread(target=write, args=(k,)) for k in "ABCD"]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    waiter.join(10)
    assert seen and seen[0] >= 1
    snap = store.snapshot()
    assert snap.version == 2000
    assert all(snap.state[k]["ts"] == 499 for k in "ABCD")
