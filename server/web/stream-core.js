// The one connection of a browser to the API server: read /state, then
// follow /events from that event id, reconnecting with backoff and resuming
// from the last id seen. It runs once per browser: in the SharedWorker, or in
// the leader tab where SharedWorker is missing (stream-client.js). It speaks
// to the tabs only through `emit(message)`:
//   {kind: "snapshot", state, eventId, status, serverOffsetMs, controls, rejected}
//   {kind: "update", envelope}
//   {kind: "control", command, args, at}
//   {kind: "status", status}
//   {kind: "rejected", rejected}   (messages turned away, by reason)
// It is where the browser first sees a message, so it checks each one with the
// protocol's rules and counts what it turns away by reason.

import { SseParser } from "./sse.js";
import { CONTROL_TYPE, StateStore, envelopeProblem, strictProblem } from "./state.js";

const DEAD_AFTER_MS = 45000; // PROTOCOL section 4: nothing read for 45 s -> reconnect
const MAX_DELAY_MS = 30000;
const KEEP_CONTROLS = 20;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class StreamCore {
  constructor({ emit, base = new URL(".", import.meta.url), deadAfterMs = DEAD_AFTER_MS }) {
    this.emit = emit;
    this.base = base;
    this.deadAfterMs = deadAfterMs;
    this.store = new StateStore();
    this.eventId = null;
    this.retryMs = 3000;
    this.failures = 0;
    this.serverOffsetMs = 0;
    this.controls = [];
    this.rejected = {};
    this.status = { state: "connecting", since: Date.now(), detail: "", retryAt: null };
    this.started = false;
    this.stopped = false;
    this.abort = null;
  }

  start() {
    if (this.started) return;
    this.started = true;
    this.run();
  }

  stop() {
    this.stopped = true;
    this.abort?.abort();
    this.setStatus("stopped", "");
  }

  snapshot() {
    return {
      kind: "snapshot",
      state: this.store.toObject(),
      eventId: this.eventId,
      status: this.status,
      serverOffsetMs: this.serverOffsetMs,
      controls: this.controls,
      rejected: this.rejected,
    };
  }

  /** The server's clock, which the ts window is measured against. */
  now() {
    return Date.now() + this.serverOffsetMs;
  }

  /** Count one message turned away; the console hears of each reason once. */
  reject(reason, detail) {
    const count = (this.rejected[reason] ?? 0) + 1;
    this.rejected = { ...this.rejected, [reason]: count };
    if (count === 1) console.warn(`rejected a message (${reason})`, String(detail).slice(0, 80));
    this.emit({ kind: "rejected", rejected: this.rejected });
  }

  /** The envelopes of a /state answer that pass the rules; the rest are counted. */
  checked(state) {
    const kept = [];
    for (const [type, value] of Object.entries(state ?? {})) {
      const problem = envelopeProblem(value, this.now());
      if (problem) this.reject(problem, type);
      else kept.push([type, value]);
    }
    // fromEntries defines "__proto__" as a type like any other; assignment would not.
    return Object.fromEntries(kept);
  }

  setStatus(state, detail, retryAt = null) {
    this.status = { state, since: Date.now(), detail, retryAt };
    this.emit({ kind: "status", status: this.status });
  }

  async run() {
    let needState = true;
    while (!this.stopped) {
      let detail;
      try {
        if (needState) {
          await this.loadState();
          needState = false;
        }
        detail = await this.follow();
      } catch (error) {
        detail = error?.message || String(error);
      }
      if (this.stopped) break;
      this.failures += 1;
      const delay = this.delay();
      this.setStatus("reconnecting", detail, Date.now() + delay);
      await sleep(delay);
    }
  }

  /** The server's retry hint, doubled per failure in a row, capped, with jitter. */
  delay() {
    const exp = Math.min(MAX_DELAY_MS, this.retryMs * 2 ** Math.min(this.failures - 1, 5));
    return Math.round(exp * (0.75 + Math.random() * 0.5));
  }

  url(path) {
    return new URL(path, this.base);
  }

  async loadState() {
    const response = await fetch(this.url("state"), { cache: "no-store" });
    if (!response.ok) throw new Error(`GET /state answered ${response.status}`);
    const body = await response.json();
    if (body === null || typeof body !== "object" || typeof body.state !== "object") {
      throw new Error("GET /state: no state object in the answer");
    }
    const serverDate = Date.parse(response.headers.get("date") ?? "");
    // The Date header has one-second resolution: ignore differences below that.
    const offset = Number.isFinite(serverDate) ? serverDate - Date.now() : 0;
    this.serverOffsetMs = Math.abs(offset) > 2000 ? offset : 0;
    this.store.merge(this.checked(body.state));
    if (typeof body.event_id === "string" && body.event_id) this.eventId = body.event_id;
    this.emit(this.snapshot());
  }

  /** Re-read /state (the `reload` command, or a user's click); the stream stays open. */
  async reload() {
    try {
      await this.loadState();
    } catch (error) {
      console.warn("reload failed", error);
    }
  }

  /** One connection to /events; resolves with why it ended. */
  async follow() {
    const controller = new AbortController();
    this.abort = controller;
    const url = this.url("events");
    if (this.eventId) url.searchParams.set("last_event_id", this.eventId);
    let lastRead = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - lastRead > this.deadAfterMs) {
        controller.abort(new Error(`no data for ${Math.round(this.deadAfterMs / 1000)} s`));
      }
    }, Math.min(5000, this.deadAfterMs / 3));
    try {
      const response = await fetch(url, {
        headers: { Accept: "text/event-stream" },
        cache: "no-store",
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        let why = `GET /events answered ${response.status}`;
        try {
          const body = await response.json();
          if (body?.detail) why += `: ${body.detail}`;
        } catch {
          // not JSON: the status says enough
        }
        return why;
      }
      this.failures = 0;
      this.setStatus("live", "");
      const parser = new SseParser(
        (event) => this.onEvent(event),
        (ms) => {
          this.retryMs = Math.max(500, ms);
        },
      );
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return "the server closed the stream";
        lastRead = Date.now();
        parser.feed(value);
      }
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof Error) {
        return controller.signal.reason.message;
      }
      return error?.message || String(error);
    } finally {
      clearInterval(watchdog);
      controller.abort();
      this.abort = null;
    }
  }

  onEvent(event) {
    if (event.type !== "update" && event.type !== "message") return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      this.reject("not_json", event.data);
      return;
    }
    if (event.id) this.eventId = event.id;
    if (message && message.type === CONTROL_TYPE) {
      const problem = strictProblem(message);
      if (problem) {
        this.reject(problem, event.data);
        return;
      }
      const control = {
        kind: "control",
        command: String(message.command ?? ""),
        args: message.args && typeof message.args === "object" ? message.args : {},
        at: Date.now(),
      };
      this.controls = [control, ...this.controls].slice(0, KEEP_CONTROLS);
      this.emit(control);
      if (control.command === "reload") this.reload();
      return;
    }
    const problem = envelopeProblem(message, this.now());
    if (problem) {
      this.reject(problem, event.data);
      return;
    }
    if (this.store.apply(message)) this.emit({ kind: "update", envelope: message });
  }
}
