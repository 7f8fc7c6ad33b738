// Tiny DOM helpers. Data from the stream only ever becomes text nodes or
// attribute values, never HTML, so a payload cannot inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.setAttribute("class", value);
    else if (key === "style" && typeof value === "object") {
      for (const [name, v] of Object.entries(value)) element.style.setProperty(name, v);
    }
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** h("div", {class: "x"}, "text", otherNode) */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export const PLACEHOLDER = "\u2014"; // an em dash where a value is missing

/** A display string, or the placeholder for missing / non-scalar values. */
export function text(value, fallback = PLACEHOLDER) {
  if (typeof value === "string") return value.trim() ? value.trim() : fallback;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return fallback;
}

/** A finite number from a number or numeric string, else null. */
export function num(value) {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Rounded number with a unit, or the placeholder. */
export function measure(value, unit = "", digits = 0) {
  const n = num(value);
  if (n === null) return PLACEHOLDER;
  return `${n.toFixed(digits)}${unit}`;
}

export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function list(value) {
  return Array.isArray(value) ? value : [];
}
