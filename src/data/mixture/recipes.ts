// Named mixtures as code. `paper-a3` is RoboAlign Appendix A.3 (1.88M MLLM samples + 400K
// BridgeV2 FAST-token samples = 2.28M) with the real source names; point ROBOALIGN_DATA (or
// edit the paths) at local copies. `embedded` is what the built-in robot world generates
// (generators in src/data/sources/catalog.ts, from episodes of `roboalign sim generate`).
import { join } from "node:path";
import type { MixtureConfig, MixtureSource } from "./config.js";

function paperA3(root: string): MixtureConfig {
  const src = (name: string, kind: MixtureSource["kind"], format: MixtureSource["format"], dir: string, samples: number): MixtureSource => ({
    name,
    kind,
    format,
    path: join(root, dir),
    samples,
  });
  return {
    name: "paper-a3",
    seed: 0,
    sources: [
      src("llava-onevision-single", "general-vqa", "llava", "llava-onevision", 100_000),
      src("refspatial", "embodied-vqa", "llava", "refspatial", 300_000),
      src("robopoint", "embodied-vqa", "llava", "robopoint", 200_000),
      src("egoplan-it", "embodied-vqa", "llava", "egoplan-it", 50_000),
      src("multiview-instruction", "embodied-vqa", "llava", "multiview-instruction", 500_000),
      src("sharerobot", "robot-qa", "llava", "sharerobot", 100_000),
      src("robotvqa", "robot-qa", "llava", "robotvqa", 100_000),
      src("roboalign-vqa", "robot-qa", "llava", "roboalign-vqa", 150_000),
      src("bridge-droid-robot-qa", "robot-qa", "llava", "bridge-droid-robot-qa", 300_000),
      src("reasoning-cot", "reasoning", "llava", "reasoning-cot", 76_000),
      src("bridgev2-fast", "fast-action", "rlds", "bridge_v2", 400_000),
    ],
  };
}

function embedded(): MixtureConfig {
  const src = (name: string, kind: MixtureSource["kind"], samples: number): MixtureSource => ({ name, kind, format: "embedded", samples });
  return {
    name: "embedded",
    seed: 0,
    sources: [
      src("sim-scene-caption", "general-vqa", 500),
      src("sim-spatial-vqa", "embodied-vqa", 2_000),
      src("sim-grounding", "embodied-vqa", 1_000),
      src("sim-robot-qa", "robot-qa", 2_000),
      src("sim-reasoning-mcq", "reasoning", 1_000),
      src("sim-fast-action-reasoning", "reasoning", 600),
      src("sim-fast-action", "fast-action", 4_000),
    ],
  };
}

export const MIXTURE_RECIPES: Record<string, () => MixtureConfig> = {
  "paper-a3": () => paperA3(process.env.ROBOALIGN_DATA ?? "data"),
  embedded,
};

export function mixtureRecipe(name: string): MixtureConfig {
  const make = MIXTURE_RECIPES[name];
  if (!make) throw new Error(`unknown mixture recipe "${name}" (known: ${Object.keys(MIXTURE_RECIPES).join(", ")})`);
  return make();
}
