// The SharedWorker that holds the browser's one stream and fans it out to
// every open dashboard tab (each tab is a MessagePort).

import { StreamCore } from "./stream-core.js";

const ports = new Set();

function broadcast(message) {
  for (const port of ports) {
    try {
      port.postMessage(message);
    } catch {
      ports.delete(port);
    }
  }
}

const core = new StreamCore({ emit: broadcast });

self.onconnect = (event) => {
  const port = event.ports[0];
  ports.add(port);
  port.onmessage = ({ data }) => {
    if (!data || typeof data !== "object") return;
    if (data.kind === "hello") {
      ports.add(port); // again, for a tab back from the back/forward cache
      core.start();
      port.postMessage({ ...core.snapshot(), mode: "shared-worker" });
    } else if (data.kind === "reload") {
      core.reload();
    } else if (data.kind === "bye") {
      // Ports never report their tab closing; tabs say goodbye on pagehide.
      ports.delete(port);
    }
  };
  port.start();
};
