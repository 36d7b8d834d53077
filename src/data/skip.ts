// Skip reporting shared by every dataset reader: readers never throw on a bad record; they
// record what was skipped, where, and why, and go on (the brief's "count, report and skip").

/** One skipped item: the file it came from, its position there, and why it was skipped. */
export interface SkipReport {
  /** File (or directory) the item lives in. */
  path: string;
  /** Position within `path`: record/episode/line number or a name such as `demo_3`. */
  index: number | string;
  /** What was wrong, in words a user can act on. */
  reason: string;
}

/** Collects skips for one reader; `onSkip` lets a caller log them as they happen. */
export class SkipLog {
  readonly items: SkipReport[] = [];
  constructor(private readonly onSkip?: (s: SkipReport) => void) {}

  add(path: string, index: number | string, reason: string): void {
    const s = { path, index, reason };
    this.items.push(s);
    this.onSkip?.(s);
  }

  get count(): number {
    return this.items.length;
  }
}
