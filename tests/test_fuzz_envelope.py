"""Property-based fuzzing of the envelope rules, control messages and request bodies:
valid ones are accepted and come out as strict UTF-8 JSON; each class of invalid one is
rejected for its own reason; nothing raises anything but a rejection."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from glanceboard import strictjson
from glanceboard.envelope import REJECT_REASONS, RejectedMessage, parse_envelope, validate_object
from server.api.control import REJECT_REASONS as CONTROL_REASONS
from server.api.control import BadCommand, parse_control_message, validate_command
from tests.fuzzing import (
    bodies,
    commands,
    control_messages,
    dumps,
    envelopes,
    fuzz_examples,
    garbage,
    invalid_envelopes,
)


def strict_round_trip(encoded: bytes) -> Any:
    """What every consumer does with our output: strict UTF-8, no NaN or Infinity."""
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in the output")

    return json.loads(encoded.decode("utf-8", errors="strict"), parse_constant=refuse)


@settings(max_examples=fuzz_examples(300))
@given(envelopes())
def test_valid_envelopes_are_accepted_unchanged(message: dict[str, Any]) -> None:
    for raw in (dumps(message), dumps(message).encode(), json.dumps(message)):
        envelope = parse_envelope(raw)
        assert envelope.type == message["type"]
        assert strict_round_trip(envelope.encoded) == message
    assert validate_object(message).encoded == parse_envelope(json.dumps(message)).encoded


@settings(max_examples=fuzz_examples(600))
@given(invalid_envelopes())
def test_each_invalid_class_is_rejected_for_its_reason(case: tuple[str | bytes, str]) -> None:
    raw, reason = case
    try:
        parse_envelope(raw)
    except RejectedMessage as exc:
        assert exc.reason == reason, f"{exc} (wanted {reason})"
        assert exc.reason in REJECT_REASONS
    else:
        raise AssertionError(f"accepted a message that must be rejected for {reason}")


@settings(max_examples=fuzz_examples(500))
@given(st.one_of(garbage, invalid_envelopes().map(lambda c: c[0]),
                 envelopes().map(lambda m: json.dumps(m).encode())))
def test_anything_is_either_a_strict_envelope_or_a_named_rejection(raw: bytes | str) -> None:
    try:
        envelope = parse_envelope(raw)
    except RejectedMessage as exc:
        assert exc.reason in REJECT_REASONS, exc
        return
    assert strict_round_trip(envelope.encoded)["type"] == envelope.type


@settings(max_examples=fuzz_examples(400))
@given(commands, bodies())
def test_request_bodies_are_accepted_strictly_or_refused_with_a_reason(command: str,
                                                                       body: bytes) -> None:
    try:
        args = validate_command(command, body)
    except BadCommand as exc:
        assert exc.reason in CONTROL_REASONS, exc
        return
    strict_round_trip(strictjson.dumps(args))  # what goes to Redis, and to every display


@settings(max_examples=fuzz_examples(400))
@given(control_messages())
def test_control_channel_messages_are_checked_the_same_way(raw: bytes) -> None:
    try:
        command, args, _target = parse_control_message(raw)
    except BadCommand as exc:
        assert exc.reason in CONTROL_REASONS, exc
        return
    strict_round_trip(strictjson.dumps({"type": "webcontrol", "command": command,
                                        "args": args}))
