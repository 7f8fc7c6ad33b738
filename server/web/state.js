// The state as the dashboard holds it: type -> envelope, with the ordering
// rule of PROTOCOL section 1 (an older `ts` than the one held is dropped;
// without `ts`, arrival order decides).

import { parseTime } from "./timefmt.js";

export const CONTROL_TYPE = "webcontrol";
// No "m" flag: ^ and $ are the ends of the whole string, never of a line.
const TYPE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const REQUIRED = ["type", "values", "updated", "valid"];
const MAX_DEPTH = 64;
// PROTOCOL section 1: a ts more than a day ahead of the receiver's clock is rejected;
// a clock before 2024 is not set yet, and the check waits for it.
export const MAX_FUTURE_MS = 24 * 3600 * 1000;
const CLOCK_FLOOR_MS = 1704067200000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function wellFormed(text) {
  return typeof text.isWellFormed === "function" ? text.isWellFormed() : !LONE_SURROGATE.test(text);
}

/** The first reason a decoded JSON value breaks the strict rules, or null. */
export function strictProblem(value) {
  const stack = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop();
    if (typeof item === "number") {
      // JSON.parse turns 1e400 into Infinity: a number no other part can hold.
      if (!Number.isFinite(item)) return "non_finite";
    } else if (typeof item === "string") {
      if (!wellFormed(item)) return "lone_surrogate";
    } else if (item !== null && typeof item === "object") {
      if (depth > MAX_DEPTH) return "too_deep";
      for (const [key, child] of Object.entries(item)) {
        if (!wellFormed(key)) return "lone_surrogate";
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

/**
 * Why `value` is not an envelope the protocol allows (a reason of PROTOCOL
 * section 1, the same labels the server counts), or null when it is one.
 */
export function envelopeProblem(value, nowMs = Date.now()) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not_object";
  const strict = strictProblem(value);
  if (strict) return strict;
  if (!REQUIRED.every((field) => field in value)) return "missing_field";
  if (typeof value.type !== "string" || !TYPE_PATTERN.test(value.type)) return "bad_type";
  if (value.values === null) return "null_values";
  if (parseTime(value.updated) === null || parseTime(value.valid) === null) return "bad_time";
  const ts = value.ts;
  if (ts !== undefined && ts !== null) {
    if (!Number.isInteger(ts) || ts < 0) return "bad_ts";
    if (nowMs >= CLOCK_FLOOR_MS && ts > nowMs + MAX_FUTURE_MS) return "future_ts";
  }
  return null;
}

/** Whether `value` looks like an envelope we can hold (the server validated it already). */
export function isEnvelope(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    typeof value.type === "string" &&
    TYPE_PATTERN.test(value.type)
  );
}

/** Whether `incoming` may replace `held` (same type). */
export function supersedes(incoming, held) {
  if (!held) return true;
  const a = incoming.ts;
  const b = held.ts;
  if (Number.isInteger(a) && Number.isInteger(b)) return a >= b;
  return true;
}

export class StateStore {
  constructor() {
    this.envelopes = new Map();
    this.listeners = new Set();
  }

  get(type) {
    return this.envelopes.get(type);
  }

  types() {
    return [...this.envelopes.keys()].sort();
  }

  toObject() {
    return Object.fromEntries(this.envelopes);
  }

  /** Fold one envelope in; returns true when it was taken. */
  apply(envelope) {
    if (!isEnvelope(envelope) || envelope.type === CONTROL_TYPE) return false;
    if (!supersedes(envelope, this.envelopes.get(envelope.type))) return false;
    this.envelopes.set(envelope.type, envelope);
    this.notify([envelope.type]);
    return true;
  }

  /** Fold a whole state object in (from /state or a snapshot); returns the types taken. */
  merge(state) {
    const changed = [];
    if (state === null || typeof state !== "object") return changed;
    for (const [type, envelope] of Object.entries(state)) {
      // /state keys by type; the envelope carries it too, but be lenient.
      const full = isEnvelope(envelope) ? envelope : { ...envelope, type };
      if (!isEnvelope(full) || full.type === CONTROL_TYPE) continue;
      if (!supersedes(full, this.envelopes.get(full.type))) continue;
      this.envelopes.set(full.type, full);
      changed.push(full.type);
    }
    if (changed.length) this.notify(changed);
    return changed;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(types) {
    for (const listener of this.listeners) {
      try {
        listener(types);
      } catch (error) {
        // One broken view must not stop the others from updating.
        console.error("state listener failed", error);
      }
    }
  }
}
