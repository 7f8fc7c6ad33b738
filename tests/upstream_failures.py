"""The failure checks every producer of an HTTP source must pass, written once.

A test module subclasses :class:`UpstreamFailureTests` as ``TestUpstreamFailures``
and says what its producer publishes, how to build it for a base URL and how
to serve a good and a changed answer; pytest then runs the three checks for
that producer (this base class is not collected: its name has no ``Test`` prefix).
"""

from __future__ import annotations

from typing import ClassVar

from server.producers.base import Producer
from server.valkey import EmbeddedValkey
from tests.producer_support import (
    InProcess,
    RecordedServer,
    Subscriber,
    dead_port_url,
    wait_until,
)

PERIOD = 1.0  # seconds: several failed rounds fit in a test


class UpstreamFailureTests:
    kind: ClassVar[str]  # the type the producer publishes
    path: ClassVar[str]  # the upstream path that answers 500 in the failure check
    changed_field: ClassVar[str]  # what the error must name when the shape changed

    def make(self, url: str) -> Producer:
        """The producer, reading from ``url`` (the recorded server, or a dead port)."""
        raise NotImplementedError

    def serve_good(self, upstream: RecordedServer) -> None:
        """Install the good recorded answers (again, after a failure)."""
        raise NotImplementedError

    def serve_changed(self, upstream: RecordedServer) -> None:
        """Install an answer whose shape changed at ``changed_field``."""
        raise NotImplementedError

    def test_changed_shape_is_not_published(self, upstream: RecordedServer,
                                            valkey: EmbeddedValkey) -> None:
        self.serve_changed(upstream)
        self.check_fails_without_publishing(self.make(upstream.url), valkey.url,
                                            self.changed_field)

    def test_connection_refused_is_retried(self, valkey: EmbeddedValkey) -> None:
        self.check_fails_without_publishing(self.make(dead_port_url()), valkey.url,
                                            "Connection")

    def test_upstream_500_keeps_last_good_and_retries(self, upstream: RecordedServer,
                                                      valkey: EmbeddedValkey) -> None:
        self.serve_good(upstream)
        kind, path = self.kind, self.path
        with Subscriber(valkey.url) as sub:
            with InProcess(self.make(upstream.url), valkey.url, PERIOD) as running:
                first = sub.wait_for(kind)[0]
                upstream.fail(path)
                wait_until(lambda: running.runner.fetch_failures >= 1, what="a failed fetch")
                published_at_failure = len(sub.of(kind))
                hits_at_failure = upstream.hits(path)
                wait_until(lambda: running.runner.fetch_failures >= 3, what="3 failed fetches")
                # Kept: nothing replaced the last good message while the source failed.
                assert len(sub.of(kind)) == published_at_failure
                assert "500" in (running.runner.last_error or "")
                # Retried: each failed fetch went back to the source (HTTP retries included).
                assert upstream.hits(path) - hits_at_failure >= 2 * 2
                self.serve_good(upstream)
                sub.wait_for(kind, count=published_at_failure + 1)
                wait_until(lambda: running.runner.last_error is None, what="recovery")
            latest = sub.of(kind)[-1]  # with what the stopped producer flushed
        assert latest["values"] == first["values"]
        assert latest["ts"] > first["ts"]

    def check_fails_without_publishing(self, producer: Producer, redis_url: str,
                                       error_names: str) -> None:
        """The producer keeps running and retrying, publishes no data, and says why."""
        with (Subscriber(redis_url) as sub,
              InProcess(producer, redis_url, PERIOD) as running):
            sub.wait_for(f"{producer.name}-Server")
            wait_until(lambda: running.runner.fetch_failures >= 2, what="2 failed fetches")
            assert error_names in (running.runner.last_error or ""), running.runner.last_error
            assert sub.of(self.kind) == []
