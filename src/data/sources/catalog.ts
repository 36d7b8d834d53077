// Lazy, indexable sample sources over recorded episodes: each source lists cheap index entries
// (episode, step, question key) up front from numbers alone, and decodes the step's image only in
// `get(i)`, so a catalog over thousands of samples holds no pixels. The embedded mixture's source
// names (src/data/mixture/recipes.ts) map to the generators of this folder.
import type { FastCodec } from "../../fast/codec.js";
import { rng } from "../../util/random.js";
import type { ImageProcessorOptions } from "../../vision/processor-config.js";
import type { SourceKind } from "../mixture/config.js";
import type { Episode } from "../episode.js";
import type { SourceSample } from "./episode-sources.js";
import { fastActionSteps, robotQaSteps } from "./episode-steps.js";
import { fastActionReasoning } from "./fast-action-reasoning.js";
import { grounding } from "./grounding.js";
import { reasoningMcq } from "./reasoning-mcq.js";
import { sceneCaption } from "./scene-caption.js";
import { hashSeed } from "./scene-words.js";
import { spatialVqa } from "./spatial-vqa.js";
import type { StepQuestions } from "./step-questions.js";

export interface SampleSource {
  name: string;
  kind: SourceKind;
  /** Distinct samples; `get` takes 0 ≤ i < size. */
  size: number;
  get(i: number): Promise<SourceSample>;
}

const FIELDS = 5; // episode, step, q, a, b

/** A StepQuestions generator indexed over a list of episodes. */
export class StepQuestionSource implements SampleSource {
  readonly name: string;
  readonly kind: SourceKind;
  private readonly entries: Int32Array;

  constructor(
    private readonly episodes: readonly Episode[],
    private readonly gen: StepQuestions,
    seed = 0,
  ) {
    this.name = gen.name;
    this.kind = gen.kind;
    const out: number[] = [];
    episodes.forEach((ep, e) => {
      for (let t = 0; t < ep.steps; t += gen.stride) {
        const rand = rng(hashSeed(gen.name, seed, e, ep.id, t));
        for (const k of gen.keys(ep, t, rand)) out.push(e, t, k.q, k.a, k.b);
      }
    });
    this.entries = Int32Array.from(out);
  }

  get size(): number {
    return this.entries.length / FIELDS;
  }

  /** The index entry of sample i (for tests and reports). */
  entry(i: number): { episode: number; step: number; q: number; a: number; b: number } {
    const o = this.check(i) * FIELDS;
    const e = this.entries;
    return { episode: e[o], step: e[o + 1], q: e[o + 2], a: e[o + 3], b: e[o + 4] };
  }

  async get(i: number): Promise<SourceSample> {
    const { episode, step, q, a, b } = this.entry(i);
    const ep = this.episodes[episode];
    const image = async () => {
      const f = await ep.images[this.gen.camera]?.frame(step);
      if (!f) throw new Error(`${this.name}: episode ${ep.id} camera ${this.gen.camera} has no decodable frame ${step}; check the dataset with \`roboalign data inspect --decode-frames\``);
      return { data: f.data, height: f.height, width: f.width };
    };
    return this.gen.build(ep, step, { q, a, b }, image);
  }

  private check(i: number): number {
    if (!(Number.isInteger(i) && i >= 0 && i < this.size)) throw new RangeError(`${this.name}: sample index ${i} is outside 0..${this.size - 1}`);
    return i;
  }
}

export interface EmbeddedContext {
  episodes: readonly Episode[];
  /** FAST codec and chunk horizon for `sim-fast-action`. */
  codec?: FastCodec;
  horizon?: number;
  /** The model's image processor (grounding coordinates are in the resized image). */
  image?: Partial<ImageProcessorOptions>;
  seed?: number;
}

/** Embedded source name → its generator. */
export const EMBEDDED_SOURCES: Record<string, (ctx: EmbeddedContext) => StepQuestions> = {
  "sim-spatial-vqa": () => spatialVqa(),
  "sim-grounding": (ctx) => grounding({ image: ctx.image }),
  "sim-scene-caption": () => sceneCaption(),
  "sim-robot-qa": () => robotQaSteps(),
  "sim-reasoning-mcq": (ctx) => reasoningMcq({ seed: ctx.seed }),
  "sim-fast-action-reasoning": (ctx) => {
    if (!ctx.codec) throw new Error("sim-fast-action-reasoning needs a FAST tokenizer: pass one (e.g. --fast DIR, made by `roboalign fast fit`)");
    return fastActionReasoning({ codec: ctx.codec, horizon: ctx.horizon ?? ctx.codec.processor.config.timeHorizon ?? 10 });
  },
  "sim-fast-action": (ctx) => {
    if (!ctx.codec) throw new Error("sim-fast-action needs a FAST tokenizer: pass one (e.g. --fast DIR, made by `roboalign fast fit`)");
    const horizon = ctx.horizon ?? ctx.codec.processor.config.timeHorizon ?? 10;
    return fastActionSteps({ codec: ctx.codec, horizon });
  },
};

export function embeddedSource(name: string, ctx: EmbeddedContext): StepQuestionSource {
  const make = EMBEDDED_SOURCES[name];
  if (!make) throw new Error(`unknown embedded source "${name}" (known: ${Object.keys(EMBEDDED_SOURCES).join(", ")})`);
  return new StepQuestionSource(ctx.episodes, make(ctx), ctx.seed ?? 0);
}
