// The tab's end of the browser's one stream. Where SharedWorker exists the
// stream lives in the worker; otherwise tabs elect a leader with the Web
// Locks API (the lock is freed when its tab closes, so the next tab takes
// over) and the leader relays over a BroadcastChannel. Without either, the
// tab keeps its own stream.

import { StreamCore } from "./stream-core.js";

const CHANNEL = "glanceboard-stream";
const LOCK = "glanceboard-stream-leader";
const WORKER_START_MS = 8000;
const RELAYED = new Set(["snapshot", "update", "control", "status", "rejected"]);

/**
 * @param {(message: object) => void} onMessage  every stream message (stream-core.js)
 * @param {(mode: string) => void} onMode  "shared-worker", "leader", "follower" or "solo"
 * @returns {{reload: () => void}}
 */
export function openStream(onMessage, onMode) {
  const fallback = () =>
    typeof BroadcastChannel === "function" && navigator.locks?.request
      ? viaLeaderElection(onMessage, onMode)
      : solo(onMessage, onMode);
  if (typeof SharedWorker !== "function") return fallback();
  // A browser may have SharedWorker but not module workers: the worker then
  // fails to load (an error event, no message); fall back once if so.
  const handle = { reload: () => {} };
  let current;
  try {
    current = viaSharedWorker(onMessage, onMode, () => {
      current = fallback();
    });
  } catch (error) {
    console.warn("SharedWorker failed, falling back to leader election", error);
    current = fallback();
  }
  handle.reload = () => current.reload();
  return handle;
}

function viaSharedWorker(onMessage, onMode, onFailure) {
  const worker = new SharedWorker(new URL("./stream-worker.js", import.meta.url), {
    type: "module",
    name: "glanceboard-stream",
  });
  const port = worker.port;
  let heard = false;
  let failed = false;
  const giveUp = (why) => {
    if (heard || failed) return;
    failed = true;
    console.warn(`the stream worker failed to start (${why}); electing a leader tab instead`);
    port.close();
    onFailure();
  };
  port.onmessage = ({ data }) => {
    heard = true;
    onMessage(data);
  };
  worker.onerror = (event) => giveUp(event?.message || "error event");
  // A healthy worker answers "hello" at once; the error event is not always fired.
  setTimeout(() => giveUp(`no answer in ${WORKER_START_MS / 1000} s`), WORKER_START_MS);
  port.start();
  port.postMessage({ kind: "hello" });
  addEventListener("pagehide", () => port.postMessage({ kind: "bye" }));
  addEventListener("pageshow", (event) => {
    if (event.persisted) port.postMessage({ kind: "hello" });
  });
  onMode("shared-worker");
  return { reload: () => port.postMessage({ kind: "reload" }) };
}

function viaLeaderElection(onMessage, onMode) {
  const channel = new BroadcastChannel(CHANNEL);
  let core = null;
  channel.onmessage = ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (core) {
      if (data.kind === "hello") channel.postMessage(core.snapshot());
      else if (data.kind === "reload") core.reload();
    } else if (RELAYED.has(data.kind)) {
      onMessage(data);
    }
  };
  navigator.locks.request(LOCK, () => {
    core = new StreamCore({
      emit: (message) => {
        channel.postMessage(message);
        onMessage(message);
      },
    });
    onMode("leader");
    core.start();
    // Hold the lock for the life of the tab: closing it hands the stream over.
    return new Promise(() => {});
  });
  onMode("follower");
  onMessage({
    kind: "status",
    status: { state: "connecting", since: Date.now(), detail: "waiting for the leader tab" },
  });
  channel.postMessage({ kind: "hello" });
  return {
    reload: () => (core ? core.reload() : channel.postMessage({ kind: "reload" })),
  };
}

function solo(onMessage, onMode) {
  const core = new StreamCore({ emit: onMessage });
  onMode("solo");
  core.start();
  return { reload: () => core.reload() };
}
