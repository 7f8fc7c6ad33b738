// The leagues' team abbreviations (ESPN's, as glanceboard/payloads/teams.py has
// them), offered while typing a favourite team. The server checks every team
// itself; a test keeps these lists equal to the Python ones.

export const MLB_TEAMS = [
  "ARI", "ATH", "ATL", "BAL", "BOS", "CHC", "CHW", "CIN", "CLE", "COL", "DET", "HOU", "KC",
  "LAA", "LAD", "MIA", "MIL", "MIN", "NYM", "NYY", "PHI", "PIT", "SD", "SEA", "SF", "STL", "TB",
  "TEX", "TOR", "WSH",
];

export const NFL_TEAMS = [
  "ARI", "ATL", "BAL", "BUF", "CAR", "CHI", "CIN", "CLE", "DAL", "DEN", "DET", "GB", "HOU",
  "IND", "JAX", "KC", "LAC", "LAR", "LV", "MIA", "MIN", "NE", "NO", "NYG", "NYJ", "PHI", "PIT",
  "SEA", "SF", "TB", "TEN", "WSH",
];

/** The abbreviations for a teams setting, by its name. */
export function leagueTeams(name) {
  if (name === "mlb_teams") return MLB_TEAMS;
  if (name === "nfl_teams") return NFL_TEAMS;
  return [];
}
