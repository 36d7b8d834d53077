// A VLA policy folder, the unit `vla eval` and `serve` load:
//   policy.json         {"kind": "vla", backbone (relative to the folder), layer, normHidden, executeSteps, …}
//   head/config.json    the action head's ActionHeadConfig
//   head/model.safetensors
//   normalization.json  state/action statistics of the training data
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { readSafetensorsHeader } from "../model/safetensors.js";
import type { ActionHeadConfig, ActionHeadHandle, Device, DType, NativeCore } from "../native/contract.js";
import type { NormalizationStats } from "./normalizer.js";

export const VLA_POLICY_FORMAT = "roboalign-vla/1";

export interface VlaPolicyFile {
  kind: "vla";
  format: string;
  /** The frozen MLLM folder, relative to the policy folder when it was written inside the same tree. */
  backbone: string;
  layer: number;
  normHidden: boolean;
  stateDim: number;
  actionDim: number;
  horizon: number;
  executeSteps: number;
  denoisingSteps: number;
  /** Sent to policy-server clients on connect. */
  metadata?: Record<string, unknown>;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Writes the head's weights and config into `dir/head`. */
export async function saveHead(core: NativeCore, head: ActionHeadHandle, dir: string): Promise<void> {
  const headDir = join(dir, "head");
  mkdirSync(headDir, { recursive: true });
  await core.saveActionHead(head, { dir: headDir, dtype: "float32" });
  writeJson(join(headDir, "config.json"), core.actionHeadInfo(head).config);
}

export async function loadHead(core: NativeCore, dir: string, device: Device, dtype: DType): Promise<ActionHeadHandle> {
  const headDir = join(dir, "head");
  const cfgFile = join(headDir, "config.json");
  if (!existsSync(cfgFile)) throw new Error(`${headDir} has no config.json: not an action head written by \`roboalign vla train\``);
  const config = JSON.parse(readFileSync(cfgFile, "utf8")) as ActionHeadConfig;
  return core.loadActionHead({ config, weights: readSafetensorsHeader(join(headDir, "model.safetensors")), device, dtype });
}

export async function writePolicyDir(
  core: NativeCore,
  dir: string,
  head: ActionHeadHandle,
  stats: NormalizationStats,
  p: Omit<VlaPolicyFile, "kind" | "format" | "backbone"> & { backbone: string },
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveHead(core, head, dir);
  writeJson(join(dir, "normalization.json"), stats);
  const rel = relative(resolve(dir), resolve(p.backbone));
  writeJson(join(dir, "policy.json"), { kind: "vla", format: VLA_POLICY_FORMAT, ...p, backbone: rel || "." } satisfies VlaPolicyFile);
}

export interface VlaPolicyDir {
  dir: string;
  file: VlaPolicyFile;
  /** Absolute backbone folder. */
  backbone: string;
  stats: NormalizationStats;
}

export function readVlaPolicyDir(dir: string): VlaPolicyDir {
  const file = JSON.parse(readFileSync(join(dir, "policy.json"), "utf8")) as VlaPolicyFile;
  if (file.format !== VLA_POLICY_FORMAT) throw new Error(`${dir}/policy.json has format ${file.format}; this build reads ${VLA_POLICY_FORMAT}`);
  const backbone = isAbsolute(file.backbone) ? file.backbone : resolve(dir, file.backbone);
  if (!existsSync(join(backbone, "config.json"))) {
    throw new Error(`the VLA in ${dir} needs its backbone ${backbone}, which is missing; move the policy together with its backbone or edit "backbone" in policy.json`);
  }
  const stats = JSON.parse(readFileSync(join(dir, "normalization.json"), "utf8")) as NormalizationStats;
  return { dir: resolve(dir), file, backbone, stats };
}
