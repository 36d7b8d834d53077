// The addon loader's failure message lists every path it tried and how to fix the problem.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../src/native/loader.js";

describe("loadNativeAddon", () => {
  it("explains what it tried when no candidate loads", () => {
    const dir = mkdtempSync(join(tmpdir(), "roboalign-loader-"));
    const broken = join(dir, "broken.node");
    writeFileSync(broken, "not a shared library");
    const missing = join(dir, "missing.node");
    let message = "";
    try {
      loadNativeAddon([missing, broken]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/the native core could not be loaded/);
    expect(message).toContain(`${missing}: not built`);
    expect(message).toContain(`${broken}: `);
    expect(message).toMatch(/npm run setup/);
    expect(message).toMatch(/ROBOALIGN_ADDON/);
  });
});
