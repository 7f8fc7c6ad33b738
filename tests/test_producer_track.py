"""Track producer: a Garmin inReach MapShare KML feed replayed from tests/recorded."""

from __future__ import annotations

import base64

import pytest

from glanceboard.payloads import original
from server.producers.base import ConfigError
from server.producers.track import Track, map_feed
from tests.legacy_samples import legacy
from tests.producer_support import (
    RecordedServer,
    check_names_field,
    check_process_publishes,
    make_producer,
    recorded,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.upstream_failures import UpstreamFailureTests

FEED = "garmin_mapshare.kml"
PATH = "/RyanSmith"
KML_TYPE = "application/vnd.google-earth.kml+xml"


def feed() -> str:
    return recorded(FEED).decode("utf-8")


def producer(url: str, *extra: str) -> Track:
    return make_producer(Track, ["--base-url", url, "--mapshare", "RyanSmith", *extra])


def test_the_newest_point_in_the_original_keys_and_forms() -> None:
    values = map_feed(feed())
    # What the original producer published for this feed (tests/fixtures/legacy/Track.json):
    # text coordinates, knots truncated to 2 decimals, the course on the 16-point compass.
    assert values == legacy("Track")["values"]
    assert original.values_problems("Track", values) == []


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda kml: kml.replace("<kml", "<kml-broken", 1), "feed"),
    (lambda kml: kml.replace('name="Latitude"', 'name="Lat"'), "feed"),
    (lambda kml: kml.replace('<Data name="Time"><value>9/14/2025 2:20:00 PM', '<Data name="Time">'
                             '<value>yesterday'), "ExtendedData Time"),
    (lambda kml: kml.replace("3.0 km/h", "fast"), "ExtendedData Velocity"),
])
def test_changed_shape_names_the_field(mutate, field: str) -> None:
    changed = mutate(feed())
    check_names_field(lambda: map_feed(changed), field)


def test_fetch_reads_the_mapshare_feed_with_its_password(upstream: RecordedServer,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path) -> None:
    upstream.serve(PATH, feed(), ctype=KML_TYPE)
    assert producer(upstream.url).fetch() == legacy("Track")["values"]
    assert "authorization" not in upstream.seen[-1].headers
    secret = tmp_path / "password"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("MAPSHARE_PASSWORD_FILE", str(secret))
    producer(upstream.url).fetch()
    sent = upstream.seen[-1].headers["authorization"]
    assert base64.b64decode(sent.split()[1]).decode().endswith(":s3cret")


def test_mapshare_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAPSHARE", raising=False)
    with pytest.raises(ConfigError, match="MAPSHARE"):
        make_producer(Track, []).fetch()


class TestUpstreamFailures(UpstreamFailureTests):
    kind, path, changed_field = "Track", PATH, "feed"

    def make(self, url: str) -> Track:
        return producer(url)

    def serve_good(self, upstream: RecordedServer) -> None:
        upstream.serve(PATH, feed(), ctype=KML_TYPE)

    def serve_changed(self, upstream: RecordedServer) -> None:
        upstream.serve(PATH, feed().replace('name="Longitude"', 'name="Lon"'), ctype=KML_TYPE)


def test_process_publishes(upstream: RecordedServer, valkey) -> None:
    upstream.serve(PATH, feed(), ctype=KML_TYPE)
    message = check_process_publishes("track", ["--base-url", upstream.url], valkey.url,
                                      "Track", env={"MAPSHARE": "RyanSmith"})
    assert message["values"] == legacy("Track")["values"]
    assert seconds_valid(message) == 600
    assert original.problems(message) == []
