// Small parsers shared by CLI commands; errors say what was wrong and what is expected.

/** "1,2,3" → [1, 2, 3]; rejects anything that is not a comma-separated list of integers. */
export function parseIdList(text: string, flag: string): number[] {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  const ids = parts.map(Number);
  if (parts.length === 0 || ids.some((x) => !Number.isInteger(x) || x < 0)) {
    throw new Error(`${flag} expects comma-separated non-negative integers like 1,2,3, got "${text}"`);
  }
  return ids;
}
