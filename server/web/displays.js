// The displays that report themselves (GET /displays, docs/api.md): one row
// each with its panel, page, brightness, last report and whether it is online.
// Read every few seconds; the ids also fill the controls' "Send to" picker.

import { h, num, text } from "./dom.js";
import { clock } from "./timefmt.js";

const POLL_MS = 5000;

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
   */
  constructor(els, base, onIds) {
    this.els = els;
    this.base = base;
    this.onIds = onIds;
    this.displays = [];
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
          h("th", { scope: "row" }, d.id),
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
