"""What the API server hands the web dashboard's tiles: one shape per type,
whichever ecosystem's producer sent the message.

The tiles read the shape our producers publish (the original fields and our
extensions), so a message from an original producer is read into its typed
view and written again; where a tile needs what only the view knows (the
next occurrence of a family event, an ISO commit time), it is written out
here, once, instead of in the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from glanceboard.payloads import names, view, write

# Types the tiles draw with their own renderer; anything else goes as it came.
TILE_TYPES = frozenset({names.WEATHER, names.AQI, names.MOON, names.CALENDAR, names.EVENTS,
                        names.GITHUB, names.MLB, names.NFL})


def tile_values(kind: str, envelope: Mapping[str, Any], today: date) -> Any:
    """The ``values`` a dashboard tile of ``kind`` reads, from either shape."""
    if kind not in TILE_TYPES:
        return envelope.get("values")
    parsed = view(kind, envelope)
    if kind == names.EVENTS:
        return parsed.as_agenda(today).to_values()  # each event at its next occurrence
    written = write(kind, parsed)
    if kind == names.MLB:
        return written
    if kind == names.GITHUB:
        written["commit_message"] = parsed.headline or ""
        written["date"] = parsed.date.isoformat() if parsed.date else ""
        # No commit known is not the sentinel's "0000000 == 0000000, passing".
        written["latest_commit"] = (parsed.latest_commit or "")[:7]
        written["last_successful_commit"] = (parsed.last_successful_commit or "")[:7]
    if kind == names.NFL:
        for game, out in zip(parsed.games, written["events"], strict=True):
            # A kickoff the producer wrote in its zone: the tile writes it from
            # ``start`` in the browser's.
            out["detail"] = "" if game.kickoff_text else game.status_text()
    return written
