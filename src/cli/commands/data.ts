// `roboalign data inspect PATH`: summarizes a LeRobot v2 / RLDS TFRecord / LIBERO HDF5 / LLaVA
// JSON(L) dataset with the readers of src/data, listing every skipped item and why.
// `roboalign data stats --mixture M --tokenizer DIR`: samples, tokens and images per mixture source.
import { SingleBar } from "cli-progress";
import type { Argv, CommandModule } from "yargs";
import { DataInputError, formatReport, inspectEpisodes, inspectLlava, LlavaReader, openDataset, SkipLog } from "../../data/index.js";
import { loadMixture } from "../../data/mixture/index.js";
import { resolveMixture } from "../../data/sources/resolve.js";
import { formatStats, mixtureStats, scanIndices } from "../../data/stats.js";
import { FastCodec } from "../../fast/codec.js";
import { loadFastDirectory } from "../../fast/processor-dir.js";
import { TextTokenizer } from "../../text/tokenizer.js";
import { loadImageProcessorConfig } from "../../vision/processor-config.js";

interface InspectArgs {
  path: string;
  format: "auto" | "lerobot" | "rlds" | "libero" | "llava";
  json: boolean;
  decodeFrames: boolean;
  imageFolder?: string;
}

const inspectCommand: CommandModule<object, InspectArgs> = {
  command: "inspect <path>",
  describe: "Summarize a dataset: episodes, steps, instructions, shapes, sums and skipped items",
  builder: (y: Argv<object>) =>
    y
      .positional("path", { type: "string", demandOption: true, describe: "Dataset file or folder" })
      .option("format", { choices: ["auto", "lerobot", "rlds", "libero", "llava"] as const, default: "auto" as const, describe: "Dataset format (auto: from the path)" })
      .option("json", { type: "boolean", default: false, describe: "Print a JSON report" })
      .option("decode-frames", { type: "boolean", default: false, describe: "Decode every image frame (finds undecodable images; slower)" })
      .option("image-folder", { type: "string", describe: "LLaVA: folder image paths are relative to (default: <file dir>/images)" }) as unknown as Argv<InspectArgs>,
  handler: async (args) => {
    try {
      const reader = openDataset(args.path, args.format, args.imageFolder);
      const report = reader instanceof LlavaReader ? await inspectLlava(reader) : await inspectEpisodes(reader, args.decodeFrames);
      process.stdout.write((args.json ? JSON.stringify(report, null, 2) : formatReport(report)) + "\n");
    } catch (e) {
      if (!(e instanceof DataInputError) && (e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      process.stderr.write(`roboalign data inspect: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  },
};

interface StatsArgs {
  mixture: string;
  tokenizer: string;
  episodes?: string;
  fast?: string;
  horizon?: number;
  limit?: number;
  json: boolean;
  imageFolder?: string;
}

const statsCommand: CommandModule<object, StatsArgs> = {
  command: "stats",
  describe: "Count samples, tokens (text + image) and images per source of a mixture",
  builder: (y: Argv<object>) =>
    y
      .option("mixture", { type: "string", demandOption: true, describe: "mixture JSON/YAML file or recipe name (embedded, paper-a3)" })
      .option("tokenizer", { type: "string", demandOption: true, describe: "folder with tokenizer.json (and preprocessor_config.json, else Qwen2.5-VL defaults)" })
      .option("episodes", { type: "string", describe: "LeRobot folder of simulator episodes for embedded sources (from `roboalign sim generate`)" })
      .option("fast", { type: "string", describe: "FAST tokenizer folder for fast-action sources (from `roboalign fast fit`)" })
      .option("horizon", { type: "number", describe: "action chunk length for FAST samples (default: the FAST tokenizer's time_horizon, else 10)" })
      .option("limit", { type: "number", describe: "tokenize at most N evenly spaced samples per source; totals become estimates" })
      .option("json", { type: "boolean", default: false, describe: "print a JSON report" })
      .option("image-folder", { type: "string", describe: "LLaVA: folder image paths are relative to" })
      .check((a) => {
        if (a.limit !== undefined && !(Number.isInteger(a.limit) && a.limit > 0)) throw new Error("--limit must be a positive integer");
        return true;
      }) as unknown as Argv<StatsArgs>,
  handler: async (a) => {
    try {
      const config = loadMixture(a.mixture);
      const tokenizer = TextTokenizer.fromDir(a.tokenizer);
      const image = loadImageProcessorConfig(a.tokenizer);
      const rope = { imageTokenId: tokenizer.requireId("<|image_pad|>"), visionStartTokenId: tokenizer.requireId("<|vision_start|>"), spatialMergeSize: image.mergeSize };
      let codec: FastCodec | undefined;
      if (a.fast) {
        const dir = loadFastDirectory(a.fast);
        codec = new FastCodec(dir.processor, dir.normalizer);
      }
      const skips = new SkipLog();
      const sources = await resolveMixture(config, { episodes: a.episodes, codec, horizon: a.horizon, image, imageFolder: a.imageFolder, skips });
      const total = sources.reduce((n, s) => n + scanIndices(s.size, a.limit).length, 0);
      const bar = new SingleBar({ format: "data stats [{bar}] {value}/{total} samples | eta {eta_formatted}", hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000 });
      bar.start(total, 0);
      let stats;
      try {
        stats = await mixtureStats(config, sources, tokenizer, { rope, image, limit: a.limit, onSample: () => bar.increment() });
      } finally {
        bar.stop();
      }
      process.stdout.write((a.json ? JSON.stringify({ ...stats, skipped: skips.items }, null, 2) : formatStats(stats) + (skips.count ? `\n${skips.count} item(s) skipped while reading episodes` : "")) + "\n");
    } catch (e) {
      process.stderr.write(`roboalign data stats: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  },
};

export const dataCommand: CommandModule<object, object> = {
  command: "data <command>",
  describe: "Inspect robot and VQA datasets (LeRobot v2, RLDS TFRecord, LIBERO HDF5, LLaVA JSON) and count mixture tokens",
  builder: (y: Argv<object>) => y.command(inspectCommand as unknown as CommandModule<object, object>).command(statsCommand as unknown as CommandModule<object, object>).demandCommand(1),
  handler: () => {},
};
