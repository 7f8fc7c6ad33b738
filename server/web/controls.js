// The web controls of PROTOCOL section 5: PUT /webcontrol/{command}. Where
// the server wants a token (401), we ask for it once and keep it in this
// browser's localStorage. Every outcome is shown to the user; commands that
// come back over the stream are listed as proof they reached the displays.

import { h } from "./dom.js";
import { NoticeBoard } from "./notices.js";
import { clock } from "./timefmt.js";
import { askToken, readToken, writeToken } from "./token.js";

export { TOKEN_KEY } from "./token.js";

const SHOWN_COMMANDS = 6;
const ALERT_MS = 30000; // how long displays show the "out" alert

/** The server's error text from a FastAPI-style body ({"detail": ...}) or the status. */
export async function errorText(response) {
  let detail = "";
  try {
    const body = await response.json();
    if (typeof body?.detail === "string") detail = body.detail;
    else if (Array.isArray(body?.detail)) detail = body.detail.map((d) => d?.msg ?? "").join("; ");
    else if (typeof body?.error === "string") detail = body.error;
  } catch {
    // not JSON
  }
  return detail ? `${response.status}: ${detail}` : `HTTP ${response.status}`;
}

function describe(command, args) {
  switch (command) {
    case "brightness":
      return `brightness ${args?.value ?? "?"}`;
    case "page":
      return `page ${args?.name ?? "?"}`;
    case "notify": {
      const level = typeof args?.level === "string" ? `${args.level} ` : "";
      return `notify ${level}\u201c${args?.text ?? ""}\u201d (${args?.seconds ?? "?"} s)`;
    }
    default:
      return command;
  }
}

export class Controls {
  /**
   * @param {object} els  elements by role (see index.html ids)
   * @param {URL} base  the API's base URL
   */
  constructor(els, base) {
    this.els = els;
    this.base = base;
    this.history = [];
    this.notices = new NoticeBoard((notice) => this.showNotice(notice));
    this.alertUntil = 0;
    this.alertTimer = null;
    for (const button of els.root.querySelectorAll("button[data-command]")) {
      button.addEventListener("click", () => this.send(button.dataset.command));
    }
    els.brightness.addEventListener("input", () => {
      els.brightnessValue.textContent = els.brightness.value;
    });
    // On release only: one command per gesture, not one per pixel of drag.
    els.brightness.addEventListener("change", () => {
      this.send("brightness", { value: Number(els.brightness.value) });
    });
    els.pageForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = els.pageSelect.value;
      if (name) this.send("page", { name });
    });
    els.notifyForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = els.notifyText.value.trim();
      const seconds = Number(els.notifySeconds.value);
      if (!text) return this.say("Write a message first.", "error");
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
        return this.say("Seconds must be a whole number from 1 to 600.", "error");
      }
      // Only what differs from the defaults is sent: a plain notify stays the older message.
      const body = { text, seconds };
      if (els.notifyLevel.value !== "info") body.level = els.notifyLevel.value;
      if (els.notifyIcon.value) body.icon = els.notifyIcon.value;
      if (els.notifyBlink.checked) body.blink = true;
      this.send("notify", body);
    });
    els.forgetToken.addEventListener("click", () => {
      writeToken("");
      this.say("Control token forgotten.", "ok");
    });
  }

  setPages(pages) {
    const current = this.els.pageSelect.value;
    this.els.pageSelect.replaceChildren(
      ...pages.map((page) => h("option", { value: page.name }, page.title || page.name)),
    );
    if (pages.some((p) => p.name === current)) this.els.pageSelect.value = current;
  }

  /** The displays a command may be sent to alone; "" (all) stays first. */
  setTargets(ids) {
    const current = this.els.target.value;
    this.els.target.replaceChildren(
      h("option", { value: "" }, "all displays"),
      ...ids.map((id) => h("option", { value: id }, id)),
    );
    if (ids.includes(current)) this.els.target.value = current;
  }

  say(message, kind = "info") {
    this.els.status.textContent = message;
    this.els.status.dataset.kind = kind;
  }

  async send(command, body) {
    this.say(`Sending ${describe(command, body)}\u2026`);
    try {
      let response = await this.put(command, body, readToken());
      if (response.status === 401) {
        const token = await this.askToken(readToken() !== "");
        if (!token) return this.say("Not sent: this server needs a control token.", "error");
        response = await this.put(command, body, token);
        if (response.status === 401) {
          writeToken("");
          return this.say("Not sent: the server refused that token.", "error");
        }
        writeToken(token);
      }
      if (!response.ok) return this.say(`Not sent: ${await errorText(response)}`, "error");
      this.say(`Sent ${describe(command, body)}.`, "ok");
    } catch (error) {
      this.say(`Not sent: ${error?.message || error}`, "error");
    }
  }

  put(command, body, token) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    const url = new URL(`webcontrol/${encodeURIComponent(command)}`, this.base);
    // One display (PROTOCOL section 5, targets) or, without the parameter, all of them.
    if (this.els.target.value) url.searchParams.set("display", this.els.target.value);
    return fetch(url, {
      method: "PUT",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Shows the token dialog; resolves with the token, or "" when cancelled. */
  askToken(rejectedBefore) {
    return askToken(this.els, rejectedBefore);
  }

  /** Commands seen on the stream: the proof they reached every display. */
  received(control) {
    this.history = [control, ...this.history].slice(0, SHOWN_COMMANDS);
    this.renderHistory();
    if (control.command === "brightness" && Number.isFinite(Number(control.args?.value))) {
      this.els.brightness.value = String(control.args.value);
      this.els.brightnessValue.textContent = String(control.args.value);
    }
    if (control.command === "page" && typeof control.args?.name === "string") {
      const known = [...this.els.pageSelect.options].some((o) => o.value === control.args.name);
      if (known) this.els.pageSelect.value = control.args.name;
    }
    // As on the displays: "out" is an alert of its own for 30 s, ended by any other command,
    // and notifications show over it.
    this.alertUntil = control.command === "out" ? Date.now() + ALERT_MS : 0;
    clearTimeout(this.alertTimer);
    if (this.alertUntil) this.alertTimer = setTimeout(() => this.refreshAlert(), ALERT_MS);
    if (control.command === "notify") this.notices.add(control.args);
    else if (control.command === "dismiss") this.notices.dismiss();
    this.refreshAlert();
  }

  setHistory(controls) {
    this.history = (Array.isArray(controls) ? controls : []).slice(0, SHOWN_COMMANDS);
    this.renderHistory();
  }

  renderHistory() {
    this.els.history.replaceChildren(
      ...this.history.map((c) =>
        h(
          "li",
          { "data-command": c.command },
          h("time", {}, clock(c.at, true)),
          " ",
          describe(c.command, c.args),
        ),
      ),
    );
  }

  /** Notifications show over the dashboard too, with their level, by the displays' rules. */
  refreshAlert() {
    if (!this.notices.current) this.showNotice(null);
  }

  showNotice(notice) {
    const toast = this.els.toast;
    if (!notice && Date.now() < this.alertUntil) {
      notice = { level: "warning", text: "Garbage out tonight", blink: false };
    }
    if (!notice) {
      toast.hidden = true;
      return;
    }
    toast.dataset.level = notice.level;
    toast.classList.toggle("blink", notice.blink);
    toast.replaceChildren(h("span", { class: "level" }, notice.level), " ", notice.text);
    toast.hidden = false;
  }
}
