// The dashboard: wires the shared stream to the state, the tiles, the panel
// mirror and the controls. Nothing here may throw out of a message handler:
// one odd message must never stop the page.

import { Board } from "./board.js";
import { Controls } from "./controls.js";
import { Displays } from "./displays.js";
import { Mirror } from "./mirror.js";
import { ProfileEditor } from "./profiles.js";
import { SettingsPage, zoneNames } from "./settings.js";
import { StateStore } from "./state.js";
import { openStream } from "./stream-client.js";
import { clock } from "./timefmt.js";

const $ = (id) => document.getElementById(id);
const base = new URL(".", import.meta.url);
const root = document.documentElement;

let serverOffsetMs = 0;
const now = () => Date.now() + serverOffsetMs;

const store = new StateStore();
const board = new Board($("tiles"), $("servers"), store, now, base);
const controls = new Controls(
  {
    root: $("controls"),
    status: $("control-status"),
    history: $("control-history"),
    brightness: $("brightness"),
    brightnessValue: $("brightness-value"),
    pageForm: $("page-form"),
    pageSelect: $("page-select"),
    notifyForm: $("notify-form"),
    notifyText: $("notify-text"),
    notifySeconds: $("notify-seconds"),
    notifyLevel: $("notify-level"),
    notifyIcon: $("notify-icon"),
    notifyBlink: $("notify-blink"),
    forgetToken: $("forget-token"),
    tokenDialog: $("token-dialog"),
    tokenInput: $("token-input"),
    tokenNote: $("token-note"),
    toast: $("toast"),
    target: $("control-target"),
  },
  base,
);
const tokenEls = { tokenDialog: $("token-dialog"), tokenInput: $("token-input"), tokenNote: $("token-note") };
let pageNames = [];
const displays = new Displays(
  { table: $("displays-rows"), caption: $("displays-caption") },
  base,
  (ids) => controls.setTargets(ids),
  (id, entry) => profiles.open(id, entry),
);
const profiles = new ProfileEditor(
  {
    dialog: $("profile-dialog"),
    form: $("profile-form"),
    title: $("profile-display"),
    versions: $("profile-versions"),
    body: $("profile-body"),
    status: $("profile-status"),
    revert: $("profile-revert"),
    close: $("profile-close"),
    ...tokenEls,
  },
  base,
  () => pageNames,
  () => displays.load(),
);
// The editor's "display runs vN" follows the displays' reports while it is open.
displays.onEntries = (entries) => {
  if (profiles.els.dialog.open) profiles.update(entries.find((d) => d.id === profiles.display));
};
const settings = new SettingsPage(
  {
    root: $("settings-view"),
    form: $("settings-form"),
    groups: $("settings-groups"),
    status: $("settings-status"),
    version: $("settings-version"),
    reload: $("settings-reload"),
    ...tokenEls,
  },
  base,
);
const mirror = new Mirror(
  { img: $("mirror-img"), page: $("mirror-page"), size: $("mirror-size"), caption: $("mirror-caption") },
  base,
  (pages) => {
    pageNames = pages.map((p) => p.name);
    controls.setPages(pages);
  },
);

// Two views in one page: the dashboard, and the settings at #settings (a link
// that can be kept, and the browser's back button returns to the dashboard).
function route() {
  const onSettings = location.hash === "#settings";
  $("settings-view").hidden = !onSettings;
  $("dashboard-view").hidden = onSettings;
  $("servers").hidden = onSettings;
  $("nav-settings").hidden = onSettings;
  $("nav-dashboard").hidden = !onSettings;
  root.dataset.view = onSettings ? "settings" : "dashboard";
  if (onSettings) settings.load();
}
window.addEventListener("hashchange", route);
$("zone-names").replaceChildren(
  ...zoneNames().map((zone) => Object.assign(document.createElement("option"), { value: zone })),
);

store.subscribe((types) => {
  board.update(types);
  mirror.onTypes(types);
});

let status = { state: "connecting", detail: "", retryAt: null };
// Messages the stream turned away, by reason (stream-core.js): shown next to the
// connection state, so a misbehaving producer is visible without a console.
let rejected = {};

function showRejected() {
  const el = $("rejected");
  const reasons = Object.entries(rejected).sort(([a], [b]) => a.localeCompare(b));
  const total = reasons.reduce((sum, [, n]) => sum + n, 0);
  el.hidden = total === 0;
  el.textContent = `${total} rejected`;
  el.title = `Messages turned away by the protocol's rules: ${reasons
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ")}`;
  root.dataset.rejected = String(total);
}

function showStatus() {
  const el = $("connection");
  const label = {
    connecting: "Connecting\u2026",
    live: "Live",
    reconnecting: "Reconnecting",
    stopped: "Stopped",
  }[status.state] ?? status.state;
  let text = label;
  if (status.state === "reconnecting" && status.retryAt) {
    const seconds = Math.max(0, Math.round((status.retryAt - Date.now()) / 1000));
    text += seconds ? ` in ${seconds} s` : "\u2026";
  }
  el.querySelector(".label").textContent = text;
  el.title = status.detail || label;
  root.dataset.connection = status.state;
  // A background tab's title tells whether its data is still live.
  document.title = status.state === "live" ? "glanceboard" : `glanceboard (${label.toLowerCase()})`;
}

function onMessage(message) {
  try {
    switch (message?.kind) {
      case "snapshot":
        serverOffsetMs = Number(message.serverOffsetMs) || 0;
        store.merge(message.state);
        controls.setHistory(message.controls);
        if (message.status) status = message.status;
        if (message.rejected) rejected = message.rejected;
        showRejected();
        break;
      case "rejected":
        rejected = message.rejected ?? rejected;
        showRejected();
        break;
      case "update":
        store.apply(message.envelope);
        break;
      case "control":
        controls.received(message);
        break;
      case "status":
        status = message.status ?? status;
        // Back from a dropped connection: the picture may have changed meanwhile.
        if (status.state === "live") mirror.schedule(0);
        break;
      default:
        return;
    }
    showStatus();
  } catch (error) {
    console.error("could not handle a stream message", message, error);
  }
}

const stream = openStream(onMessage, (mode) => {
  root.dataset.stream = mode;
});

function everySecond() {
  $("clock").textContent = clock(now());
  showStatus();
}
everySecond();
setInterval(everySecond, 1000);
setInterval(() => board.tick(), 5000);
mirror.load();
displays.start();
route();

// For tests and the curious: the live state and stream mode.
window.glanceboard = { store, stream, mirror, displays, settings, profiles, rejected: () => rejected };
