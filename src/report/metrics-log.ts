// Reading metrics.jsonl files written by the training stages (one JSON object per line), tolerant of
// blank and damaged lines, and picking one metric of one stage out as an (x, y) series.
import { readFile } from "node:fs/promises";

/** One parsed line, e.g. {"stage":"sft","step":12,"loss":2.31}. */
export type MetricsRecord = Record<string, unknown>;

/** A line that could not be used, with its 1-based line number. */
export interface MalformedLine {
  line: number;
  reason: string;
  /** The start of the line, for the report. */
  excerpt: string;
}

export interface MetricsLog {
  /** Where the records came from (a path, or a label for in-memory text). */
  source: string;
  /** Parsed objects in file order. */
  records: MetricsRecord[];
  /** Lines in the file, blank ones included. */
  lines: number;
  /** Empty or whitespace-only lines (harmless; counted so the totals add up). */
  blank: number;
  /** Lines that are not a JSON object: a crash mid-write leaves a truncated last line, for instance. */
  malformed: MalformedLine[];
}

/**
 * Python's json module writes NaN/Infinity as bare words, which JSON.parse rejects. Only whole values
 * are rewritten (after ':' or ',' or '[', before ',' ']' '}'), so text inside strings stays untouched.
 */
function withoutBareNonFinite(line: string): string {
  return line.replace(/([:,[]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, "$1null");
}

/** Parses metrics.jsonl text; never throws on content. */
export function parseMetricsLog(textContent: string, source = "<text>"): MetricsLog {
  const rows = textContent.split(/\r?\n/);
  // A trailing newline is the normal end of a JSONL file, not a blank record.
  if (rows.length && rows[rows.length - 1] === "") rows.pop();
  const log: MetricsLog = { source, records: [], lines: rows.length, blank: 0, malformed: [] };
  rows.forEach((row, i) => {
    if (row.trim() === "") {
      log.blank += 1;
      return;
    }
    const bad = (reason: string) => log.malformed.push({ line: i + 1, reason, excerpt: row.length > 80 ? `${row.slice(0, 77)}...` : row });
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (e) {
      try {
        value = JSON.parse(withoutBareNonFinite(row));
      } catch {
        bad(`not valid JSON (${(e as Error).message})`);
        return;
      }
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      bad(`a JSON ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}, not an object`);
      return;
    }
    log.records.push(value as MetricsRecord);
  });
  return log;
}

/** Reads and parses one metrics.jsonl file; only an unreadable file throws. */
export async function readMetricsLog(path: string): Promise<MetricsLog> {
  let content: string;
  try {
    content = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      code === "ENOENT"
        ? `metrics file ${path} does not exist; check the run directory, or that the stage ran and was given this path`
        : `could not read metrics file ${path}: ${(e as Error).message}`,
    );
  }
  return parseMetricsLog(content, path);
}

/** One line per problem, for logs and the report: "metrics.jsonl: 2 malformed lines (line 7: not valid JSON ...)". */
export function describeMalformed(log: MetricsLog, max = 3): string | undefined {
  if (!log.malformed.length) return undefined;
  const n = log.malformed.length;
  const shown = log.malformed.slice(0, max).map((m) => `line ${m.line}: ${m.reason}`);
  const more = n > max ? `; ${n - max} more` : "";
  return `${log.source}: ${n} malformed line${n === 1 ? "" : "s"} skipped (${shown.join("; ")}${more})`;
}

export interface SeriesQuery {
  /** Stage name(s) to keep (the record's `stage` field); all records when absent. */
  stage?: string | readonly string[];
  /** The metric, e.g. "loss" or "rewardMean". Records without it are skipped. */
  key: string;
  /** The x field; default "step". */
  x?: string;
  /** Extra filter, e.g. eval records with a given `when`. */
  where?: (r: MetricsRecord) => boolean;
}

export interface MetricSeries {
  x: number[];
  /** NaN where the record held null, a non-number, or a non-finite value (JSON.stringify writes NaN as null). */
  y: number[];
}

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return Number.NaN;
}

/**
 * The (x, y) series of one metric, sorted by x. A resumed run repeats the steps after its last checkpoint,
 * so for a repeated x the last record in file order wins — it is the one the final model descends from.
 * Records without a numeric x are skipped, unless none of the matching records has one; then x is the
 * record's position (0, 1, 2, …) among them.
 */
export function selectSeries(records: readonly MetricsRecord[], q: SeriesQuery): MetricSeries {
  const stages = q.stage === undefined ? undefined : new Set(typeof q.stage === "string" ? [q.stage] : q.stage);
  const xKey = q.x ?? "step";
  const hits = records.filter((r) => (!stages || stages.has(r.stage as string)) && q.key in r && (!q.where || q.where(r)));
  const hasX = hits.some((r) => typeof r[xKey] === "number" && Number.isFinite(r[xKey]));
  const byX = new Map<number, number>();
  hits.forEach((r, i) => {
    const x = hasX ? r[xKey] : i;
    if (typeof x !== "number" || !Number.isFinite(x)) return;
    byX.set(x, toNumber(r[q.key]));
  });
  const xs = [...byX.keys()].sort((a, b) => a - b);
  return { x: xs, y: xs.map((x) => byX.get(x) as number) };
}

/** Stage names in order of first appearance. */
export function stagesIn(records: readonly MetricsRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) if (typeof r.stage === "string") seen.add(r.stage);
  return [...seen];
}
