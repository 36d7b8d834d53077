// Append-only `metrics.jsonl`: one JSON object per line, flushed per record so a killed run
// keeps everything it logged. On resume, records past the checkpoint's step are dropped so the
// file reads as one uninterrupted run.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type MetricRecord = Record<string, number | string | boolean | null>;

export class MetricsLog {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  write(record: MetricRecord): void {
    appendFileSync(this.file, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  }

  /** Keeps the lines of `stage` with step <= `step` (and every line of other stages). */
  truncateAfter(stage: string, step: number): void {
    if (!existsSync(this.file)) return;
    const kept = readFileSync(this.file, "utf8")
      .split("\n")
      .filter((line) => {
        if (!line.trim()) return false;
        try {
          const o = JSON.parse(line) as { stage?: string; step?: number };
          return o.stage !== stage || typeof o.step !== "number" || o.step <= step;
        } catch {
          return false; // a line cut by a kill mid-write
        }
      });
    writeFileSync(this.file, kept.length ? `${kept.join("\n")}\n` : "");
  }
}
