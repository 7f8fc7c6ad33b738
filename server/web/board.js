// The tile board: one tile per type, updated in place, each showing how
// fresh its data is (`valid` plus a grace in the past -> stale). `<Name>-Server`
// announcements go to a small status row instead of a tile.

import { h } from "./dom.js";
import { KNOWN_TYPES, isWide, renderBody, setHousehold, titleOf } from "./tiles.js";
import { clock, parseTime, relative } from "./timefmt.js";

const SERVER_SUFFIX = "-Server";
const RECENT_START_MS = 10 * 60 * 1000; // a producer (re)started this recently gets a bright dot
// Past `valid` by this much before a tile is stale: the next publish needs time
// to arrive, and clocks differ a little. The panel uses the same 30 s default.
export const STALE_GRACE_MS = 30 * 1000;

export function isServerType(type) {
  return type.endsWith(SERVER_SUFFIX) && type.length > SERVER_SUFFIX.length;
}

/** "fresh", "stale" or "unknown" (no readable `valid`) for an envelope at `nowMs`. */
export function freshness(envelope, nowMs) {
  const valid = parseTime(envelope?.valid);
  if (valid === null) return "unknown";
  return nowMs > valid + STALE_GRACE_MS ? "stale" : "fresh";
}

/** Set a tile's age label and fresh/stale style from its envelope. */
function freshen(tile, envelope, now) {
  const state = freshness(envelope, now);
  tile.element.dataset.freshness = state;
  const updated = parseTime(envelope.updated);
  const valid = parseTime(envelope.valid);
  const label = updated === null ? "updated: unknown" : `updated ${relative(updated, now)}`;
  tile.freshnessEl.textContent = state === "stale" ? `stale \u00b7 ${label}` : label;
  tile.freshnessEl.title = valid === null ? "no valid time" : `valid until ${clock(valid)}`;
}

export class Board {
  /**
   * @param {HTMLElement} tilesEl  where the tiles go
   * @param {HTMLElement} serversEl  the producers' status row (a list)
   * @param {import("./state.js").StateStore} store
   * @param {() => number} now  the server's clock, in ms
   * @param {URL | null} base  where the API server answers `view/{type}`: the tile's data in
   *   one shape whichever producer sent it (null: draw the message as it came)
   */
  constructor(tilesEl, serversEl, store, now, base = null) {
    this.tilesEl = tilesEl;
    this.serversEl = serversEl;
    this.store = store;
    this.now = now;
    this.base = base;
    this.tiles = new Map();
    this.chips = new Map();
    for (const type of KNOWN_TYPES) this.tile(type);
  }

  tile(type) {
    let tile = this.tiles.get(type);
    if (tile) return tile;
    const freshnessEl = h("span", { class: "freshness" }, "waiting for data");
    const body = h("div", { class: "tile-body" }, h("p", { class: "muted empty" }, "No data yet"));
    const known = KNOWN_TYPES.includes(type);
    const element = h(
      "section",
      {
        class: `tile${isWide(type) ? " wide" : ""}${known ? "" : " generic"}`,
        "data-type": type,
        "data-freshness": "empty",
        "aria-label": titleOf(type),
      },
      h("header", {}, h("h2", {}, titleOf(type)), freshnessEl),
      body,
    );
    tile = { element, body, freshnessEl };
    this.tiles.set(type, tile);
    this.tilesEl.append(element);
    return tile;
  }

  /** Re-render the given types (all held types when omitted). */
  update(types = this.store.types()) {
    // New household settings (units, clock, zone) change how every tile reads: redraw all.
    const settings = types.includes("Settings") ? this.store.get("Settings") : null;
    if (settings && setHousehold(settings.values)) types = this.store.types();
    for (const type of types) {
      const envelope = this.store.get(type);
      if (!envelope) continue;
      if (isServerType(type)) this.updateChip(type, envelope);
      else this.viewThenTile(type, envelope);
    }
    this.tick();
  }

  /** Draw the tile from the server's view of `envelope` (the message itself if that fails). */
  async viewThenTile(type, envelope) {
    let shown = envelope;
    if (this.base) {
      try {
        const answer = await fetch(new URL(`view/${encodeURIComponent(type)}`, this.base));
        const view = answer.ok ? await answer.json() : null;
        if (view && "values" in view) shown = { ...envelope, values: view.values };
      } catch (error) {
        console.warn(`tile ${type}: no view from the server, drawing the message`, error);
      }
      // A newer message arrived meanwhile: its own fetch draws it.
      if (this.store.get(type) !== envelope) return;
    }
    this.updateTile(type, shown);
  }

  updateTile(type, envelope, flash = true) {
    const tile = this.tile(type);
    tile.shown = envelope;
    let nodes;
    try {
      nodes = renderBody(type, envelope, { now: this.now(), envelope });
    } catch (error) {
      console.error(`tile ${type}: could not render`, error);
      nodes = [h("p", { class: "muted empty" }, "This data could not be shown")];
    }
    tile.body.replaceChildren(...nodes.flat().filter(Boolean));
    tile.element.dataset.ts = String(envelope.ts ?? "");
    // A tile made for a type first seen now has no age yet: the next tick is seconds away.
    freshen(tile, this.store.get(type) ?? envelope, this.now());
    if (!flash) return;
    // Restart the "just updated" glow.
    tile.element.classList.remove("flash");
    void tile.element.offsetWidth;
    tile.element.classList.add("flash");
  }

  updateChip(type, envelope) {
    let chip = this.chips.get(type);
    if (!chip) {
      const age = h("span", { class: "age" });
      const element = h(
        "li",
        { class: "server", "data-type": type },
        h("span", { class: "dot", "aria-hidden": "true" }),
        h("span", { class: "name" }, type.slice(0, -SERVER_SUFFIX.length)),
        age,
      );
      chip = { element, age };
      this.chips.set(type, chip);
      const after = [...this.chips.keys()].sort();
      this.serversEl.replaceChildren(...after.map((t) => this.chips.get(t).element));
    }
    const message = envelope.values?.message;
    chip.element.title = typeof message === "string" ? message : "";
  }

  /** Refresh every tile's freshness label and style (called each few seconds). */
  tick() {
    const now = this.now();
    for (const [type, tile] of this.tiles) {
      const envelope = this.store.get(type);
      if (!envelope) continue;
      // A tile whose picture changes by the clock (an app's lifetime ends) says when.
      const redraw = Number(tile.body.querySelector("[data-redraw-at]")?.dataset.redrawAt);
      if (tile.shown && redraw <= now) this.updateTile(type, tile.shown, false);
      else freshen(tile, envelope, now);
    }
    for (const [type, chip] of this.chips) {
      const envelope = this.store.get(type);
      const updated = parseTime(envelope?.updated);
      // An announcement says "started": what matters is how recently, not `valid`.
      chip.element.dataset.recent = String(updated !== null && now - updated < RECENT_START_MS);
      chip.age.textContent = updated === null ? "" : relative(updated, now);
    }
  }
}
