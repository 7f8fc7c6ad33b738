"""The last position of a Garmin inReach, from its MapShare KML feed.

The feed (``https://share.garmin.com/Feed/Share/<MapShare name>``) lists the
device's recent points as KML Placemarks whose ``ExtendedData`` carries
``Time``, ``Name``, ``Latitude``, ``Velocity`` ("3.0 km/h"), ``Course``
("22.50 ° True") and so on. The newest point is published under those names,
as the original producer does (glanceboard.payloads.track). A MapShare page
with a password is read with HTTP basic auth (any user name, the password).
"""

from __future__ import annotations

import argparse
import re
import xml.etree.ElementTree as ET
from typing import Any

from glanceboard.payloads.times import parse_any
from glanceboard.payloads.track import KMH_PER_KNOT
from glanceboard.payloads.track import Track as TrackView
from glanceboard.payloads.weather import compass
from server.producers.base import Producer, option
from server.producers.secrets import setting_or_file
from server.producers.shape import UpstreamShapeError, require_original_shape

KML = "{http://www.opengis.net/kml/2.2}"
MAX_FEED_BYTES = 4 * 1024 * 1024
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _number(text: str, field: str) -> float:
    found = _NUMBER.search(text)
    if found is None:
        raise UpstreamShapeError("Track", f"ExtendedData {field}",
                                 f"has no number: {text!r:.40}")
    return float(found.group())


def newest_point(kml: str) -> dict[str, str]:
    """The ExtendedData (name -> value) of the newest Placemark that has a position."""
    if len(kml) > MAX_FEED_BYTES:
        raise UpstreamShapeError("Track", "feed", f"is larger than {MAX_FEED_BYTES} bytes")
    try:
        root = ET.fromstring(kml)
    except ET.ParseError as exc:
        raise UpstreamShapeError("Track", "feed", f"is not KML: {exc}") from None
    points = []
    for placemark in root.iter(f"{KML}Placemark"):
        data = {d.get("name", ""): (d.findtext(f"{KML}value") or "").strip()
                for d in placemark.iter(f"{KML}Data")}
        if data.get("Latitude") and data.get("Longitude"):
            points.append(data)
    if not points:
        raise UpstreamShapeError("Track", "feed", "has no Placemark with a position")
    return points[-1]  # the feed lists points oldest first


def map_feed(kml: str) -> dict[str, Any]:
    """MapShare KML -> the ``Track`` values, the original's keys and forms."""
    point = newest_point(kml)
    for field in ("Time", "Name", "Latitude", "Longitude", "Velocity", "Course"):
        if field not in point:
            raise UpstreamShapeError("Track", f"ExtendedData {field}", "is missing")
    time_text = point["Time"]
    moment = parse_any(time_text)
    if moment is None:
        raise UpstreamShapeError("Track", "ExtendedData Time",
                                 f"is not M/D/YYYY h:mm:ss AM: {time_text!r:.40}")
    return TrackView(
        time_text=time_text,
        name=point["Name"],
        latitude=_number(point["Latitude"], "Latitude"),
        longitude=_number(point["Longitude"], "Longitude"),
        velocity=_number(point["Velocity"], "Velocity") / KMH_PER_KNOT,
        course=compass(_number(point["Course"], "Course")),
        valid_fix=point.get("Valid GPS Fix", "").lower() == "true",
    ).to_values()


class Track(Producer):
    name = "Track"
    type = "Track"
    default_period = 600
    base_url = "https://share.garmin.com/Feed/Share/"
    description = "the last position of a Garmin inReach from its MapShare KML feed"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--mapshare", env="MAPSHARE",
               help="the MapShare name (share.garmin.com/<name>); required")
        option(parser, "--password", env="MAPSHARE_PASSWORD", secret=True,
               help="the MapShare password, if the page has one (or a file named by env "
               "MAPSHARE_PASSWORD_FILE)")

    def fetch(self) -> dict[str, Any]:
        mapshare = str(self.setting("mapshare", None, env="MAPSHARE", required=True))
        password = setting_or_file(self, "password", None, env="MAPSHARE_PASSWORD")
        if password:
            self.http.auth = ("glanceboard", str(password))
        return map_feed(self.get_text(mapshare))

    def check_shape(self, kind: str, values: Any) -> None:
        require_original_shape(kind, values)


PRODUCER = Track
