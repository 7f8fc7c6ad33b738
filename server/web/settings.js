// The household settings page (GET/PUT /settings, docs/dashboard.md): one form
// generated from what the server says about each setting (label, help, kind,
// choices, secret, locked, used_by). Save sends only what changed, with the
// version it was read at; the server checks every field and answers all the
// errors at once, shown next to their fields while the inputs stay as typed.

import { h, isObject, list } from "./dom.js";
import { errorText } from "./controls.js";
import { leagueTeams } from "./teams.js";
import { NoToken, authorizedFetch } from "./token.js";

/** The form's sections, in order; a setting the server adds later goes to "Other". */
export const GROUPS = [
  { id: "place", title: "Place and time", names: ["place", "latitude", "longitude", "timezone"] },
  { id: "units", title: "Units and clock", names: ["units", "clock"] },
  { id: "teams", title: "Favourite teams", names: ["mlb_teams", "nfl_teams"] },
  { id: "sources", title: "Sources", names: ["calendar_source", "events_source", "github_repo"] },
  { id: "wifi", title: "Wi-Fi QR", names: ["wifi_qr"] },
];

/** Every IANA zone this browser knows, for the zone inputs' suggestions. */
export function zoneNames() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

function shown(value) {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  return String(value);
}

/** "weather uses metric from env UNITS" for one sources entry. */
export function usedByText(entry) {
  const part = typeof entry?.part === "string" ? entry.part : "a part";
  const origin = typeof entry?.origin === "string" ? entry.origin : "somewhere";
  return `${part} uses ${shown(entry?.value)} from ${origin}${entry?.locked ? " (locked)" : ""}`;
}

/** The field a server error key names: "mlb_teams[1]" -> "mlb_teams". */
export function fieldOfError(key) {
  return String(key).split(/[[.]/, 1)[0];
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// --- one control per kind: each knows its value and whether it changed ----------------------

function textControl(name, field, type = "text") {
  const input = h("input", {
    id: `setting-${name}`, name, type, autocomplete: "off", spellcheck: "false",
    ...(type === "number" ? { step: "any", inputmode: "decimal" } : {}),
    ...(field.kind === "url" ? { inputmode: "url" } : {}),
    ...(field.kind === "zone" ? { list: "zone-names" } : {}),
  });
  input.value = field.value === null || field.value === undefined ? "" : String(field.value);
  return {
    input,
    element: input,
    value() {
      const raw = input.value.trim();
      if (raw === "") return null;
      return type === "number" ? Number(raw) : raw;
    },
    localError() {
      return type === "number" && input.validity.badInput ? "not a number" : "";
    },
    changed() {
      return !same(this.value(), field.value);
    },
  };
}

function choiceControl(name, field) {
  const choices = list(field.choices).filter((c) => typeof c === "string");
  const select = h(
    "select",
    { id: `setting-${name}`, name },
    h("option", { value: "" }, "not set"),
    ...choices.map((c) => h("option", { value: c }, c)),
  );
  select.value = typeof field.value === "string" ? field.value : "";
  return {
    input: select,
    element: select,
    value: () => select.value || null,
    localError: () => "",
    changed() {
      return !same(this.value(), field.value);
    },
  };
}

function teamsControl(name, field) {
  const known = list(field.choices).filter((c) => typeof c === "string");
  const suggestions = known.length ? known : leagueTeams(name);
  let teams = list(field.value).filter((t) => typeof t === "string");
  const chips = h("ul", { class: "chips", "data-teams": name });
  const input = h("input", {
    id: `setting-${name}`, type: "text", autocomplete: "off", spellcheck: "false",
    list: `teams-${name}`, placeholder: name === "nfl_teams" ? "e.g. KC" : "e.g. NYY", size: 10,
    "aria-describedby": `help-${name}`,
  });
  const add = h("button", { type: "button", class: "small", "data-add-team": name }, "Add");
  const datalist = h("datalist", { id: `teams-${name}` },
    ...suggestions.map((t) => h("option", { value: t })));

  const draw = () => {
    chips.replaceChildren(
      ...teams.map((team, i) =>
        h("li", { "data-team": team }, team,
          h("button", {
            type: "button", class: "chip-remove", title: `Remove ${team}`,
            "aria-label": `Remove ${team}`, disabled: input.disabled,
            onclick: () => { teams = teams.filter((_, j) => j !== i); draw(); },
          }, "\u00d7")),
      ),
    );
  };
  const addTyped = () => {
    // Several at once too ("NYY, BOS"); the server normalises and checks each.
    for (const raw of input.value.split(/[\s,]+/)) {
      const team = raw.trim().toUpperCase();
      if (team && !teams.includes(team)) teams = [...teams, team];
    }
    input.value = "";
    draw();
  };
  add.addEventListener("click", addTyped);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addTyped();
    }
  });
  draw();
  return {
    input,
    element: h("div", { class: "teams-input" }, chips, h("div", { class: "add-team" }, input, add), datalist),
    disable() {
      add.disabled = true;
      draw();
    },
    value() {
      // Typed but not added yet: counts, so Save does what the box shows.
      const pending = input.value.trim() ? [...teams, ...input.value.split(/[\s,]+/).filter(Boolean).map((t) => t.toUpperCase())] : teams;
      return pending.length ? pending : null;
    },
    localError: () => "",
    changed() {
      return !same(this.value(), list(field.value).length ? field.value : null);
    },
  };
}

function secretControl(name, field) {
  let cleared = false;
  const state = h("span", { class: "secret-state", "data-secret-state": name });
  const input = h("input", {
    id: `setting-${name}`, name, type: "password", autocomplete: "off",
    placeholder: field.set ? "replace with\u2026" : "not set",
  });
  const clear = h("button", { type: "button", class: "small", "data-clear": name }, "Unset");
  const draw = () => {
    state.textContent = cleared ? "will be unset" : field.set ? "set" : "not set";
    state.dataset.set = field.set && !cleared ? "yes" : "no";
    clear.hidden = !field.set;
    clear.textContent = cleared ? "Keep" : "Unset";
  };
  clear.addEventListener("click", () => {
    cleared = !cleared;
    draw();
  });
  draw();
  return {
    input,
    element: h("div", { class: "secret" }, state, input, clear),
    disable() {
      clear.disabled = true;
    },
    value() {
      if (input.value.trim()) return input.value.trim();
      return cleared ? null : undefined;
    },
    localError: () => "",
    changed() {
      return input.value.trim() !== "" || (cleared && Boolean(field.set));
    },
  };
}

function controlFor(name, field) {
  if (field.secret) return secretControl(name, field);
  switch (field.kind) {
    case "number":
      return textControl(name, field, "number");
    case "choice":
      return choiceControl(name, field);
    case "teams":
      return teamsControl(name, field);
    default:
      return textControl(name, field); // text, url, zone
  }
}

// --- the page -------------------------------------------------------------------------------

export class SettingsPage {
  /**
   * @param {object} els  {root, form, groups, status, version, reload, tokenDialog, tokenInput, tokenNote}
   * @param {URL} base  the API's base URL
   */
  constructor(els, base) {
    this.els = els;
    this.base = base;
    this.doc = null;
    this.controls = new Map();
    this.busy = false;
    els.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    els.reload.addEventListener("click", () => this.load());
  }

  say(message, kind = "info") {
    this.els.status.textContent = message;
    this.els.status.dataset.kind = kind;
  }

  async request(init) {
    return authorizedFetch(this.els, new URL("settings", this.base), init);
  }

  /** Read the settings and draw the form; asks for the token when the server wants it. */
  async load() {
    this.say("Loading the settings\u2026");
    try {
      const response = await this.request({ method: "GET" });
      if (!response.ok) return this.say(`Could not read the settings: ${await errorText(response)}`, "error");
      const doc = await response.json();
      this.render(doc);
      this.say(this.describeVersion(), "info");
    } catch (error) {
      this.failed("Could not read the settings", error);
    }
  }

  failed(what, error) {
    if (error instanceof NoToken) {
      this.els.root.dataset.auth = "needed";
      return this.say(`${what}: ${error.message}. Press Reload to enter it.`, "error");
    }
    this.say(`${what}: ${error?.message || error}`, "error");
  }

  describeVersion() {
    const version = Number(this.doc?.version) || 0;
    if (!version) return "Nothing set yet: every part uses its own configuration.";
    const when = typeof this.doc.updated === "string" ? ` (${new Date(this.doc.updated).toLocaleString()})` : "";
    return `Version ${version}${when}.`;
  }

  render(doc) {
    const fields = isObject(doc?.fields) ? doc.fields : {};
    this.doc = { ...doc, fields };
    this.els.root.dataset.auth = "ok";
    this.els.root.dataset.version = String(Number(doc?.version) || 0);
    this.els.version.textContent = `v${Number(doc?.version) || 0}`;
    this.controls.clear();
    const placed = new Set();
    const sections = [];
    const groups = [...GROUPS, { id: "other", title: "Other", names: Object.keys(fields) }];
    for (const group of groups) {
      const names = group.names.filter((n) => isObject(fields[n]) && !placed.has(n));
      if (!names.length) continue;
      names.forEach((n) => placed.add(n));
      sections.push(
        h("fieldset", { class: "settings-group", "data-group": group.id },
          h("legend", {}, group.title),
          ...names.map((name) => this.renderField(name, fields[name]))),
      );
    }
    this.els.groups.replaceChildren(...sections);
  }

  renderField(name, field) {
    const control = controlFor(name, field);
    this.controls.set(name, control);
    const locked = typeof field.locked === "string" && field.locked ? field.locked : null;
    if (locked) {
      control.input.disabled = true;
      control.disable?.();
    }
    const usedBy = list(field.used_by).filter(isObject);
    control.input.setAttribute("aria-describedby", `help-${name} error-${name}`);
    return h(
      "div",
      { class: "setting", "data-setting": name, "data-kind": field.kind ?? "text", "data-locked": locked ? "yes" : null },
      h("label", { for: `setting-${name}` }, typeof field.label === "string" ? field.label : name),
      control.element,
      h("p", { class: "setting-error", id: `error-${name}`, "data-error-for": name, role: "alert", hidden: true }),
      locked ? h("p", { class: "locked", "data-locked-why": name }, `Locked: ${locked}`) : null,
      typeof field.help === "string" && field.help ? h("p", { class: "help muted", id: `help-${name}` }, field.help) : null,
      usedBy.length
        ? h("ul", { class: "used-by", "data-used-by": name }, ...usedBy.map((e) => h("li", {}, usedByText(e))))
        : null,
    );
  }

  clearErrors() {
    for (const el of this.els.groups.querySelectorAll("[data-error-for]")) {
      el.textContent = "";
      el.hidden = true;
      el.closest(".setting")?.removeAttribute("data-invalid");
    }
  }

  /** Each error next to its field; those naming no field of the form in the status line. */
  showErrors(errors) {
    const loose = [];
    for (const [key, why] of Object.entries(errors)) {
      const name = fieldOfError(key);
      const el = this.els.groups.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      const text = key === name ? String(why) : `${key}: ${why}`;
      if (!el) {
        loose.push(`${key}: ${why}`);
        continue;
      }
      el.textContent = el.textContent ? `${el.textContent}; ${text}` : text;
      el.hidden = false;
      el.closest(".setting")?.setAttribute("data-invalid", "yes");
    }
    return loose;
  }

  /** The changed settings, or the local errors that stop a save. */
  changes() {
    const values = {};
    const errors = {};
    for (const [name, control] of this.controls) {
      if (control.input.disabled) continue;
      const local = control.localError();
      if (local) errors[name] = local;
      else if (control.changed()) values[name] = control.value() ?? null;
    }
    return { values, errors };
  }

  async save() {
    if (this.busy || !this.doc) return;
    this.clearErrors();
    const { values, errors } = this.changes();
    if (Object.keys(errors).length) {
      this.showErrors(errors);
      return this.say("Not saved: fix the marked fields.", "error");
    }
    const names = Object.keys(values);
    if (!names.length) return this.say("Nothing changed.", "info");
    this.busy = true;
    this.say(`Saving ${names.join(", ")}\u2026`);
    try {
      const response = await this.request({
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ values, version: Number(this.doc.version) || 0 }),
      });
      if (response.ok) {
        this.render(await response.json());
        return this.say(`Saved ${names.join(", ")}: ${this.describeVersion()}`, "ok");
      }
      if (response.status === 422) {
        const body = await response.json().catch(() => ({}));
        const found = isObject(body?.errors) ? body.errors : {};
        const loose = this.showErrors(found);
        const count = Object.keys(found).length;
        return this.say(
          `Not saved: ${count} error${count === 1 ? "" : "s"}, shown next to the field${count === 1 ? "" : "s"}; nothing was changed.${loose.length ? ` ${loose.join("; ")}` : ""}`,
          "error",
        );
      }
      if (response.status === 409) {
        await this.load();
        return this.say("Not saved: someone else changed the settings meanwhile. The page now shows theirs; make your change again.", "error");
      }
      this.say(`Not saved: ${await errorText(response)}`, "error");
    } catch (error) {
      this.failed("Not saved", error);
    } finally {
      this.busy = false;
    }
  }
}
