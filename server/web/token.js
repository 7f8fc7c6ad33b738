// The control token: asked for once (the token dialog), kept in this browser's
// localStorage, sent as a Bearer header. Shared by the controls, the settings
// page and the profile editor, so a token typed in one place serves them all.

export const TOKEN_KEY = "glanceboard.controlToken";

export function readToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return ""; // storage blocked (private mode): ask each time
  }
}

export function writeToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage blocked: the token lives for this request only
  }
}

/**
 * Shows the token dialog; resolves with the token, or "" when cancelled.
 * @param {{tokenDialog: HTMLDialogElement, tokenInput: HTMLInputElement, tokenNote: HTMLElement}} els
 */
export function askToken(els, rejectedBefore) {
  const { tokenDialog, tokenInput, tokenNote } = els;
  tokenNote.textContent = rejectedBefore
    ? "The saved token was refused. Enter the current one."
    : "This server needs a control token (printed by the server at start-up).";
  tokenInput.value = "";
  return new Promise((resolve) => {
    tokenDialog.addEventListener(
      "close",
      () => resolve(tokenDialog.returnValue === "save" ? tokenInput.value.trim() : ""),
      { once: true },
    );
    tokenDialog.showModal();
    tokenInput.focus();
  });
}

/** Thrown by authorizedFetch when the user gave no token, or the server refused it. */
export class NoToken extends Error {
  constructor(refused) {
    super(refused ? "the server refused that token" : "this server needs a control token");
    this.refused = refused;
  }
}

/**
 * fetch() with the kept token; on a 401 asks for one (once) and tries again,
 * keeping it if the server takes it. Throws NoToken when there is none to send.
 */
export async function authorizedFetch(els, url, init = {}) {
  const send = (token) => {
    const headers = { ...(init.headers ?? {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    return fetch(url, { cache: "no-store", ...init, headers });
  };
  let response = await send(readToken());
  if (response.status !== 401) return response;
  const token = await askToken(els, readToken() !== "");
  if (!token) throw new NoToken(false);
  response = await send(token);
  if (response.status === 401) {
    writeToken("");
    throw new NoToken(true);
  }
  writeToken(token);
  return response;
}
