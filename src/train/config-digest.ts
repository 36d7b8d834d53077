// A digest of the settings that decide a run's trajectory (data, model, optimisation); resuming
// under a different digest would silently train something else, so it is refused.
import { createHash } from "node:crypto";

export function configDigest(config: object, ignore: readonly string[]): string {
  const kept = Object.fromEntries(Object.entries(config).filter(([k]) => !ignore.includes(k)).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256").update(JSON.stringify(kept)).digest("hex").slice(0, 16);
}
