// One progress bar per training stage: steps done, ETA and the latest headline numbers. On a
// terminal it redraws in place; in logs (no TTY) it prints a line every few seconds.
import { SingleBar } from "cli-progress";

export class StageProgress {
  private readonly bar: SingleBar | null;

  constructor(label: string, total: number, start: number, fields: string[], enabled = true) {
    if (!enabled) {
      this.bar = null;
      return;
    }
    const tail = fields.map((f) => `${f} {${f}}`).join(" | ");
    this.bar = new SingleBar({
      format: `${label} [{bar}] {value}/{total} | eta {eta_formatted}${tail ? ` | ${tail}` : ""}`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      etaBuffer: 20,
    });
    this.bar.start(total, start, Object.fromEntries(fields.map((f) => [f, "-"])));
  }

  update(value: number, fields: Record<string, string>): void {
    this.bar?.update(value, fields);
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** Short human number for progress fields. */
export function short(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(digits);
}
