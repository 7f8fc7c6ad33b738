// The state as the dashboard holds it: type -> envelope, with the ordering
// rule of PROTOCOL section 1 (an older `ts` than the one held is dropped;
// without `ts`, arrival order decides).

export const CONTROL_TYPE = "webcontrol";
const TYPE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

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
