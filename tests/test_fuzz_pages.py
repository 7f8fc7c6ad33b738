"""Property-based fuzzing of the pages: every page at every panel size draws a picture
of the panel's size for any state the envelope rules accept, at any time /preview
accepts. A page that raised would show the panel's error cross instead of its data."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glanceboard.envelope import validate_object
from matrix_client.pages import PageContext, registry, samples
from matrix_client.pages.base import render_checked
from tests.fuzzing import envelopes, fuzz_examples, page_moments, strict_json

BASE_STATE = samples.state_for("")
PAGES = sorted(registry())


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value where a part could be replaced."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replaced(value: Any, path: tuple, replacement: Any) -> Any:
    """A copy of ``value`` with the part at ``path`` replaced (the original is untouched)."""
    if not path:
        return replacement
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: _replaced(value[head], rest, replacement)}
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [*value[:head], _replaced(value[head], rest, replacement), *value[head + 1:]]
    return value  # an earlier replacement changed the shape: that is fine too


@st.composite
def mutated_values(draw: st.DrawFn, kind: str) -> Any:
    """The sample payload of ``kind`` with a few parts replaced by arbitrary JSON: the
    shapes a half-broken producer sends, deep inside the fields pages read."""
    values = BASE_STATE[kind]["values"]
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(_paths(values)))
        values = _replaced(values, path, draw(strict_json))
    return values


@st.composite
def states(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    state: dict[str, dict[str, Any]] = {}
    for kind in draw(st.sets(st.sampled_from(sorted(BASE_STATE)))):
        values = draw(st.one_of(mutated_values(kind), strict_json).filter(lambda v: v is not None))
        message = draw(envelopes(kind=st.just(kind), values=st.just(values)))
        state[kind] = validate_object(message).data  # only what the rules let through
    for extra in draw(st.lists(envelopes(), max_size=3)):
        state.setdefault(extra["type"], validate_object(extra).data)
    return state


@pytest.mark.parametrize("name", PAGES)
@settings(max_examples=fuzz_examples(12))
@given(state=states(), now=page_moments(), stream_ok=st.booleans(), started=st.booleans())
def test_every_page_at_every_size_draws_any_valid_state(
        name: str, state: dict[str, dict[str, Any]], now: Any, stream_ok: bool,
        started: bool) -> None:
    spec = registry()[name]
    before = copy.deepcopy(state)
    for width, height in samples.SIZES:
        context = PageContext(state=state, now=now, width=width, height=height,
                              started=now if started else None, stream_ok=stream_ok)
        frame = render_checked(spec, context)  # raises if the page fails
        assert frame.image.size == (width, height)
        assert frame.ttl >= 0, f"{name} asked to be drawn again {-frame.ttl} s ago"
    assert state == before, f"{name} changed the state it was given"
