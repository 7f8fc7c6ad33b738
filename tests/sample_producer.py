"""A minimal producer on the base, run as a real process by the base tests.

    python -m tests.sample_producer --base-url http://127.0.0.1:PORT/ ...

It GETs ``obs?station=...`` and publishes ``Sample`` with ``{"temp", "station"}``;
while the answer says ``"live": true`` it asks for a short period.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from server.producers.base import Producer, require, run_producer


class SampleProducer(Producer):
    name = "Sample"
    type = "Sample"
    default_period = 30.0
    base_url = "http://sample.invalid/"
    description = "test producer"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--station", default=None,
                            help="station id (env SAMPLE_STATION, config 'station')")

    def fetch(self) -> Any:
        station = self.setting("station", "KNYC", env="SAMPLE_STATION")
        data = self.get_json("obs", params={"station": station})
        return {"temp": data.get("temp"), "station": station, "live": data.get("live", False)}

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "temp", (int, float), where=kind)

    def next_period(self, messages: dict[str, Any]) -> float | None:
        return 0.3 if messages["Sample"]["live"] else None


if __name__ == "__main__":
    sys.exit(run_producer(SampleProducer, sys.argv[1:], prog="sample"))
