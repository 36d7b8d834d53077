// policy.json → a Policy: the built-in "constant" kind, registered kinds, and clear errors.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { knownPolicyKinds, loadPolicy, loadServedPolicy, registerPolicyKind } from "../../../src/serve/load-policy.js";

function policyDir(json: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "roboalign-policy-"));
  writeFileSync(join(dir, "policy.json"), typeof json === "string" ? json : JSON.stringify(json));
  return dir;
}
const obs = { images: {}, state: new Float64Array(0), instruction: "" };

describe("loadPolicy", () => {
  it("loads a constant chunk with its metadata and default prompt", async () => {
    const dir = policyDir({ kind: "constant", actions: [[1, 2, 3], [4, 5, 6]], metadata: { reset_pose: [0, 1] }, default_prompt: "Transfer cube" });
    const served = await loadServedPolicy(dir);
    expect(served.policy.horizon).toBe(2);
    expect(served.policy.actionDim).toBe(3);
    expect(Array.from(await served.policy.infer(obs))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(served.metadata).toEqual({ reset_pose: [0, 1] });
    expect(served.defaultPrompt).toBe("Transfer cube");
  });

  it("loads kinds registered later (how the VLA plugs in)", async () => {
    registerPolicyKind("test-echo", async (_dir, config) => ({ horizon: 1, actionDim: 1, infer: async () => Float64Array.of(config.value as number) }));
    expect(knownPolicyKinds()).toContain("test-echo");
    const policy = await loadPolicy(policyDir({ kind: "test-echo", value: 42 }));
    expect(Array.from(await policy.infer(obs))).toEqual([42]);
  });

  it.each([
    ["an unknown kind, listing the known ones", { kind: "vla-nope" }, /unknown policy kind "vla-nope"; known kinds: constant/],
    ["a missing kind", { actions: [[1]] }, /has no "kind"/],
    ["invalid JSON", "{nope", /not valid JSON/],
    ["ragged constant rows", { kind: "constant", actions: [[1, 2], [3]] }, /same number/],
    ["a constant without actions", { kind: "constant" }, /needs "actions"/],
    ["metadata that is not a map", { kind: "constant", actions: [[1]], metadata: [1] }, /"metadata" must be a JSON object/],
  ])("refuses %s", async (_name, json, message) => {
    await expect(loadPolicy(policyDir(json))).rejects.toThrow(message);
  });

  it("says what a policy folder needs when policy.json is absent", async () => {
    await expect(loadPolicy(mkdtempSync(join(tmpdir(), "roboalign-empty-")))).rejects.toThrow(/policy.json not found; a policy folder needs a policy.json such as \{"kind": "constant"/);
  });
});
