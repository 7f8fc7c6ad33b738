// What each message type looks like as a tile (payload shapes: PROTOCOL
// section 6 and docs/payloads.md). Every field is optional: a renderer reads
// defensively and shows a placeholder for what is missing or malformed. A
// renderer that still throws is caught by the board, which shows the tile
// as unreadable instead of stopping the page.

import { PLACEHOLDER, h, isObject, list, measure, num, svg, text } from "./dom.js";
import { moonIcon, weatherIcon } from "./icons.js";
import { clock, dayClock, dayOf, hourLabel, knownZone, parseTime, relative } from "./timefmt.js";

/** The types the dashboard has a tile for, in board order: short tiles share a row,
 * list tiles share the next, so a row's height is not set by one long list. */
export const KNOWN_TYPES = ["Weather", "AQI", "Moon", "GitHub", "Calendar", "Events", "MLB", "NFL"];
const MAX_AGENDA = 6;
const MAX_GAMES = 6;

export const TITLES = {
  Weather: "Weather",
  AQI: "Air quality",
  Moon: "Sun & Moon",
  Calendar: "Calendar",
  Events: "Family events",
  GitHub: "GitHub",
  MLB: "MLB",
  NFL: "NFL",
  Apps: "Apps",
  Settings: "Household settings",
};

/** The tile's heading: our title for a known type, else the type itself. */
export function titleOf(type) {
  return Object.hasOwn(TITLES, type) ? TITLES[type] : type;
}

const WIDE = new Set(["Weather"]);

export function isWide(type) {
  return WIDE.has(type);
}

// ---------- the household's settings ----------

const UNITS = ["imperial", "metric"];
const CLOCKS = ["12h", "24h"];

/** What the tiles follow of the household's settings (the `Settings` envelope's values,
 * as the API server publishes them): { units, clock, timezone }, each only when it is
 * one this page can use. */
export function householdPrefs(values) {
  const v = isObject(values) ? values : {};
  const prefs = {};
  if (UNITS.includes(v.units)) prefs.units = v.units;
  if (CLOCKS.includes(v.clock)) prefs.clock = v.clock;
  const zone = knownZone(v.timezone);
  if (zone) prefs.timezone = zone;
  return prefs;
}

let household = {};

/** Remember the household's settings (the `Settings` envelope's values) for tiles drawn
 * without `settings` in their context; true when that changes what the tiles show (the
 * board then draws them all again). */
export function setHousehold(values) {
  const next = householdPrefs(values);
  const changed = JSON.stringify(next) !== JSON.stringify(household);
  household = next;
  return changed;
}

/** The units a message's numbers are in: its own `units`, else the household's, else
 * imperial (what producers without the field send). */
export function unitsOf(values, prefs = {}) {
  if (isObject(values) && UNITS.includes(values.units)) return values.units;
  return prefs.units ?? "imperial";
}

// ---------- Weather ----------

export function wind(speed, dir, gust, units = "imperial") {
  const s = num(speed);
  if (s === null) return PLACEHOLDER;
  const g = num(gust);
  const from = typeof dir === "string" && dir ? `${dir} ` : "";
  const unit = units === "metric" ? "km/h" : "mph";
  return `${from}${Math.round(s)} ${unit}${g ? `, gusts ${Math.round(g)}` : ""}`;
}

function sparkline(hours, nowMs, prefs) {
  const points = list(hours)
    .slice(0, 24)
    .map((hour) => (isObject(hour) ? num(hour.temp) : null));
  const known = points.filter((p) => p !== null);
  if (known.length < 2) return null;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const span = hi - lo || 1;
  const w = 240;
  const ht = 40;
  const step = w / (points.length - 1);
  const coords = [];
  points.forEach((p, i) => {
    if (p !== null) coords.push(`${(i * step).toFixed(1)},${(ht - 4 - ((p - lo) / span) * (ht - 8)).toFixed(1)}`);
  });
  const first = isObject(hours[0]) ? parseTime(hours[0].time) : null;
  return h(
    "figure",
    { class: "spark" },
    svg(
      "svg",
      { viewBox: `0 0 ${w} ${ht}`, preserveAspectRatio: "none", role: "img", "aria-label": "temperature, next 24 hours" },
      svg("polyline", { points: coords.join(" "), class: "spark-line" }),
    ),
    h(
      "figcaption",
      {},
      h("span", {}, first !== null && first <= nowMs + 3600e3 ? "now" : clock(first, false, prefs)),
      h("span", {}, `${Math.round(lo)}\u00b0 \u2013 ${Math.round(hi)}\u00b0 next 24 h`),
    ),
  );
}

function renderWeather(values, { now, prefs }) {
  const current = isObject(values?.current) ? values.current : {};
  const units = unitsOf(values, prefs);
  const desc = text(current.desc, "");
  const hero = h(
    "div",
    { class: "wx-now" },
    weatherIcon(current.wid, current.dn, desc),
    h("div", { class: "wx-temp", "data-field": "temp" }, measure(current.temp, "\u00b0")),
    h(
      "div",
      { class: "wx-desc" },
      h("div", { class: "wx-summary" }, desc || PLACEHOLDER),
      h("div", {}, `Feels like ${measure(current.fl, "\u00b0")}`),
      h("div", {}, `Humidity ${measure(current.humid, "%")}`),
      h("div", { "data-field": "wind" }, `Wind ${wind(current.windSpeed, current.windDir, current.windGust, units)}`),
    ),
  );
  const days = list(values?.forecast).slice(0, 8).map((day) => {
    const d = isObject(day) ? day : {};
    return h(
      "li",
      { class: "wx-day" },
      h("span", { class: "wx-day-name" }, text(d.day)),
      weatherIcon(d.wid, "d", text(d.desc, "")),
      h("span", { class: "wx-hi" }, measure(d.hi, "\u00b0")),
      h("span", { class: "wx-lo" }, measure(d.lo, "\u00b0")),
      h("span", { class: "wx-pop" }, num(d.pop) ? `${Math.round(num(d.pop))}%` : ""),
    );
  });
  const hours = list(values?.hourly)
    .slice(1, 13)
    .filter((_, i) => i % 2 === 0)
    .map((hour) => {
      const x = isObject(hour) ? hour : {};
      return h(
        "li",
        { class: "wx-hour" },
        h("span", {}, hourLabel(parseTime(x.time), prefs)),
        weatherIcon(x.wid, x.dn, text(x.desc, "")),
        h("span", {}, measure(x.temp, "\u00b0")),
      );
    });
  return [
    hero,
    days.length ? h("ol", { class: "wx-days" }, days) : h("p", { class: "muted" }, "No forecast"),
    h("div", { class: "wx-later" }, hours.length ? h("ol", { class: "wx-hours" }, hours) : null, sparkline(values?.hourly, now, prefs)),
  ];
}

// ---------- AQI ----------

/** "(0,228,0)" or "rgb(0,228,0)" -> "rgb(0, 228, 0)", else null. */
export function aqiColor(value) {
  if (typeof value !== "string") return null;
  const m = /^\s*(?:rgb)?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)\s*$/i.exec(value);
  if (!m) return null;
  const rgb = m.slice(1, 4).map(Number);
  if (rgb.some((c) => c > 255)) return null;
  return `rgb(${rgb.join(", ")})`;
}

function renderAQI(values, { prefs }) {
  const v = isObject(values) ? values : {};
  const color = aqiColor(v.color);
  const score = num(v.aqi_score);
  const measured = parseTime(v.date_time_at ?? v.date_time); // the ISO one when sent
  return [
    h(
      "div",
      { class: "aqi" },
      h(
        "div",
        { class: "aqi-score", style: color ? { "--aqi": color } : {}, "data-field": "aqi_score" },
        score === null ? PLACEHOLDER : String(Math.round(score)),
      ),
      h(
        "div",
        {},
        h("div", { class: "aqi-adjective" }, text(v.aqi_adjective)),
        h("div", { class: "muted" }, `Main pollutant: ${text(v.main_pollutant)}`),
        h("div", { class: "muted" }, measured === null ? "" : `Measured ${clock(measured, false, prefs)}`),
      ),
    ),
  ];
}

// ---------- Moon ----------

/** "04:31 PM" or "16:31" written again as `prefs.clock` says; as it was otherwise (an
 * older producer's text, in its own zone: only the 12/24 h can follow). */
export function reclock(words, prefs = {}) {
  const m = /^(\d{1,2}):(\d{2})(?:\s*([AaPp])[Mm])?$/.exec(words.trim());
  if (!m || !prefs.clock) return words;
  let hour = Number(m[1]);
  const minute = m[2];
  if (m[3]) {
    if (hour < 1 || hour > 12) return words;
    hour = (hour % 12) + (m[3].toUpperCase() === "P" ? 12 : 0);
  }
  if (hour > 23 || Number(minute) > 59) return words;
  if (prefs.clock === "24h") return `${String(hour).padStart(2, "0")}:${minute}`;
  return `${hour % 12 || 12}:${minute} ${hour < 12 ? "AM" : "PM"}`;
}

/** "Sunset:   04:31 PM" -> ["Sunset", "4:31 PM"]; the time from `at` (ISO with
 * offset) when sent, in the household's zone (else the browser's) rather than the
 * producer's. */
function splitEvent(value, at, prefs) {
  if (typeof value !== "string" || !value.trim()) return [PLACEHOLDER, ""];
  const m = /^\s*([^:]+):\s*(.*)$/.exec(value);
  const moment = parseTime(at);
  if (m && moment !== null) return [m[1].trim(), clock(moment, false, prefs)];
  return m ? [m[1].trim(), reclock(m[2].trim(), prefs)] : [value.trim(), ""];
}

function renderMoon(values, { prefs }) {
  const v = isObject(values) ? values : {};
  const [sunLabel, sunTime] = splitEvent(v.sunevent, v.sunevent_at, prefs);
  const [moonLabel, moonTime] = splitEvent(v.moonevent, v.moonevent_at, prefs);
  return [
    h(
      "div",
      { class: "moon" },
      moonIcon(v.phase),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Illuminated"),
        h("dd", { "data-field": "illumstr" }, text(v.illumstr)),
        h("dt", {}, sunLabel),
        h("dd", {}, sunTime || PLACEHOLDER),
        h("dt", {}, moonLabel),
        h("dd", {}, moonTime || PLACEHOLDER),
      ),
    ),
  ];
}

// ---------- Calendar and Events ----------

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar time and its day (epoch ms of that date's UTC midnight): all-day dates
 * stay the dates they are (no zone shift), a timed entry's day is the one in the
 * household's zone. */
function calendarTime(value, prefs) {
  if (typeof value !== "string") return null;
  const m = DATE_ONLY.exec(value.trim());
  if (m) {
    const [year, month, date] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    return { ms: new Date(year, month, date).getTime(), day: Date.UTC(year, month, date), allDay: true };
  }
  const ms = parseTime(value);
  return ms === null ? null : { ms, day: dayOf(ms, prefs), allDay: false };
}

/** "Today", "Tomorrow", "Friday" or "Mon, Dec 8" for a day (as from `dayOf`). */
function dayLabel(day, today) {
  const diff = Math.round((day - today) / 86400e3);
  const date = new Date(day);
  if (diff === 0) return "Today";
  if (diff === 1) return "Tomorrow";
  if (diff > 1 && diff < 7) return date.toLocaleDateString([], { weekday: "long", timeZone: "UTC" });
  return date.toLocaleDateString([], { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
}

function renderAgenda(values, { now, prefs }) {
  const entries = list(values);
  if (entries.length === 0 || typeof entries[0] === "string") {
    return [h("p", { class: "muted empty" }, typeof entries[0] === "string" ? entries[0] : "No events")];
  }
  const items = entries.slice(0, MAX_AGENDA).map((entry) => {
    const [summary, start, end] = Array.isArray(entry) ? entry : [];
    const s = calendarTime(start, prefs);
    const e = calendarTime(end, prefs);
    const today = dayOf(now, prefs);
    let when = PLACEHOLDER;
    if (s) {
      when = dayLabel(s.day, today);
      if (!s.allDay) when += ` ${clock(s.ms, false, prefs)}`;
      else if (e?.allDay && e.day - s.day > 86400e3 * 1.5) {
        when += ` \u2013 ${dayLabel(e.day - 86400e3, today)}`;
      }
    }
    const happening = s && e && s.ms <= now && now < e.ms;
    return h(
      "li",
      { class: happening ? "now" : null },
      h("span", { class: "when" }, when),
      h("span", { class: "what" }, text(summary, "(untitled)")),
    );
  });
  const more = moreLine(entries.length, MAX_AGENDA);
  return [h("ul", { class: "agenda" }, items), more];
}

function moreLine(count, shown) {
  return count > shown ? h("p", { class: "muted more" }, `+${count - shown} more`) : null;
}

// ---------- GitHub ----------

function renderGitHub(values, { now }) {
  const v = isObject(values) ? values : {};
  const latest = text(v.latest_commit, "");
  const good = text(v.last_successful_commit, "");
  let state = typeof v.status === "string" ? v.status : "";
  if (!state && latest && good) state = latest === good ? "success" : "failure";
  const label = { success: "passing", failure: "failing", pending: "running" }[state] ?? "unknown";
  const date = parseTime(v.date);
  return [
    h(
      "div",
      { class: "gh" },
      h("div", { class: "gh-head" },
        h("span", { class: `badge ci-${label}`, "data-field": "ci" }, `CI ${label}`),
        h("span", { class: "muted" }, text(v.repo, "")),
      ),
      h("p", { class: "gh-message" }, text(v.commit_message)),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Latest"),
        h("dd", {}, h("code", {}, latest || PLACEHOLDER)),
        h("dt", {}, "Last green"),
        h("dd", {}, h("code", {}, good || PLACEHOLDER)),
        h("dt", {}, "Committed"),
        h("dd", {}, date === null ? PLACEHOLDER : relative(date, now)),
      ),
    ),
  ];
}

// ---------- MLB and NFL ----------

function team(side) {
  const t = isObject(side) ? side : {};
  return {
    abbr: text(t.team, "???"),
    name: text(t.name, ""),
    score: num(t.score),
    record: text(t.record, ""),
  };
}

function ordinal(n) {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] || s[v] || s[0]}`;
}

function gameRow(game, status, live, final, extra = null) {
  const away = team(game.away);
  const home = team(game.home);
  const showScore = live || final;
  const winner = final && away.score !== null && home.score !== null
    ? (away.score > home.score ? "away" : home.score > away.score ? "home" : "")
    : "";
  const side = (t, which) => h(
    "div",
    { class: `team-side ${winner === which ? "won" : ""}`, title: t.name },
    h("span", { class: "abbr" }, t.abbr),
    h("span", { class: "record muted" }, t.record),
    h("span", { class: "score" }, showScore ? (t.score === null ? PLACEHOLDER : String(t.score)) : ""),
  );
  return h(
    "li",
    { class: `game ${live ? "live" : final ? "final" : "pre"}` },
    h("div", { class: "teams" }, side(away, "away"), side(home, "home")),
    h("div", { class: "game-status" }, status, extra),
  );
}

/** Live games first, then those to come, then finals (start order within each). */
function gameList(rows) {
  const rank = (r) => (r.live ? 0 : r.final ? 2 : 1);
  const sorted = rows.map((r, i) => [r, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]);
  return [
    h("ul", { class: "games" }, sorted.slice(0, MAX_GAMES).map(([r]) => r.row)),
    moreLine(rows.length, MAX_GAMES),
  ];
}

// The published shape: status pre/in/post, the source's words in `detail`,
// `inningState` Top/Bot/Mid/End, `startTime`; our earlier words are read too.
const MLB_STATES = { "In Progress": "in", Final: "post", "Game Over": "post" };

function renderMLB(values, { prefs }) {
  const games = Array.isArray(values) ? values : list(values?.games);
  if (games.length === 0) return [h("p", { class: "muted empty" }, "No games today")];
  const rows = games.map((raw) => {
    const game = isObject(raw) ? raw : {};
    const words = text(game.detail ?? (MLB_STATES[game.status] ? game.status : ""), "");
    const state = ["pre", "in", "post"].includes(game.status)
      ? game.status : MLB_STATES[game.status] ?? "pre";
    const live = state === "in";
    const final = state === "post";
    let line = words || (final ? "Final" : PLACEHOLDER);
    if (live) {
      const inning = num(game.inning);
      const halfWord = text(game.inningState ?? "", "");
      const half = ["Top", "Bot", "Mid", "End"].includes(halfWord) ? halfWord
        : game.half === "bottom" ? "Bot" : game.half === "top" ? "Top" : "";
      const outs = num(game.outs);
      line = `${half} ${inning ? ordinal(inning) : ""}`.trim() || "Live";
      if (outs !== null) line += ` \u00b7 ${outs} out${outs === 1 ? "" : "s"}`;
    } else if (!final && ["Scheduled", "Pre-Game", "Warmup", ""].includes(words)) {
      const start = parseTime(game.start ?? game.startTime);
      if (start !== null) line = clock(start, false, prefs);
    }
    return { row: gameRow(mlbSides(game), line, live, final), live, final };
  });
  return gameList(rows);
}

/** The original's flat team keys as our `away`/`home` objects, where those are missing. */
function mlbSides(game) {
  const side = (which) => (isObject(game[which]) ? game[which] : {
    team: game[`${which}Abbreviation`],
    score: game[`${which}Score`],
    record: game[`${which}Record`],
  });
  return { ...game, away: side("away"), home: side("home") };
}

function renderNFL(values, { prefs }) {
  const games = list(isObject(values) ? values.events : values);
  if (games.length === 0) return [h("p", { class: "muted empty" }, "No games today")];
  const rows = games.map((raw) => {
    const game = isObject(raw) ? raw : {};
    const live = game.state === "in";
    const final = game.state === "post";
    const start = parseTime(game.start);
    let line = text(game.detail, "");
    if (game.state === "pre" && start !== null) {
      line = dayClock(start, prefs); // the producer's "Thu 8:20 PM" is in its own zone
    } else if (!line) {
      line = final ? "Final" : start !== null ? dayClock(start, prefs) : PLACEHOLDER;
    }
    const ball = live && typeof game.possession === "string" && game.possession
      ? h("span", { class: "possession", title: "possession" }, ` \u25cf ${game.possession}`)
      : null;
    return { row: gameRow(game, line, live, final, ball), live, final };
  });
  return gameList(rows);
}

// ---------- apps pushed with PUT /apps/{name} ----------

const MAX_APPS = 16;
const HEX = /^#[0-9a-fA-F]{6}$/;
// A pushed picture is base64 of a PNG or a GIF (docs/apps.md); the first bytes say which.
const PICTURE_TYPES = [["iVBORw0KGgo", "image/png"], ["R0lGOD", "image/gif"]];
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_PICTURE = 12000;

function hex(value) {
  return typeof value === "string" && HEX.test(value) ? value : null;
}

/** A data: URL for a pushed picture, or null for anything that is not base64 of a PNG or
 * GIF (the panel draws the "unknown" cloud for those). */
export function pictureUrl(value) {
  if (typeof value !== "string" || value.length > MAX_PICTURE || !BASE64.test(value)) return null;
  const found = PICTURE_TYPES.find(([start]) => value.startsWith(start));
  return found ? `data:${found[1]};base64,${value}` : null;
}

function appChart(chart) {
  const c = isObject(chart) ? chart : {};
  const values = list(c.values).slice(0, 64).map((v) => (typeof v === "number" && Number.isFinite(v) ? v : null));
  const known = values.filter((v) => v !== null);
  if (known.length === 0) return null;
  const low = Math.min(0, ...known);
  const high = Math.max(...known);
  const span = high - low || 1;
  const width = values.length;
  const y = (v) => 20 - ((v - low) / span) * 20;
  const color = hex(c.color) ?? "var(--accent)";
  const parts = [];
  if (c.kind === "bars") {
    values.forEach((v, i) => {
      if (v !== null) parts.push(svg("rect", { x: i + 0.1, y: y(v), width: 0.8, height: 20 - y(v), fill: color }));
    });
  } else {
    let run = [];
    const flush = () => {
      if (run.length > 1) parts.push(svg("polyline", { points: run.join(" "), class: "app-line", stroke: color }));
      run = [];
    };
    values.forEach((v, i) => (v === null ? flush() : run.push(`${i + 0.5},${y(v).toFixed(2)}`)));
    flush();
  }
  return svg("svg", { class: "app-chart", viewBox: `0 0 ${width} 20`, preserveAspectRatio: "none",
                      role: "img", "aria-label": `chart of ${known.length} values` }, ...parts);
}

/** The apps on the panels now: each with its words, picture, bar and chart, and when it
 * goes. An app past its `expires` is left out (the tile is drawn again then). */
function renderApps(values, { now }) {
  const apps = (isObject(values) ? list(values.apps) : []).slice(0, MAX_APPS)
    .filter((a) => isObject(a) && typeof a.name === "string" && a.name
      && typeof a.expires === "number" && a.expires > now);
  if (apps.length === 0) return [h("p", { class: "muted empty" }, "No apps showing")];
  const rows = apps.map((a) => {
    const words = typeof a.text === "string" && a.text ? [a.text]
      : list(a.lines).filter((l) => typeof l === "string").slice(0, 4);
    const picture = pictureUrl(a.image);
    const progress = typeof a.progress === "number" && Number.isFinite(a.progress)
      ? Math.min(100, Math.max(0, a.progress)) : null;
    const color = hex(a.color);
    return h(
      "li",
      { class: "app", "data-app": a.name },
      picture ? h("img", { class: "app-picture", src: picture, alt: "" }) : null,
      h("div", { class: "app-main" },
        h("div", { class: "app-head" },
          h("span", { class: "app-name" }, a.name),
          h("span", { class: "muted app-gone" }, `gone ${relative(a.expires, now)}`)),
        words.map((w) => h("p", { class: "app-text", style: color ? { color } : null }, w)),
        progress === null ? null : h("div", { class: "app-bar", role: "progressbar",
                                              "aria-valuenow": String(progress) },
          h("span", { style: { width: `${progress}%`,
                               background: hex(a.progress_color) ?? "var(--ok)" } })),
        appChart(a.chart)),
    );
  });
  const next = Math.min(...apps.map((a) => a.expires));
  return [h("ul", { class: "apps", "data-redraw-at": String(next) }, rows)];
}

// ---------- the household's settings themselves ----------

/** What the displays follow; the Wi-Fi code holds the network's password: only "set". */
function renderSettings(values) {
  const v = isObject(values) ? values : {};
  const teams = (value) => (Array.isArray(value) && value.length
    ? value.filter((t) => typeof t === "string").join(", ") : PLACEHOLDER);
  const rows = [
    ["Place", text(v.place)],
    ["Time zone", text(v.timezone)],
    ["Units", text(v.units)],
    ["Clock", text(v.clock)],
    ["MLB", teams(v.mlb_teams)],
    ["NFL", teams(v.nfl_teams)],
    ["Wi-Fi QR", typeof v.wifi_qr === "string" && v.wifi_qr ? "set" : PLACEHOLDER],
  ];
  return [h("dl", { class: "facts" }, rows.map(([k, value]) => [h("dt", {}, k), h("dd", {}, value)]))];
}

// ---------- anything else ----------

function short(value) {
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 77)}...` : value;
  const json = JSON.stringify(value);
  if (json === undefined) return PLACEHOLDER;
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

export function renderGeneric(values) {
  if (isObject(values)) {
    const entries = Object.entries(values).slice(0, 10);
    if (entries.length === 0) return [h("p", { class: "muted empty" }, "(empty)")];
    return [
      h("dl", { class: "facts generic" }, entries.map(([k, v]) => [h("dt", {}, k), h("dd", {}, short(v))])),
    ];
  }
  if (Array.isArray(values)) {
    return [h("ul", { class: "generic-list" }, values.slice(0, 10).map((v) => h("li", {}, short(v))))];
  }
  return [h("p", { class: "generic-value" }, short(values))];
}

const RENDERERS = {
  Weather: renderWeather,
  AQI: renderAQI,
  Moon: renderMoon,
  Calendar: renderAgenda,
  Events: renderAgenda,
  GitHub: renderGitHub,
  MLB: renderMLB,
  NFL: renderNFL,
  Apps: renderApps,
  Settings: renderSettings,
};

/** The nodes of a tile's body for `envelope`; may throw on truly odd input. `ctx`:
 * { now, settings? }, `settings` the `Settings` envelope's values (else those given to
 * `setHousehold`): units, 12/24 h and the zone the tiles follow. */
export function renderBody(type, envelope, ctx = {}) {
  // Own properties only: a type may be named "constructor" or "__proto__".
  const render = Object.hasOwn(RENDERERS, type) ? RENDERERS[type] : renderGeneric;
  const prefs = ctx.settings !== undefined ? householdPrefs(ctx.settings) : household;
  return render(envelope?.values, { ...ctx, now: ctx.now ?? Date.now(), prefs });
}
