"""The names of the project's icon set, for checking messages without drawing anything.

The matrix client draws them (matrix_client/render/widgets/icon.py, whose
ICON_NAMES a test keeps equal to this list); the API server only checks names.
"""

from __future__ import annotations

WEATHER_ICONS = ("clear", "partly", "cloudy", "overcast", "drizzle", "rain", "snow", "sleet",
                 "thunder", "fog", "wind", "unknown")
ICON_NAMES = (*WEATHER_ICONS, "moon", "trash")
