// A small training setup for tests: a few expert episodes at 32 px, a FAST tokenizer fitted to
// them and a text tokenizer, made with the pipeline's own preparation stages.
import { join } from "node:path";
import { PIPELINE_RECIPES, type PipelineConfig } from "../../src/pipeline/config.js";
import { fitFastStage, recordData, trainTokenizerStage, type DataDirs } from "../../src/pipeline/stages.js";

export interface TrainSetup {
  dir: string;
  data: DataDirs;
  fastDir: string;
  tokenizerDir: string;
  config: PipelineConfig;
}

export async function makeTrainSetup(dir: string, overrides: Partial<PipelineConfig> = {}): Promise<TrainSetup> {
  const config: PipelineConfig = { ...PIPELINE_RECIPES.ci, out: dir, suites: ["goal"], trainEpisodes: 3, heldoutEpisodes: 1, imageSize: 32, actionHorizon: 5, fastVocab: 64, textVocab: 320, ...overrides };
  const quiet = () => undefined;
  const data = await recordData(config, quiet);
  const fast = await fitFastStage(config, data, quiet);
  const tokenizerDir = await trainTokenizerStage(config, data, fast.codec, quiet);
  return { dir, data, fastDir: join(dir, "fast"), tokenizerDir, config };
}
