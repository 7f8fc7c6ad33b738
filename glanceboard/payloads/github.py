"""GitHub: the newest commit of a branch and the newest one whose CI passed.

The original writes ``0000000`` when no run succeeded and the author date as
``YYYY-MM-DD hh:mm:ss A ZZZ``; ``repo`` and ``status`` are our extensions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard.payloads.read import compact, mapping, string
from glanceboard.payloads.times import parse_any, stamp_github

NO_COMMIT = "0000000"


def _sha(value: Any) -> str | None:
    text = string(value, 64)
    if not text:
        return None
    text = text.strip().lower()
    if not all(c in "0123456789abcdef" for c in text) or text == NO_COMMIT or not text.strip("0"):
        return None
    return text


@dataclass(frozen=True, slots=True)
class GitHub:
    latest_commit: str | None = None
    last_successful_commit: str | None = None
    message: str | None = None  # the whole message, as the original sends it
    date: datetime | None = None
    repo: str | None = None
    status: str | None = None  # success, failure, pending

    @property
    def headline(self) -> str | None:
        """The first line of the message."""
        return self.message.strip().splitlines()[0] if self.message and self.message.strip() \
            else None

    @classmethod
    def parse(cls, values: Any) -> GitHub:
        data = mapping(values)
        return cls(
            latest_commit=_sha(data.get("latest_commit")),
            last_successful_commit=_sha(data.get("last_successful_commit")),
            message=string(data.get("commit_message"), 2000),
            date=parse_any(data.get("date")),
            repo=string(data.get("repo"), 200),
            status=string(data.get("status"), 20),
        )

    def to_values(self) -> dict[str, Any]:
        return compact({
            "latest_commit": (self.latest_commit or NO_COMMIT)[:7],
            "last_successful_commit": (self.last_successful_commit or NO_COMMIT)[:7],
            "commit_message": self.message or "",
            "date": stamp_github(self.date) if self.date else "",
            "repo": self.repo,
            "status": self.status,
        })
