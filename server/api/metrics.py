"""Prometheus text exposition of the API server's counters (format 0.0.4).

The counters are plain integers bumped on the hot path and only formatted
here, at scrape time; a handful of metrics needs no client library.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Exposition:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def metric(self, name: str, kind: str, help_text: str, value: float) -> None:
        self.family(name, kind, help_text, [({}, value)])

    def family(self, name: str, kind: str, help_text: str,
               samples: Iterable[tuple[Mapping[str, str], float]]) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            label_text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
            suffix = f"{{{label_text}}}" if label_text else ""
            self.lines.append(f"{name}{suffix} {value:g}" if isinstance(value, float)
                              else f"{name}{suffix} {value}")

    def labelled(self, name: str, kind: str, help_text: str, label: str,
                 values: Mapping[str, int]) -> None:
        self.family(name, kind, help_text, (({label: k}, v) for k, v in sorted(values.items())))

    def render(self) -> bytes:
        return ("\n".join(self.lines) + "\n").encode("utf-8")
