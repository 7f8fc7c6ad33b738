// The profile editor of one display (GET/PUT/DELETE /displays/{id}/profile,
// docs/dashboard.md): its rotation (order, seconds, on/off, when, schedule
// windows), brightness schedule and time zone. A part left empty is not sent:
// the display uses its local config for it. The server checks the whole
// profile and answers every error by path ("rotation[2].seconds"), each shown
// next to its input.

import { h, isObject, list, num } from "./dom.js";
import { errorText } from "./controls.js";
import { NoToken, authorizedFetch } from "./token.js";

export const WHEN = [
  ["has_data", "when it has data"],
  ["always", "always"],
  ["fresh", "while its data is fresh"],
  ["favourite_live", "while a favourite team plays"],
  ["game_day", "on a favourite team's game day"],
];
export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DEFAULT_SECONDS = 10;

/** The editable model of a profile as the server sends it (missing parts: empty). */
export function modelOf(profile) {
  const p = isObject(profile) ? profile : {};
  return {
    version: num(p.version) ?? 0,
    updated: typeof p.updated === "string" ? p.updated : "",
    timezone: typeof p.timezone === "string" ? p.timezone : "",
    rotation: list(p.rotation).filter(isObject).map((e) => ({
      page: typeof e.page === "string" ? e.page : "",
      seconds: num(e.seconds) ?? DEFAULT_SECONDS,
      enabled: e.enabled !== false,
      when: typeof e.when === "string" ? e.when : "has_data",
      schedule: list(e.schedule).filter(isObject).map((w) => ({
        days: list(w.days).filter((d) => typeof d === "string"),
        from: typeof w.from === "string" ? w.from : "",
        to: typeof w.to === "string" ? w.to : "",
      })),
    })),
    brightness: list(p.brightness).filter(isObject).map((b) => ({
      at: typeof b.at === "string" ? b.at : "",
      percent: num(b.percent) ?? 100,
    })),
  };
}

/** The PUT body: only the parts that are set, with the version the edit started from. */
export function bodyOf(model) {
  const body = { version: model.version };
  if (model.timezone.trim()) body.timezone = model.timezone.trim();
  if (model.rotation.length) {
    body.rotation = model.rotation.map((e) => ({
      page: e.page,
      seconds: e.seconds,
      enabled: e.enabled,
      when: e.when,
      schedule: e.schedule.map((w) => ({ days: w.days, from: w.from, to: w.to })),
    }));
  }
  if (model.brightness.length) body.brightness = model.brightness.map((b) => ({ at: b.at, percent: b.percent }));
  return body;
}

/** Moves item `from` to `to` in place. */
function move(items, from, to) {
  if (from === to || from < 0 || to < 0 || from >= items.length || to >= items.length) return;
  const [item] = items.splice(from, 1);
  items.splice(to, 0, item);
}

/** "rotation[2].seconds", "rotation[2]", "rotation": where an error may be shown. */
export function* ancestors(path) {
  let current = String(path);
  while (current) {
    yield current;
    const parent = current.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (parent === current) return;
    current = parent;
  }
}

function errorSlot(path) {
  return h("span", { class: "path-error", "data-error-for": path, role: "alert", hidden: true });
}

export class ProfileEditor {
  /**
   * @param {object} els  {dialog, form, title, versions, body, status, revert, close, tokenDialog, tokenInput, tokenNote}
   * @param {URL} base  the API's base URL
   * @param {() => string[]} pageNames  the pages the server knows (for the page pickers)
   * @param {() => void} onSaved  told after a save or a revert (the displays list reloads)
   */
  constructor(els, base, pageNames, onSaved) {
    this.els = els;
    this.base = base;
    this.pageNames = pageNames;
    this.onSaved = onSaved;
    this.display = null;
    this.entry = {};
    this.model = modelOf({});
    this.dragFrom = -1;
    els.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    els.revert.addEventListener("click", () => this.revert());
    els.close.addEventListener("click", () => els.dialog.close());
  }

  url() {
    return new URL(`displays/${encodeURIComponent(this.display)}/profile`, this.base);
  }

  say(message, kind = "info") {
    this.els.status.textContent = message;
    this.els.status.dataset.kind = kind;
  }

  /** Open the editor on one display (its entry of GET /displays). */
  async open(id, entry) {
    this.display = id;
    this.entry = isObject(entry) ? entry : {};
    this.els.title.textContent = id;
    this.els.dialog.dataset.display = id;
    this.model = modelOf({});
    this.draw();
    if (!this.els.dialog.open) this.els.dialog.showModal();
    await this.load();
  }

  /** Entry of GET /displays changed (applied version): refresh the versions line. */
  update(entry) {
    if (isObject(entry)) this.entry = entry;
    this.drawVersions();
  }

  async load() {
    this.say("Loading the profile\u2026");
    try {
      const response = await fetch(this.url(), { cache: "no-store" });
      if (!response.ok) return this.say(`Could not read the profile: ${await errorText(response)}`, "error");
      this.model = modelOf(await response.json());
      this.draw();
      this.say(this.model.version ? "" : "No profile yet: the display runs its local config.");
    } catch (error) {
      this.say(`Could not read the profile: ${error?.message || error}`, "error");
    }
  }

  drawVersions() {
    const stored = this.model.version;
    // A display that reports no profile runs its local config.
    const applied = num(this.entry.profile_applied) ?? 0;
    const runs = applied === 0 ? "local config" : `v${applied}`;
    this.els.versions.replaceChildren(
      h("span", { "data-field": "stored" }, stored ? `stored v${stored}` : "no stored profile"),
      " \u00b7 ",
      h("span", { "data-field": "applied" }, `display runs ${runs}`),
    );
    this.els.versions.dataset.match = applied === stored ? "yes" : "no";
  }

  draw() {
    this.drawVersions();
    this.els.body.replaceChildren(this.zoneSection(), this.rotationSection(), this.brightnessSection());
  }

  zoneSection() {
    const input = h("input", {
      type: "text", id: "profile-timezone", list: "zone-names", autocomplete: "off",
      placeholder: "the display's local zone", "data-path": "timezone", spellcheck: "false",
    });
    input.value = this.model.timezone;
    input.addEventListener("input", () => { this.model.timezone = input.value; });
    return h("fieldset", { class: "profile-part", "data-part": "timezone" },
      h("legend", {}, "Time zone"),
      h("label", { class: "sr-only", for: "profile-timezone" }, "Time zone"),
      input, errorSlot("timezone"),
      h("p", { class: "help muted" }, "Schedules and the clock use it. Empty: the display's own."));
  }

  rotationSection() {
    const rows = this.model.rotation.map((entry, i) => this.rotationRow(entry, i));
    const names = this.pageNames();
    const pick = h("select", { "aria-label": "Page to add", "data-add-page": "" },
      ...names.map((n) => h("option", { value: n }, n)));
    const add = h("button", { type: "button", class: "small", "data-action": "add-page" }, "Add page");
    add.addEventListener("click", () => {
      this.model.rotation.push({ page: pick.value || names[0] || "", seconds: DEFAULT_SECONDS,
        enabled: true, when: "has_data", schedule: [] });
      this.draw();
    });
    return h("fieldset", { class: "profile-part", "data-part": "rotation" },
      h("legend", {}, "Rotation"),
      rows.length
        ? h("ol", { class: "rotation" }, ...rows)
        : h("p", { class: "muted", "data-empty": "rotation" }, "The display's local rotation. Add a page to set one here."),
      errorSlot("rotation"),
      h("div", { class: "add-row" }, pick, add));
  }

  rotationRow(entry, i) {
    const path = `rotation[${i}]`;
    const names = this.pageNames();
    const options = names.includes(entry.page) || !entry.page ? names : [entry.page, ...names];
    const page = h("select", { "data-path": `${path}.page`, "aria-label": `Page ${i + 1}` },
      ...options.map((n) => h("option", { value: n }, n)));
    page.value = entry.page;
    page.addEventListener("change", () => { entry.page = page.value; });
    const seconds = h("input", { type: "number", min: 1, step: 1, class: "seconds",
      "data-path": `${path}.seconds`, "aria-label": `Seconds for ${entry.page}` });
    seconds.value = String(entry.seconds);
    seconds.addEventListener("input", () => {
      // As typed: the server says what is wrong with it, next to this box.
      entry.seconds = seconds.value.trim() === "" ? null : Number(seconds.value);
    });
    const enabled = h("input", { type: "checkbox", "data-path": `${path}.enabled` });
    enabled.checked = entry.enabled;
    enabled.addEventListener("change", () => {
      entry.enabled = enabled.checked;
      row.dataset.enabled = enabled.checked ? "yes" : "no";
    });
    const when = h("select", { "data-path": `${path}.when`, "aria-label": `When to show ${entry.page}` },
      ...WHEN.map(([value, label]) => h("option", { value }, label)));
    if (!WHEN.some(([v]) => v === entry.when)) when.prepend(h("option", { value: entry.when }, entry.when));
    when.value = entry.when;
    when.addEventListener("change", () => { entry.when = when.value; });
    const button = (label, title, action, onclick, disabled = false) =>
      h("button", { type: "button", class: "small icon-button", title, "aria-label": title,
        "data-action": action, disabled, onclick }, label);
    const row = h("li", {
      class: "rotation-entry", draggable: "true", "data-index": String(i), "data-page": entry.page,
      "data-enabled": entry.enabled ? "yes" : "no",
      ondragstart: (event) => {
        this.dragFrom = i;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", String(i));
      },
      ondragover: (event) => {
        event.preventDefault();
        row.classList.add("drop-target");
      },
      ondragleave: () => row.classList.remove("drop-target"),
      ondrop: (event) => {
        event.preventDefault();
        const from = this.dragFrom >= 0 ? this.dragFrom : Number(event.dataTransfer.getData("text/plain"));
        this.dragFrom = -1;
        move(this.model.rotation, from, i);
        this.draw();
      },
    },
    h("div", { class: "entry-main" },
      h("span", { class: "handle", title: "Drag to reorder", "aria-hidden": "true" }, "\u2847"),
      page,
      h("label", { class: "inline" }, seconds, " s"),
      h("label", { class: "inline" }, enabled, " on"),
      when,
      h("span", { class: "entry-buttons" },
        button("\u2191", `Move ${entry.page} up`, "up", () => { move(this.model.rotation, i, i - 1); this.draw(); }, i === 0),
        button("\u2193", `Move ${entry.page} down`, "down", () => { move(this.model.rotation, i, i + 1); this.draw(); },
          i === this.model.rotation.length - 1),
        button("\u00d7", `Remove ${entry.page}`, "remove", () => { this.model.rotation.splice(i, 1); this.draw(); }))),
    errorSlot(path), errorSlot(`${path}.page`), errorSlot(`${path}.seconds`), errorSlot(`${path}.when`),
    errorSlot(`${path}.enabled`),
    h("div", { class: "windows" },
      ...entry.schedule.map((w, j) => this.windowRow(entry, w, `${path}.schedule[${j}]`, j)),
      errorSlot(`${path}.schedule`),
      h("button", { type: "button", class: "link", "data-action": "add-window",
        onclick: () => {
          entry.schedule.push({ days: [...DAYS.slice(0, 5)], from: "07:00", to: "09:00" });
          this.draw();
        } }, entry.schedule.length ? "+ another time window" : "+ only at certain times")));
    return row;
  }

  windowRow(entry, w, path, j) {
    const days = DAYS.map((day) => {
      const box = h("input", { type: "checkbox", value: day, "data-path": `${path}.days` });
      box.checked = w.days.includes(day);
      box.addEventListener("change", () => {
        w.days = DAYS.filter((d) => (d === day ? box.checked : w.days.includes(d)));
      });
      return h("label", { class: "day" }, box, day);
    });
    const time = (key) => {
      const input = h("input", { type: "time", "data-path": `${path}.${key}`, "aria-label": key });
      input.value = w[key];
      input.addEventListener("input", () => { w[key] = input.value; });
      return input;
    };
    return h("div", { class: "window", "data-window": String(j) },
      h("span", { class: "days" }, ...days),
      h("span", { class: "span" }, time("from"), "\u2013", time("to")),
      h("button", { type: "button", class: "small icon-button", title: "Remove this window",
        "aria-label": "Remove this window", "data-action": "remove-window",
        onclick: () => { entry.schedule.splice(j, 1); this.draw(); } }, "\u00d7"),
      errorSlot(path), errorSlot(`${path}.days`), errorSlot(`${path}.from`), errorSlot(`${path}.to`));
  }

  brightnessSection() {
    const rows = this.model.brightness.map((step, i) => {
      const path = `brightness[${i}]`;
      const at = h("input", { type: "time", "data-path": `${path}.at`, "aria-label": "From" });
      at.value = step.at;
      at.addEventListener("input", () => { step.at = at.value; });
      const percent = h("input", { type: "number", min: 0, max: 100, step: 1, class: "seconds",
        "data-path": `${path}.percent`, "aria-label": "Percent" });
      percent.value = String(step.percent);
      percent.addEventListener("input", () => {
        step.percent = percent.value.trim() === "" ? null : Number(percent.value);
      });
      return h("li", { class: "brightness-step", "data-index": String(i) },
        h("label", { class: "inline" }, "from ", at), h("label", { class: "inline" }, percent, " %"),
        h("button", { type: "button", class: "small icon-button", title: "Remove this step",
          "aria-label": "Remove this step", "data-action": "remove-step",
          onclick: () => { this.model.brightness.splice(i, 1); this.draw(); } }, "\u00d7"),
        errorSlot(path), errorSlot(`${path}.at`), errorSlot(`${path}.percent`));
    });
    return h("fieldset", { class: "profile-part", "data-part": "brightness" },
      h("legend", {}, "Brightness schedule"),
      rows.length ? h("ol", { class: "brightness-steps" }, ...rows)
        : h("p", { class: "muted", "data-empty": "brightness" }, "The display's local brightness."),
      errorSlot("brightness"),
      h("div", { class: "add-row" },
        h("button", { type: "button", class: "small", "data-action": "add-step",
          onclick: () => {
            const last = this.model.brightness.at(-1);
            this.model.brightness.push(last ? { at: "22:00", percent: 20 } : { at: "07:00", percent: 100 });
            this.draw();
          } }, "Add a step")));
  }

  clearErrors() {
    for (const el of this.els.body.querySelectorAll("[data-error-for]")) {
      el.textContent = "";
      el.hidden = true;
    }
    for (const el of this.els.body.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }

  /** Each error at the slot of its path, or of the nearest enclosing path that has one. */
  showErrors(errors) {
    const loose = [];
    for (const [path, why] of Object.entries(errors)) {
      let target = "";
      let slot = null;
      for (const candidate of ancestors(path)) {
        slot = this.els.body.querySelector(`[data-error-for="${CSS.escape(candidate)}"]`);
        if (slot) {
          target = candidate;
          break;
        }
      }
      if (!slot) {
        loose.push(`${path}: ${why}`);
        continue;
      }
      const text = target === path ? String(why) : `${path.slice(target.length).replace(/^\./, "")}: ${why}`;
      slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
      slot.hidden = false;
      for (const input of this.els.body.querySelectorAll(`[data-path="${CSS.escape(path)}"]`)) {
        input.setAttribute("aria-invalid", "true");
      }
    }
    return loose;
  }

  async save() {
    this.clearErrors();
    this.say("Saving\u2026");
    try {
      const response = await authorizedFetch(this.els, this.url(), {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(bodyOf(this.model)),
      });
      if (response.ok) {
        this.model = modelOf(await response.json());
        this.draw();
        this.say(`Saved: version ${this.model.version}. The display applies it within seconds.`, "ok");
        this.onSaved();
        return;
      }
      if (response.status === 422) {
        const body = await response.json().catch(() => ({}));
        const errors = isObject(body?.errors) ? body.errors : {};
        const loose = this.showErrors(errors);
        const count = Object.keys(errors).length;
        this.say(`Not saved: ${count} error${count === 1 ? "" : "s"}, shown next to ${count === 1 ? "its input" : "their inputs"}.${loose.length ? ` ${loose.join("; ")}` : ""}`, "error");
        return;
      }
      if (response.status === 409) {
        await this.load();
        this.say("Not saved: someone else changed this profile meanwhile. It is shown as it is now; make your change again.", "error");
        return;
      }
      this.say(`Not saved: ${await errorText(response)}`, "error");
    } catch (error) {
      this.say(`Not saved: ${error instanceof NoToken ? error.message : error?.message || error}`, "error");
    }
  }

  async revert() {
    this.clearErrors();
    this.say("Reverting to the local config\u2026");
    try {
      const response = await authorizedFetch(this.els, this.url(), { method: "DELETE" });
      if (!response.ok && response.status !== 404) {
        this.say(`Not reverted: ${await errorText(response)}`, "error");
        return;
      }
      await this.load();
      this.say("Reverted: the display runs its local config.", "ok");
      this.onSaved();
    } catch (error) {
      this.say(`Not reverted: ${error instanceof NoToken ? error.message : error?.message || error}`, "error");
    }
  }
}
