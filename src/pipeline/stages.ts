// The pipeline's preparation stages: expert data from the embedded world, a FAST tokenizer fitted
// to its actions, and a small text tokenizer trained on the text the model will see.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { mixtureRecipe } from "../data/mixture/recipes.js";
import { defaultRecordWorkers, recordSimEpisodes } from "../data/record-sim.js";
import { loadEpisodes, resolveMixture } from "../data/sources/resolve.js";
import { actionChunkAt } from "../data/sources/action-chunks.js";
import { RL_SYSTEM_PROMPT, fastTokenPrompt } from "../data/sources/prompts.js";
import type { ActionChunk } from "../fast/chunk.js";
import { FastCodec } from "../fast/codec.js";
import { fitFast } from "../fast/fit.js";
import { ActionNormalizer, computeActionStats } from "../fast/normalization.js";
import { saveFastDirectory } from "../fast/processor-dir.js";
import type { SuiteName } from "../sim/tasks.js";
import type { ChatMessage } from "../text/chat-template.js";
import { trainQwenBpeTokenizer } from "../text/bpe-trainer.js";
import { writeTokenizerFiles } from "../text/tokenizer-files.js";
import type { PipelineConfig } from "./config.js";
import { evenlySpaced } from "../util/arrays.js";

/** Held-out episodes start at this index: task i mod 10 from initial state 45 on, never used for training. */
export const HELDOUT_FIRST_INDEX = 450;

export interface DataDirs {
  train: string[];
  heldout: string[];
}

export async function recordData(c: PipelineConfig, log: (line: string) => void): Promise<DataDirs> {
  const dirs: DataDirs = { train: [], heldout: [] };
  for (const suite of c.suites) {
    for (const [split, first, count] of [["train", 0, c.trainEpisodes], ["heldout", HELDOUT_FIRST_INDEX, c.heldoutEpisodes]] as const) {
      const out = join(c.out, "data", `${suite}-${split}`);
      const r = await recordSimEpisodes({ out, suite: suite as SuiteName, indices: Array.from({ length: count }, (_, i) => first + i), imageSize: c.imageSize, workers: defaultRecordWorkers() });
      log(`data: ${out}: ${r.written} recorded, ${r.resumed} already there, ${r.failed} expert failures`);
      dirs[split].push(out);
    }
  }
  return dirs;
}

/** FAST fitted to every action chunk of the training episodes, with quantile normalization. */
export async function fitFastStage(c: PipelineConfig, dirs: DataDirs, log: (line: string) => void): Promise<{ dir: string; codec: FastCodec }> {
  const dir = join(c.out, "fast");
  const chunks: ActionChunk[] = [];
  for (const d of dirs.train) {
    for (const ep of await loadEpisodes(d)) {
      for (let t = 0; t < ep.steps; t++) chunks.push(actionChunkAt(ep.actions, ep.actionDim, ep.steps, t, c.actionHorizon));
    }
  }
  const normalizer = new ActionNormalizer(computeActionStats(chunks), { mode: "quantile", clip: true });
  const { processor, report } = fitFast(chunks.map((x) => normalizer.normalize(x)), { vocabSize: c.fastVocab });
  saveFastDirectory(dir, { processor, normalizer });
  const codec = new FastCodec(processor, normalizer);
  const mean = chunks.slice(0, 2000).reduce((s, x) => s + codec.encode(x).length, 0) / Math.min(chunks.length, 2000);
  log(`fast: fitted on ${chunks.length} chunks (H=${c.actionHorizon}): vocab ${report.bpeVocabSize}, ${mean.toFixed(1)} tokens per chunk on average`);
  return { dir, codec };
}

function messageText(messages: readonly ChatMessage[]): string {
  return messages
    .map((m) => (typeof m.content === "string" ? m.content : m.content.map((p) => ("text" in p && typeof p.text === "string" ? p.text : "")).join(" ")))
    .join("\n");
}

/** A byte-level BPE trained on the embedded sources' text (prompts, questions, answers). */
export async function trainTokenizerStage(c: PipelineConfig, dirs: DataDirs, codec: FastCodec, log: (line: string) => void): Promise<string> {
  const dir = join(c.out, "tokenizer");
  if (existsSync(join(dir, "tokenizer.json"))) return dir;
  const episodes = (await Promise.all(dirs.train.map((d) => loadEpisodes(d)))).flat();
  const sources = await resolveMixture(mixtureRecipe("embedded"), { episodes, codec, horizon: c.actionHorizon });
  const texts: string[] = [RL_SYSTEM_PROMPT];
  for (const s of sources) {
    for (const i of evenlySpaced(s.size, 400)) texts.push(messageText((await s.get(i)).messages));
  }
  for (const ep of episodes) texts.push(fastTokenPrompt(ep.instruction));
  const result = trainQwenBpeTokenizer(texts, { vocabSize: c.textVocab });
  writeTokenizerFiles(dir, result);
  log(`tokenizer: ${result.learnedVocabSize} learned tokens from ${texts.length} texts`);
  return dir;
}
