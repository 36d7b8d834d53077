// ref: openpi src/openpi/policies/policy_config.py (a served policy = a model + its
// `policy_metadata` + a default prompt); here chosen by `DIR/policy.json` {"kind": ...}.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Policy } from "../vla/policy.js";
import { loadConstantPolicy } from "./constant-policy.js";

/**
 * `DIR/policy.json`: `kind` picks the loader; the rest is the kind's own settings, plus two that
 * every kind shares: `metadata` (the map sent to each client first; ALOHA clients read
 * `reset_pose` from it) and `default_prompt` (for clients that send none, such as ALOHA).
 */
export interface PolicyConfig {
  kind: string;
  metadata?: Record<string, unknown>;
  default_prompt?: string;
  [setting: string]: unknown;
}

/** Builds a policy from its folder and parsed policy.json. */
export type PolicyLoader = (dir: string, config: PolicyConfig) => Promise<Policy>;

export interface ServedPolicy {
  policy: Policy;
  metadata: Record<string, unknown>;
  defaultPrompt?: string;
}

/** The VLA of `roboalign vla train`; the native core loads only when one is served. */
async function loadVlaPolicy(dir: string): Promise<Policy> {
  const [{ VlaPolicy }, { getNativeCore }] = await Promise.all([import("../vla/vla-policy.js"), import("../native/core.js")]);
  return VlaPolicy.load(getNativeCore(), dir);
}

const loaders = new Map<string, PolicyLoader>([
  ["constant", loadConstantPolicy],
  ["vla", loadVlaPolicy],
]);

/** Makes `kind` loadable from policy.json (the VLA registers itself here). Re-registering replaces. */
export function registerPolicyKind(kind: string, loader: PolicyLoader): void {
  loaders.set(kind, loader);
}

export function knownPolicyKinds(): string[] {
  return [...loaders.keys()].sort();
}

export function readPolicyConfig(dir: string): PolicyConfig {
  const file = join(dir, "policy.json");
  if (!existsSync(file)) throw new Error(`${file} not found; a policy folder needs a policy.json such as {"kind": "constant", "actions": [[0, 0, 0, 0, 0, 0, -1]]}`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw new Error(`${file} must hold a JSON object with a "kind"`);
  const c = config as Record<string, unknown>;
  if (typeof c.kind !== "string") throw new Error(`${file} has no "kind"; known kinds: ${knownPolicyKinds().join(", ")}`);
  if (c.metadata !== undefined && (typeof c.metadata !== "object" || c.metadata === null || Array.isArray(c.metadata))) {
    throw new Error(`${file}: "metadata" must be a JSON object (clients call .get on it)`);
  }
  if (c.default_prompt !== undefined && typeof c.default_prompt !== "string") throw new Error(`${file}: "default_prompt" must be a string`);
  return c as PolicyConfig;
}

/** The policy with its serving settings (metadata, default prompt) from `DIR/policy.json`. */
export async function loadServedPolicy(dir: string): Promise<ServedPolicy> {
  const config = readPolicyConfig(dir);
  const loader = loaders.get(config.kind);
  if (!loader) {
    throw new Error(`${join(dir, "policy.json")}: unknown policy kind "${config.kind}"; known kinds: ${knownPolicyKinds().join(", ")} (a new kind is added with registerPolicyKind)`);
  }
  return { policy: await loader(dir, config), metadata: config.metadata ?? {}, defaultPrompt: config.default_prompt };
}

export async function loadPolicy(dir: string): Promise<Policy> {
  return (await loadServedPolicy(dir)).policy;
}
