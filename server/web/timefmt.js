// The two envelope time formats (PROTOCOL section 1), parsed the way the
// Python side (glanceboard/timefmt.py) parses them: ISO 8601, or the older
// "MM/DD/YYYY h:mm[:ss] AM -0500". A time without a zone is UTC, as on the
// server (Date.parse would take it as local time, so we parse by hand).

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const LEGACY =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([AaPp][Mm])(?:\s+([+-]\d{2}):?(\d{2}))?$/;

function zoneMinutes(zone) {
  if (!zone || zone === "Z" || zone === "z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return NaN;
  return sign * (hours * 60 + minutes);
}

function build(year, month, day, hour, minute, second, millis, offsetMinutes) {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 31 Feb over into March: reject what does not round-trip.
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  if (Number.isNaN(offsetMinutes)) return null;
  return utc - offsetMinutes * 60000;
}

/** Epoch milliseconds of an envelope time string, or null when it is neither format. */
export function parseTime(text) {
  if (typeof text !== "string") return null;
  const s = text.trim();
  let m = ISO.exec(s);
  if (m) {
    const fraction = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
    return build(
      Number(m[1]), Number(m[2]), Number(m[3]),
      Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fraction,
      zoneMinutes(m[8]),
    );
  }
  m = LEGACY.exec(s);
  if (m) {
    let hour = Number(m[4]);
    if (hour < 1 || hour > 12) return null;
    const pm = m[7].toUpperCase() === "PM";
    hour = (hour % 12) + (pm ? 12 : 0);
    const zone = m[8] ? `${m[8]}${m[9]}` : null;
    return build(
      Number(m[3]), Number(m[1]), Number(m[2]),
      hour, Number(m[5]), Number(m[6] ?? 0), 0,
      zoneMinutes(zone),
    );
  }
  return null;
}

/** "just now", "5 min ago", "in 2 h", "3 d ago": short, for tile corners. */
export function relative(thenMs, nowMs) {
  if (thenMs == null || !Number.isFinite(thenMs)) return "unknown";
  const delta = Math.round((thenMs - nowMs) / 1000);
  const abs = Math.abs(delta);
  let text;
  if (abs < 45) return "just now";
  if (abs < 3600) text = `${Math.round(abs / 60)} min`;
  else if (abs < 86400 * 2) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86400)} d`;
  return delta < 0 ? `${text} ago` : `in ${text}`;
}

// ---------- formatting, in the household's zone and 12/24 h ----------
//
// `prefs` is the household's choice from the Settings envelope: { clock: "12h" | "24h",
// timezone: an IANA name }. Either may be missing: then the locale's habit and the
// browser's zone decide.

const zoneChecks = new Map();

/** `name` when this browser knows it as a time zone, else undefined (the browser's). */
export function knownZone(name) {
  if (typeof name !== "string" || !name || name.length > 64) return undefined;
  if (!zoneChecks.has(name)) {
    let ok = true;
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
    } catch {
      ok = false; // RangeError: not a zone this browser has
    }
    zoneChecks.set(name, ok);
  }
  return zoneChecks.get(name) ? name : undefined;
}

/** The Intl options `prefs` asks for: the zone, and h12 or h23 (h23 never says "24:05"). */
export function timeOptions(prefs = {}) {
  const options = {};
  const zone = knownZone(prefs?.timezone);
  if (zone) options.timeZone = zone;
  if (prefs?.clock === "24h") options.hourCycle = "h23";
  else if (prefs?.clock === "12h") options.hourCycle = "h12";
  return options;
}

/** Clock time: "4:55 PM" or "16:55" (as `prefs.clock` says, else the locale), in
 * `prefs.timezone` (else the browser's zone). */
export function clock(ms, withSeconds = false, prefs = {}) {
  if (ms == null || !Number.isFinite(ms)) return "--:--";
  const options = { hour: "numeric", minute: "2-digit", ...timeOptions(prefs) };
  if (prefs?.clock === "24h") options.hour = "2-digit";
  if (withSeconds) options.second = "2-digit";
  return new Date(ms).toLocaleTimeString([], options);
}

/** The short weekday of `ms` in the zone of `prefs`: "Sun". */
export function weekday(ms, prefs = {}, style = "short") {
  const zone = knownZone(prefs?.timezone);
  return new Date(ms).toLocaleDateString([], { weekday: style, ...(zone ? { timeZone: zone } : {}) });
}

/** Day and clock time: "Sun 4:05 PM" or "Sun 16:05" (a kickoff). */
export function dayClock(ms, prefs = {}) {
  if (ms == null || !Number.isFinite(ms)) return "--:--";
  return `${weekday(ms, prefs)} ${clock(ms, false, prefs)}`;
}

/** Just the hour, for hourly strips: "1 PM" or "13". */
export function hourLabel(ms, prefs = {}) {
  if (ms == null || !Number.isFinite(ms)) return "--";
  const options = { hour: "numeric", ...timeOptions(prefs) };
  if (prefs?.clock === "24h") options.hour = "2-digit";
  return new Date(ms).toLocaleTimeString([], options);
}

/** The calendar date of `ms` in the zone of `prefs`, as epoch ms of that date's UTC
 * midnight: two moments on the same local day give the same number. */
export function dayOf(ms, prefs = {}) {
  const zone = knownZone(prefs?.timezone);
  const parts = new Intl.DateTimeFormat("en-US", {
    year: "numeric", month: "numeric", day: "numeric", ...(zone ? { timeZone: zone } : {}),
  }).formatToParts(new Date(ms));
  const get = (type) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"));
}
