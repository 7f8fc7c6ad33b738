// The dashboard's notifications, kept by the displays' rules (PROTOCOL section 5):
// info and warning queue in arrival order, each shown for its seconds once it is
// on; critical comes on at once (what it interrupts returns afterwards with its
// time left) and stays until `dismiss` or its seconds. At most MAX_WAITING wait
// per queue; one more is counted in `refused`, as on the displays.

export const LEVELS = ["info", "warning", "critical"];
export const MAX_WAITING = 16;

/** A notify command's args as a notice; odd values fall back as the displays read them. */
export function noticeOf(args) {
  const text = typeof args?.text === "string" ? args.text : "";
  const level = LEVELS.includes(args?.level) ? args.level : "info";
  const fallback = level === "critical" ? 120 : 10;
  const seconds = Math.min(600, Math.max(1, Number(args?.seconds) || fallback));
  const icon = typeof args?.icon === "string" ? args.icon : "";
  return { text, level, seconds, icon, blink: args?.blink === true };
}

export class NoticeBoard {
  /**
   * @param {(notice: object|null) => void} show  draws the notice on screen, or none
   * @param {{now?: () => number, setTimer?: Function, clearTimer?: Function}} clock
   */
  constructor(show, clock = {}) {
    this.show = show;
    this.now = clock.now ?? (() => performance.now());
    this.setTimer = clock.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = clock.clearTimer ?? ((id) => clearTimeout(id));
    this.current = null;
    this.until = 0;
    this.timer = null;
    this.waiting = [];
    this.critical = [];
    this.refused = 0;
  }

  add(args) {
    const notice = noticeOf(args);
    if (!notice.text) return false;
    const current = this.current;
    if (!current) {
      this.start(notice);
    } else if (notice.level === "critical" && current.level !== "critical") {
      const left = Math.max(0, (this.until - this.now()) / 1000);
      this.waiting.unshift({ ...current, seconds: left });
      if (this.waiting.length > MAX_WAITING) {
        this.waiting.pop();
        this.refused += 1;
      }
      this.start(notice);
    } else {
      const line = notice.level === "critical" ? this.critical : this.waiting;
      if (line.length >= MAX_WAITING) {
        this.refused += 1;
        return false;
      }
      line.push(notice);
    }
    return true;
  }

  dismiss() {
    if (this.current) this.next();
  }

  start(notice) {
    this.clearTimer(this.timer);
    this.current = notice;
    this.until = this.now() + notice.seconds * 1000;
    this.timer = this.setTimer(() => this.next(), notice.seconds * 1000);
    this.show(notice);
  }

  next() {
    const following = this.critical.shift() ?? this.waiting.shift();
    if (following) return this.start(following);
    this.clearTimer(this.timer);
    this.current = null;
    this.timer = null;
    this.show(null);
  }
}
