"""Team abbreviations and colours as ESPN writes them (the original clients key their
logos and colours by ESPN's abbreviations)."""

from __future__ import annotations

# MLB Stats API abbreviation -> ESPN's, where they differ.
MLB_ESPN_ABBREVIATIONS: dict[str, str] = {"AZ": "ARI", "CWS": "CHW", "OAK": "ATH"}

# ESPN team colour (6 hex digits, no '#') by ESPN abbreviation.
MLB_COLORS: dict[str, str] = {
    "ARI": "aa182c", "ATL": "0c2340", "BAL": "df4601", "BOS": "c6011f", "CHC": "0e3386",
    "CHW": "000000", "CIN": "c6011f", "CLE": "002b5c", "COL": "33006f", "DET": "0a2240",
    "HOU": "002d62", "KC": "004687", "LAA": "ba0021", "LAD": "005a9c", "MIA": "00a3e0",
    "MIL": "13294b", "MIN": "031f40", "NYM": "002d72", "NYY": "132448", "ATH": "003831",
    "PHI": "e81828", "PIT": "111111", "SD": "2f241d", "SF": "fd5a1e", "SEA": "005c5c",
    "STL": "be0a14", "TB": "092c5c", "TEX": "003278", "TOR": "134a8e", "WSH": "ab0003",
}


def espn_mlb(abbreviation: str) -> str:
    return MLB_ESPN_ABBREVIATIONS.get(abbreviation, abbreviation)


def mlb_logo(abbreviation: str) -> str:
    return f"https://a.espncdn.com/i/teamlogos/mlb/500/scoreboard/{abbreviation.lower()}.png"


def nfl_logo(abbreviation: str) -> str:
    return f"https://a.espncdn.com/i/teamlogos/nfl/500/scoreboard/{abbreviation.lower()}.png"
