"""Host status: uptime and load of the machine the producer runs on.

Publishes type ``Host`` (not in PROTOCOL section 6; the shape is ours, see
docs/producers.md)::

    {"hostname": "nas", "uptime_s": 356521, "uptime": "4d 3h 2m",
     "load": [0.52, 0.61, 0.58], "cpus": 4}

In Kubernetes ``/proc/uptime`` and the load average are the node's, which
is what a dashboard wants; ``HOST_NAME`` (from the downward API) names it.
"""

from __future__ import annotations

import argparse
import os
import socket
from pathlib import Path
from typing import Any

from server.producers.base import Producer, option, require
from server.producers.shape import UpstreamShapeError


def parse_uptime(text: str, source: str = "/proc/uptime") -> float:
    """Seconds since boot from ``/proc/uptime`` ("356521.42 1390000.10")."""
    try:
        seconds = float(text.split(maxsplit=1)[0])
    except (IndexError, ValueError):  # empty, or not a number
        raise UpstreamShapeError("Host", source, f"should start with seconds, got {text!r:.40}"
                                 ) from None
    if seconds < 0:
        raise UpstreamShapeError("Host", source, f"has negative uptime {seconds}")
    return seconds


def human_uptime(seconds: float) -> str:
    """``4d 3h 2m`` (minutes only under an hour: ``12m``)."""
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h {minutes}m"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"


def host_values(hostname: str, uptime_s: float, load: tuple[float, float, float],
                cpus: int) -> dict[str, Any]:
    return {
        "hostname": hostname,
        "uptime_s": int(uptime_s),
        "uptime": human_uptime(uptime_s),
        "load": [round(x, 2) for x in load],
        "cpus": cpus,
    }


class HostStatus(Producer):
    name = "Host"
    type = "Host"
    default_period = 60
    description = "uptime and load average of the machine it runs on"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        option(parser, "--hostname", env="HOST_NAME",
               help="name to show (default: this machine's name)")
        option(parser, "--proc-uptime", env="HOST_PROC_UPTIME", default="/proc/uptime",
               help="file to read the uptime from")

    def fetch(self) -> dict[str, Any]:
        path = self.setting("proc_uptime", "/proc/uptime", env="HOST_PROC_UPTIME")
        text = Path(path).read_text(encoding="ascii", errors="replace")
        hostname = self.setting("hostname", socket.gethostname(), env="HOST_NAME")
        return host_values(str(hostname), parse_uptime(text, str(path)), os.getloadavg(),
                           os.cpu_count() or 1)

    def check_shape(self, kind: str, values: Any) -> None:
        require(values, "hostname", str, where=kind)
        require(values, "uptime_s", int, where=kind)
        require(values, "load[2]", (int, float), where=kind)


PRODUCER = HostStatus
