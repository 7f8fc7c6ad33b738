// Inline SVG icons (no icon font or image files to fetch): weather
// conditions by OpenWeatherMap condition id, and the moon's phase.

import { svg } from "./dom.js";

const CLOUD = "M7 19h10.5a4 4 0 0 0 .4-7.98A6 6 0 0 0 6.3 9.6 4.7 4.7 0 0 0 7 19z";
const SMALL_CLOUD = "M9 20h8.5a3.3 3.3 0 0 0 .3-6.58 4.9 4.9 0 0 0-9.3-1.2A4 4 0 0 0 9 20z";

function sun(cx = 12, cy = 12, r = 4.2) {
  const rays = [];
  for (let i = 0; i < 8; i++) {
    const a = (i * Math.PI) / 4;
    rays.push(svg("line", {
      x1: cx + Math.cos(a) * (r + 2), y1: cy + Math.sin(a) * (r + 2),
      x2: cx + Math.cos(a) * (r + 4), y2: cy + Math.sin(a) * (r + 4),
      class: "i-sun", "stroke-width": 1.6, "stroke-linecap": "round",
    }));
  }
  return [svg("circle", { cx, cy, r, class: "i-sun-fill" }), ...rays];
}

function crescent(cx = 12, cy = 12, r = 6) {
  return [svg("path", {
    d: `M${cx + 1} ${cy - r} a${r} ${r} 0 1 0 ${r - 1} ${r + 3} a${r - 1} ${r - 1} 0 0 1 -${r - 1} -${r + 3}z`,
    class: "i-moon-fill",
  })];
}

function drops(kind) {
  const out = [];
  const xs = [9, 12.5, 16];
  for (const x of xs) {
    if (kind === "snow") out.push(svg("circle", { cx: x, cy: 21.5, r: 1.1, class: "i-snow" }));
    else {
      const len = kind === "drizzle" ? 1.6 : 3;
      out.push(svg("line", {
        x1: x, y1: 20.5, x2: x - 1, y2: 20.5 + len,
        class: "i-rain", "stroke-width": 1.5, "stroke-linecap": "round",
      }));
    }
  }
  return out;
}

/** The icon group name for a condition id: "storm", "rain", "clear", ... */
export function conditionKind(wid) {
  const id = Number(wid);
  if (!Number.isFinite(id)) return "unknown";
  if (id >= 200 && id < 300) return "storm";
  if (id >= 300 && id < 400) return "drizzle";
  if (id >= 500 && id < 600) return id === 511 ? "snow" : "rain";
  if (id >= 600 && id < 700) return "snow";
  if (id >= 700 && id < 800) return "fog";
  if (id === 800) return "clear";
  if (id === 801 || id === 802) return "partly";
  if (id > 802 && id < 900) return "cloudy";
  return "unknown";
}

/** An <svg> for the condition id `wid`, day ("d") or night ("n"). */
export function weatherIcon(wid, dn = "d", label = "") {
  const kind = conditionKind(wid);
  const night = dn === "n";
  let parts;
  switch (kind) {
    case "clear":
      parts = night ? crescent() : sun();
      break;
    case "partly":
      parts = [
        ...(night ? crescent(9, 8, 4.5) : sun(9, 8, 3.2)),
        svg("path", { d: SMALL_CLOUD, class: "i-cloud" }),
      ];
      break;
    case "cloudy":
      parts = [svg("path", { d: CLOUD, class: "i-cloud" })];
      break;
    case "rain":
    case "drizzle":
    case "snow":
      parts = [svg("path", { d: CLOUD, transform: "translate(0 -3)", class: "i-cloud" }), ...drops(kind)];
      break;
    case "storm":
      parts = [
        svg("path", { d: CLOUD, transform: "translate(0 -3)", class: "i-cloud" }),
        svg("path", { d: "M12.5 15.5l-2.5 4h2.6l-1.6 4 4.5-5.6h-2.7l1.6-2.4z", class: "i-bolt" }),
      ];
      break;
    case "fog":
      parts = [5, 9, 13, 17].map((y, i) => svg("line", {
        x1: 4 + (i % 2) * 2, y1: y + 2, x2: 20 - (i % 2) * 2, y2: y + 2,
        class: "i-fog", "stroke-width": 1.8, "stroke-linecap": "round",
      }));
      break;
    default:
      parts = [svg("circle", { cx: 12, cy: 12, r: 5, class: "i-unknown" })];
  }
  return svg(
    "svg",
    { viewBox: "0 0 24 24", class: `icon weather-icon ${kind}`, role: "img", "aria-label": label || kind },
    ...parts,
  );
}

/** The moon's disc for `phase` 0-99 (0 new, 50 full), lit side as seen from the north. */
export function moonIcon(phase) {
  const r = 10;
  const cx = 12;
  const cy = 12;
  const children = [svg("circle", { cx, cy, r, class: "moon-dark" })];
  const p = Number(phase);
  if (Number.isFinite(p)) {
    const f = (((p % 100) + 100) % 100) / 100;
    const k = Math.cos(2 * Math.PI * f); // 1 new, -1 full
    const rx = Math.abs(k) * r;
    const waxing = f < 0.5;
    const outer = waxing ? 1 : 0; // right half when waxing, left half when waning
    const inner = waxing ? (k > 0 ? 0 : 1) : (k > 0 ? 1 : 0);
    children.push(svg("path", {
      d: `M${cx} ${cy - r} A${r} ${r} 0 0 ${outer} ${cx} ${cy + r} A${rx} ${r} 0 0 ${inner} ${cx} ${cy - r}z`,
      class: "moon-lit",
    }));
  }
  return svg(
    "svg",
    { viewBox: "0 0 24 24", class: "icon moon-icon", role: "img", "aria-label": `moon phase ${phase}` },
    ...children,
  );
}
