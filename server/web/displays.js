// The displays that report themselves (GET /displays, docs/api.md): one row
// each with its panel, page, brightness, last report and whether it is online.
// Read every few seconds; the ids also fill the controls' "Send to" picker.
// A display's id opens its profile editor (profiles.js); under it, the profile
// version stored on the server and the one the display says it runs.

import { h, num, text } from "./dom.js";
import { clock } from "./timefmt.js";

const POLL_MS = 5000;

/** "profile v4, runs v3" from GET /displays' profile fields (absent on older servers). */
export function profileText(entry) {
  const stored = num(entry.profile_version);
  if (stored === null) return ""; // an API server without profiles
  // A display that reports no profile runs its local config.
  const applied = num(entry.profile_applied) ?? 0;
  const storedText = stored ? `profile v${stored}` : "local config";
  if (applied === stored) return storedText;
  return `${storedText}, runs ${applied ? `v${applied}` : "local"}`;
}

function panel(entry) {
  const w = num(entry.width);
  const h_ = num(entry.height);
  return w !== null && h_ !== null ? `${w}\u00d7${h_}` : text(null);
}

export class Displays {
  /**
   * @param {object} els  {table: the <tbody>, caption: a <p>}
   * @param {URL} base  the API's base URL
   * @param {(ids: string[]) => void} onIds  told the ids after each read
   * @param {(id: string, entry: object) => void} onEdit  a display's id was pressed
   */
  constructor(els, base, onIds, onEdit = () => {}) {
    this.els = els;
    this.base = base;
    this.onIds = onIds;
    this.onEdit = onEdit;
    this.onEntries = () => {};
    this.displays = [];
  }

  entry(id) {
    return this.displays.find((d) => d.id === id);
  }

  start() {
    this.load();
    setInterval(() => this.load(), POLL_MS);
  }

  async load() {
    try {
      const response = await fetch(new URL("displays", this.base), { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      this.displays = Array.isArray(body?.displays) ? body.displays.filter((d) => typeof d?.id === "string") : [];
      this.render();
      this.onIds(this.displays.map((d) => d.id));
      this.onEntries(this.displays);
    } catch (error) {
      this.els.caption.textContent = `Could not read the displays: ${error?.message || error}`;
      this.els.caption.dataset.kind = "error";
    }
  }

  render() {
    this.els.table.replaceChildren(
      ...this.displays.map((d) =>
        h(
          "tr",
          { "data-display": d.id, "data-online": d.online ? "yes" : "no" },
          h(
            "th",
            { scope: "row" },
            h("button", { type: "button", class: "link display-id", title: `Edit the profile of ${d.id}`,
              "data-edit-profile": d.id, onclick: () => this.onEdit(d.id, d) }, d.id),
            profileText(d) ? h("span", { class: "profile-state", "data-profile-state": d.id,
              "data-match": (num(d.profile_applied) ?? 0) === num(d.profile_version) ? "yes" : "no" },
            profileText(d)) : null,
          ),
          h("td", {}, panel(d)),
          h("td", {}, text(d.page)),
          h("td", {}, num(d.brightness) === null ? text(null) : `${num(d.brightness)} %`),
          h("td", {}, num(d.last_seen) === null ? text(null) : clock(num(d.last_seen), true)),
          h("td", { class: "online" }, d.online ? "online" : "offline"),
        ),
      ),
    );
    const online = this.displays.filter((d) => d.online).length;
    this.els.caption.textContent = this.displays.length
      ? `${online} of ${this.displays.length} online`
      : "No display has reported yet.";
    this.els.caption.dataset.kind = "info";
  }
}
