// The panel mirror: the server renders a page with the matrix client's own
// page code (GET /preview/{page}.png); we show it and fetch it again when a
// type the page reads changes, and when its picture expires by the clock
// (the X-Page-TTL header).

import { h } from "./dom.js";

const PAGE_KEY = "glanceboard.mirrorPage";
const SIZE_KEY = "glanceboard.mirrorSize";
const MAX_WAIT_S = 300; // refresh at least this often, whatever the ttl
const DEBOUNCE_MS = 250; // a burst of updates -> one fetch

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage blocked: the choice lasts for this visit
  }
}

function recall(key) {
  try {
    return localStorage.getItem(key) || "";
  } catch {
    return "";
  }
}

export class Mirror {
  constructor(els, base, onPages) {
    this.els = els;
    this.base = base;
    this.onPages = onPages;
    this.pages = [];
    this.timer = null;
    this.inFlight = false;
    this.again = false;
    this.objectUrl = null;
    els.page.addEventListener("change", () => {
      remember(PAGE_KEY, els.page.value);
      this.refresh();
    });
    els.size.addEventListener("change", () => {
      remember(SIZE_KEY, els.size.value);
      this.refresh();
    });
  }

  /** Read the page and size lists from the server, then show the chosen page. */
  async load() {
    try {
      const response = await fetch(new URL("preview/pages", this.base), { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      this.pages = Array.isArray(body?.pages) ? body.pages.filter((p) => typeof p?.name === "string") : [];
      const sizes = Array.isArray(body?.sizes) ? body.sizes.filter((s) => typeof s === "string") : [];
      this.fill(this.els.page, this.pages.map((p) => [p.name, p.title || p.name]), recall(PAGE_KEY));
      this.fill(this.els.size, sizes.map((s) => [s, s.replace("x", " \u00d7 ")]), recall(SIZE_KEY) || body?.default_size);
      this.onPages(this.pages);
      if (this.pages.length === 0) {
        this.caption("The server has no pages to mirror.", "error");
        return;
      }
      this.refresh();
    } catch (error) {
      this.caption(`Panel mirror unavailable: ${error?.message || error}`, "error");
    }
  }

  fill(select, options, preferred) {
    select.replaceChildren(...options.map(([value, label]) => h("option", { value }, label)));
    if (options.some(([value]) => value === preferred)) select.value = preferred;
  }

  page() {
    return this.pages.find((p) => p.name === this.els.page.value);
  }

  /** Called with the types that changed in the state. */
  onTypes(types) {
    const page = this.page();
    if (!page) return;
    const reads = Array.isArray(page.types) ? page.types : ["*"];
    if (reads.includes("*") || types.some((t) => reads.includes(t))) this.schedule(DEBOUNCE_MS);
  }

  schedule(ms) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), ms);
  }

  async refresh() {
    const page = this.page();
    const size = this.els.size.value;
    if (!page || !size) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    clearTimeout(this.timer);
    let wait = MAX_WAIT_S;
    try {
      const url = new URL(`preview/${encodeURIComponent(page.name)}.png`, this.base);
      url.searchParams.set("size", size);
      const response = await fetch(url, { cache: "no-store" });
      if (!response.ok) {
        let detail = `HTTP ${response.status}`;
        try {
          const body = await response.json();
          if (typeof body?.detail === "string") detail = body.detail;
        } catch {
          // not JSON
        }
        throw new Error(detail);
      }
      const ttl = Number(response.headers.get("x-page-ttl"));
      if (Number.isFinite(ttl) && ttl > 0) wait = Math.min(MAX_WAIT_S, Math.max(1, ttl));
      const blob = await response.blob();
      const previous = this.objectUrl;
      this.objectUrl = URL.createObjectURL(blob);
      this.els.img.src = this.objectUrl;
      this.els.img.alt = `${page.title || page.name} as a ${size} panel shows it`;
      this.els.img.dataset.page = page.name;
      this.els.img.dataset.size = size;
      if (previous) URL.revokeObjectURL(previous);
      // A page that failed is drawn as the panel draws it (its error card); say why.
      const failed = response.headers.get("x-page-error");
      if (failed) this.caption(`${page.name} failed on the panel too: ${failed}`, "error");
      else this.caption(`${page.title || page.name} \u00b7 ${size}`, "ok");
    } catch (error) {
      this.caption(`Could not render ${page.name}: ${error?.message || error}`, "error");
      wait = 30;
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      this.schedule(0);
    } else {
      this.schedule(wait * 1000);
    }
  }

  caption(message, kind) {
    this.els.caption.textContent = message;
    this.els.caption.dataset.kind = kind;
  }
}
