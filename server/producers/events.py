"""The next family events (birthdays, school, trips) from iCalendar URLs or files.

Same as :mod:`server.producers.calendar`, with a longer look-ahead and its
own source (``EVENTS_SOURCE``), published as type ``Events``.
"""

from __future__ import annotations

from server.producers.calendar import Calendar


class Events(Calendar):
    name = "Events"
    type = "Events"
    default_period = 3600
    description = "the next family events from one or more iCalendar URLs or files"

    source_env = "EVENTS_SOURCE"
    default_days = 90.0
    default_limit = 10


PRODUCER = Events
