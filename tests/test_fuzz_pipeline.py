"""Property-based fuzzing of the real pipeline: generated messages, valid and each class
of invalid, published through a real Valkey on the data and control channels, to a real
KV updater and a real API server.

After each batch: both processes still run; every valid message arrived (hash, /state,
the stream); the hash holds only valid envelopes; the stream carried only strict UTF-8
JSON, and only the valid messages and commands.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import redis
from hypothesis import example, given, settings
from hypothesis import strategies as st

from glanceboard import strictjson
from glanceboard.envelope import parse_envelope
from server.valkey import EmbeddedValkey
from tests.fuzzing import (
    bodies,
    commands,
    control_messages,
    envelopes,
    fuzz_examples,
    garbage,
    invalid_envelopes,
)
from tests.servers import (
    API_TOKEN,
    KvUpdaterProcess,
    SseClient,
    make_envelope,
    running_api_server,
    start_kv_updater,
    wait_until,
)

VALID_CONTROL = (b'{"type":"webcontrol","command":"pp","args":{}}',
                 b'{"type":"webcontrol","command":"brightness","args":{"value":40}}')


def strict_events(body: bytes) -> list[Any]:
    """The data of every event in a raw SSE body, each parsed as strict UTF-8 JSON."""
    text = body.decode("utf-8", errors="strict")  # raises on anything but UTF-8
    found = []
    for block in text.split("\n\n"):
        data = [line[len("data: "):] for line in block.split("\n") if line.startswith("data: ")]
        if data:
            value = strictjson.loads("\n".join(data))
            strictjson.dumps(value)  # no lone surrogates, no NaN
            found.append(value)
    return found


batches = st.lists(st.one_of(
    envelopes().map(lambda m: ("valid", m)),
    invalid_envelopes().map(lambda case: ("invalid", case[0])),
    garbage.map(lambda raw: ("invalid", raw)),
    control_messages().map(lambda raw: ("control", raw)),
), min_size=1, max_size=25)


def test_the_pipeline_survives_and_keeps_only_valid_messages(valkey: EmbeddedValkey,
                                                             tmp_path: Path) -> None:
    updater: KvUpdaterProcess = start_kv_updater(valkey.url, tmp_path / "kv-updater.log")
    store = redis.Redis.from_url(valkey.url)
    serial = itertools.count(1)
    try:
        with running_api_server(valkey.url, token=API_TOKEN) as api, \
                SseClient(api.url + "/events") as sse:

            @settings(max_examples=fuzz_examples(15))
            @given(batches)
            def run(batch: list[tuple[str, Any]]) -> None:
                n = next(serial)
                valid: dict[str, dict[str, Any]] = {}
                for i, (kind, item) in enumerate(batch):
                    if kind == "valid":
                        # One type per valid message, so each one must arrive.
                        item = {**item, "type": f"Fuzz{n}-{i}"}
                        valid[item["type"]] = item
                        raw: bytes | str = json.dumps(item)
                    else:
                        raw = item
                    store.publish("control" if kind == "control" else "update", raw)
                store.publish("control", VALID_CONTROL[n % 2])
                marker = make_envelope(f"Marker{n}", {"n": n}, ts=n)
                store.publish("update", json.dumps(marker))
                wait_until(lambda: store.hget("state", marker["type"]), 10,
                           what=f"batch {n}'s marker in the hash")
                state = wait_until(lambda: (s := api.get("/state").json()["state"])
                                   and marker["type"] in s and s, 10,
                                   what=f"batch {n}'s marker at the API server")
                assert updater.alive(), f"the KV updater exited:\n{updater.log()}"
                assert api.process is not None and api.process.poll() is None
                for kind_name, message in valid.items():
                    assert json.loads(store.hget("state", kind_name)) == message
                    assert state[kind_name] == message
                wait_until(lambda: any(e.get("type") == marker["type"]
                                       for e in strict_events(sse.body)), 10,
                           what=f"batch {n}'s marker on the stream")

            run()

            # The whole hash: only envelopes the rules accept, the markers and valid ones.
            for field, raw in store.hgetall("state").items():
                envelope = parse_envelope(raw)
                assert envelope.type == field.decode("utf-8")
                assert envelope.type.startswith(("Fuzz", "Marker")), envelope.type
            # The whole stream: strict JSON; data only of the types published valid.
            seen = strict_events(sse.body)
            assert seen, "nothing arrived on the stream"
            for value in seen:
                if value.get("type") == "webcontrol":
                    assert value["command"] in ("pp", "brightness"), value
                else:
                    assert value["type"].startswith(("Fuzz", "Marker")), value
                    parse_envelope(json.dumps(value))
            assert api.get("/ready").status_code == 200
            metrics = api.get("/metrics").text
            assert 'glanceboard_api_messages_rejected_total{reason="internal_error"} 0' in metrics
    finally:
        store.close()
        updater.kill()
    assert "could not handle a message" not in updater.log(), updater.log()


def test_request_bodies_never_answer_5xx(valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url, token=API_TOKEN) as api, httpx.Client() as http:
        auth = {"Authorization": f"Bearer {API_TOKEN}"}

        @settings(max_examples=fuzz_examples(60))
        @given(commands, bodies())
        def run(command: str, body: bytes) -> None:
            answer = http.put(f"{api.url}/webcontrol/{quote(command, safe='')}", content=body,
                              headers=auth, timeout=10)
            assert answer.status_code in (202, 400, 404, 405), (answer.status_code,
                                                                 answer.text)

        run()
        assert api.process is not None and api.process.poll() is None
        assert api.get("/ready").status_code == 200


query_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
offsets = st.sampled_from([timezone(timedelta(hours=h, minutes=m))
                           for h, m in ((-23, -59), (-5, 0), (0, 0), (5, 45), (14, 0))])
# Any moment of the calendar, its ends included, with an offset, in both formats.
at_times = st.one_of(
    st.datetimes(timezones=offsets).map(lambda d: d.isoformat()),
    st.datetimes(timezones=offsets).map(lambda d: d.strftime("%m/%d/%Y %I:%M %p %z")),
    st.sampled_from(["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-23:59"]),
    query_text)
preview_params = st.fixed_dictionaries({}, optional={
    "size": st.one_of(st.sampled_from(["64x32", "128x32", "64x64", "128x64"]), query_text),
    "scale": st.one_of(st.integers(-1, 20).map(str), query_text),
    "at": at_times,
    "tz": st.one_of(st.sampled_from(["UTC", "America/New_York", "Pacific/Kiritimati",
                                     "Etc/GMT+12", "../../etc/passwd"]), query_text),
})


def test_preview_never_answers_5xx(valkey: EmbeddedValkey) -> None:
    """/preview for any page, size, scale, at and tz: a picture or a 400, never a 5xx."""
    from matrix_client.pages import registry

    with running_api_server(valkey.url, token=API_TOKEN) as api, httpx.Client() as http:

        @settings(max_examples=fuzz_examples(100))
        @given(st.one_of(st.sampled_from(sorted(registry())), query_text), preview_params)
        @example("clock", {"at": "0001-01-01T00:00:00+05:00"})  # the ends of the calendar
        @example("calendar", {"at": "9999-12-31T23:59:59-23:59", "tz": "UTC"})
        def run(page: str, params: dict[str, str]) -> None:
            answer = http.get(f"{api.url}/preview/{quote(page, safe='')}.png", params=params,
                              timeout=20)
            assert answer.status_code in (200, 400, 404), (answer.status_code, answer.text)
            if answer.status_code == 200:
                assert answer.headers["content-type"] == "image/png"

        run()
        assert api.process is not None and api.process.poll() is None
