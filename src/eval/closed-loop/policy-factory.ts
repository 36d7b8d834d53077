// Policies from serialisable descriptions, so every worker thread can build its own copy
// (shared/reference/simulation.md §2.4: one env per thread; a Policy object cannot cross threads).
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Policy } from "../../vla/policy.js";
import { ExpertPolicy, NoopPolicy } from "./builtin-policies.js";
import type { EpisodeContext } from "./episode-context.js";

/**
 * What a worker needs to build a policy: `kind` picks the factory; everything else is the factory's
 * own configuration and must survive structured cloning (plain JSON-like data).
 */
export interface PolicySpec {
  kind: string;
  /**
   * Module (file URL or package name) that registers `kind` when imported. Workers import it before
   * looking the kind up, since registrations made in the main thread do not exist in a worker.
   */
  module?: string;
  /** Set by `readPolicySpec` for directory policies: the absolute policy directory. */
  dir?: string;
  [key: string]: unknown;
}

export type PolicyFactory = (spec: PolicySpec, ctx: EpisodeContext) => Promise<Policy>;

export interface PolicyKindInfo {
  /** Whether the policy reads camera images; without, the env skips rendering (~10 ms per step). Default true. */
  needsImages?: boolean;
}

interface Entry {
  factory: PolicyFactory;
  info: Required<PolicyKindInfo>;
}

const registry = new Map<string, Entry>();

/** Makes `kind` available to `createPolicy` in this thread; registering a kind twice replaces it. */
export function registerPolicyFactory(kind: string, factory: PolicyFactory, info: PolicyKindInfo = {}): void {
  if (!/^[a-z][a-z0-9_-]*$/i.test(kind)) throw new Error(`policy kind "${kind}" is not a plain name; use letters, digits, - and _`);
  registry.set(kind, { factory, info: { needsImages: info.needsImages ?? true } });
}

export function registeredPolicyKinds(): string[] {
  return [...registry.keys()].sort();
}

async function entryFor(spec: PolicySpec): Promise<Entry> {
  if (!registry.has(spec.kind) && spec.module) await import(spec.module);
  const e = registry.get(spec.kind);
  if (!e) {
    throw new Error(
      `no policy factory for kind "${spec.kind}" (known: ${registeredPolicyKinds().join(", ")}); ` +
        `register it with registerPolicyFactory(), or name the module that does in the spec's "module" field`,
    );
  }
  return e;
}

/** Builds the policy a spec describes, in the calling thread. */
export async function createPolicy(spec: PolicySpec, ctx: EpisodeContext): Promise<Policy> {
  return (await entryFor(spec)).factory(spec, ctx);
}

export async function policyNeedsImages(spec: PolicySpec): Promise<boolean> {
  return (await entryFor(spec)).info.needsImages;
}

export const POLICY_FILE = "policy.json";

/**
 * A policy directory holds `policy.json`, e.g. `{"kind": "vla", "module": "./register.js", ...}`;
 * a relative `module` is resolved against the directory. The spec gets `dir` set to the absolute path.
 */
export async function readPolicySpec(dir: string): Promise<PolicySpec> {
  const abs = resolve(dir);
  const file = join(abs, POLICY_FILE);
  let text: string;
  try {
    if (!(await stat(abs)).isDirectory()) throw new Error("not a directory");
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new Error(
      `cannot read ${file} (${(e as Error).message}); a policy directory needs ${POLICY_FILE} naming its kind, ` +
        `e.g. {"kind": "expert"}, or pass a built-in kind (${registeredPolicyKinds().join(", ")}) instead of a path`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); fix the file`);
  }
  if (!json || typeof json !== "object" || typeof (json as PolicySpec).kind !== "string") {
    throw new Error(`${file} must be a JSON object with a string "kind", e.g. {"kind": "expert"}`);
  }
  const spec = { ...(json as PolicySpec), dir: abs };
  if (spec.module && (spec.module.startsWith("./") || spec.module.startsWith("../") || isAbsolute(spec.module))) {
    spec.module = pathToFileURL(resolve(abs, spec.module)).href;
  }
  return spec;
}

/** The registry's entry point for policy directories: reads `policy.json` and builds the policy. */
export async function loadPolicy(dir: string, ctx: EpisodeContext): Promise<Policy> {
  return createPolicy(await readPolicySpec(dir), ctx);
}

/** A CLI `--policy` value: a registered kind (expert, noop, …) or a policy directory. */
export async function parsePolicyArg(arg: string): Promise<PolicySpec> {
  if (registry.has(arg)) return { kind: arg };
  return readPolicySpec(arg);
}

registerPolicyFactory("expert", async (_spec, ctx) => new ExpertPolicy(ctx), { needsImages: false });
registerPolicyFactory("noop", async () => new NoopPolicy(), { needsImages: false });
// The VLA (`roboalign vla train` output) loads the native core only when a run evaluates one.
registerPolicyFactory("vla", async (spec) => {
  if (!spec.dir) throw new Error('a "vla" policy is a folder: pass its path (the one holding policy.json)');
  const [{ VlaPolicy }, { getNativeCore }] = await Promise.all([import("../../vla/vla-policy.js"), import("../../native/core.js")]);
  return VlaPolicy.load(getNativeCore(), spec.dir, { seed: typeof spec.seed === "number" ? spec.seed : 0 });
});
