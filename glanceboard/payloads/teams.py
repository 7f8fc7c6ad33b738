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


# MLB Stats API team id by ESPN abbreviation: the MLB producer asks by id, people say
# "NYY". The ids are fixed by MLB (statsapi.mlb.com/api/v1/teams?sportId=1).
MLB_TEAM_IDS: dict[str, int] = {
    "ARI": 109, "ATL": 144, "BAL": 110, "BOS": 111, "CHC": 112, "CHW": 145, "CIN": 113,
    "CLE": 114, "COL": 115, "DET": 116, "HOU": 117, "KC": 118, "LAA": 108, "LAD": 119,
    "MIA": 146, "MIL": 158, "MIN": 142, "NYM": 121, "NYY": 147, "ATH": 133, "PHI": 143,
    "PIT": 134, "SD": 135, "SF": 137, "SEA": 136, "STL": 138, "TB": 139, "TEX": 140,
    "TOR": 141, "WSH": 120,
}

# ESPN's NFL abbreviations (the form the NFL producer and pages use).
NFL_TEAMS: frozenset[str] = frozenset({
    "ARI", "ATL", "BAL", "BUF", "CAR", "CHI", "CIN", "CLE", "DAL", "DEN", "DET", "GB",
    "HOU", "IND", "JAX", "KC", "LV", "LAC", "LAR", "MIA", "MIN", "NE", "NO", "NYG", "NYJ",
    "PHI", "PIT", "SF", "SEA", "TB", "TEN", "WSH",
})
# Other spellings people use for the same NFL teams.
NFL_ALIASES: dict[str, str] = {"WAS": "WSH", "JAC": "JAX", "LA": "LAR", "OAK": "LV",
                               "SD": "LAC", "STL": "LAR"}


class UnknownTeam(ValueError):
    """A team that is not one of the league's, with the list of those that are."""


def mlb_team(text: str | int) -> str:
    """An MLB team as its ESPN abbreviation, from that, MLB's own spelling (AZ, CWS, OAK)
    or the numeric MLB team id older configurations use."""
    raw = str(text).strip().upper()
    if raw.isdigit():
        for abbreviation, team_id in MLB_TEAM_IDS.items():
            if team_id == int(raw):
                return abbreviation
        raise UnknownTeam(f"no MLB team has the id {raw}")
    abbreviation = espn_mlb(raw)
    if abbreviation not in MLB_TEAM_IDS:
        raise UnknownTeam(f"{text!r} is not an MLB team; one of "
                          f"{', '.join(sorted(MLB_TEAM_IDS))}")
    return abbreviation


def nfl_team(text: str) -> str:
    """An NFL team as its ESPN abbreviation (a few other common spellings are accepted)."""
    raw = str(text).strip().upper()
    abbreviation = NFL_ALIASES.get(raw, raw)
    if abbreviation not in NFL_TEAMS:
        raise UnknownTeam(f"{text!r} is not an NFL team; one of {', '.join(sorted(NFL_TEAMS))}")
    return abbreviation
