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

/** Clock time in the browser's zone: "4:55 PM" (or 24 h, as the locale prefers). */
export function clock(ms, withSeconds = false) {
  if (ms == null || !Number.isFinite(ms)) return "--:--";
  const options = { hour: "numeric", minute: "2-digit" };
  if (withSeconds) options.second = "2-digit";
  return new Date(ms).toLocaleTimeString([], options);
}

/** Day and clock time in the browser's zone: "Sun 4:05 PM" (a kickoff). */
export function dayClock(ms) {
  if (ms == null || !Number.isFinite(ms)) return "--:--";
  return `${new Date(ms).toLocaleDateString([], { weekday: "short" })} ${clock(ms)}`;
}

/** Just the hour, for hourly strips: "1 PM" (or "13", as the locale prefers). */
export function hourLabel(ms) {
  if (ms == null || !Number.isFinite(ms)) return "--";
  return new Date(ms).toLocaleTimeString([], { hour: "numeric" });
}
