// `roboalign fast …`: fit a FAST action tokenizer, encode actions to token ids, decode ids to
// actions, and report tokenization statistics (src/fast, reference/fast.md).
import type { Argv, CommandModule } from "yargs";

import {
  ActionNormalizer,
  chunkToRows,
  computeActionStats,
  FastCodec,
  FastInputError,
  fitFast,
  loadFastDirectory,
  NORMALIZATION_MODES,
  type NormalizationMode,
  readActionsFile,
  readIdsFile,
  saveFastDirectory,
  tokenizationStats,
} from "../../fast/index.js";

const out = (text: string): void => {
  process.stdout.write(text.endsWith("\n") ? text : text + "\n");
};

/** Runs a sub-command; input errors become one clear line on stderr and exit code 1. */
async function run(name: string, body: () => void | Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof FastInputError)) throw e;
    process.stderr.write(`roboalign fast ${name}: ${e.message}\n`);
    process.exitCode = 1;
  }
}

const fmt = (x: number, digits = 4): string => (Number.isInteger(x) ? String(x) : x.toPrecision(digits));

function loadCodec(dir: string): FastCodec {
  const { processor, normalizer } = loadFastDirectory(dir);
  return new FastCodec(processor, normalizer);
}

interface FitArgs {
  actions: string;
  vocabSize: number;
  scale: number;
  out: string;
  normalize: NormalizationMode | "none";
  clip: boolean;
  timeHorizon?: number;
  actionDim?: number;
  json: boolean;
}

const fitCommand: CommandModule<object, FitArgs> = {
  command: "fit",
  describe: "Fit a FAST tokenizer (DCT + byte-level BPE) on action chunks and save it to a directory",
  builder: (y: Argv<object>) =>
    y
      .option("actions", { type: "string", demandOption: true, describe: "Action chunks: JSON array N×H×D or .npy (N, H, D)" })
      .option("vocab-size", { type: "number", demandOption: true, describe: "BPE vocabulary size (FAST+ uses 2048)" })
      .option("scale", { type: "number", default: 10, describe: "DCT coefficient scale before rounding" })
      .option("out", { type: "string", demandOption: true, describe: "Directory to write the tokenizer to" })
      .option("normalize", {
        choices: [...NORMALIZATION_MODES, "none"] as const,
        default: "none" as const,
        describe: "Normalize actions first (statistics saved with the tokenizer); quantile = openpi's q01/q99",
      })
      .option("clip", { type: "boolean", default: true, describe: "Clip normalized actions to [-1, 1] (quantile, minmax)" })
      .option("time-horizon", { type: "number", describe: "H saved for decode (default: the first chunk's)" })
      .option("action-dim", { type: "number", describe: "D saved for decode (default: the first chunk's)" })
      .option("json", { type: "boolean", default: false, describe: "Print a JSON report" }) as unknown as Argv<FitArgs>,
  handler: (args) =>
    run("fit", () => {
      const raw = readActionsFile(args.actions);
      let normalizer: ActionNormalizer | null = null;
      let chunks = raw;
      if (args.normalize !== "none") {
        normalizer = new ActionNormalizer(computeActionStats(raw), {
          mode: args.normalize,
          clip: args.normalize === "meanstd" ? false : args.clip,
        });
        chunks = raw.map((c) => (normalizer as ActionNormalizer).normalize(c));
      }
      const { processor, report } = fitFast(chunks, {
        scale: args.scale,
        vocabSize: args.vocabSize,
        timeHorizon: args.timeHorizon,
        actionDim: args.actionDim,
      });
      saveFastDirectory(args.out, { processor, normalizer });
      const summary = { out: args.out, chunks: raw.length, normalize: args.normalize, ...report };
      if (args.json) return out(JSON.stringify(summary, null, 2));
      const lines = [
        `Fitted FAST tokenizer on ${raw.length} chunks → ${args.out}`,
        `  scale ${args.scale}, min_token ${report.minToken}, max_token ${report.maxToken}`,
        `  vocab ${report.bpeVocabSize} (alphabet ${report.alphabetSize} + ${report.numMerges} merges; stopped by ${report.stoppedBy}, last merge count ${report.lastMergeCount})`,
        `  normalization: ${args.normalize}`,
      ];
      for (const w of report.warnings) lines.push(`  warning: ${w}`);
      if (args.normalize === "none" && report.maxToken - report.minToken > 20 * args.scale) {
        lines.push("  hint: the coefficients span a wide range; actions are usually normalized first (--normalize quantile)");
      }
      out(lines.join("\n"));
    }),
};

/** The inputs of `encode` and `stats`. */
const TOKENIZER_AND_ACTIONS = {
  tokenizer: { type: "string", demandOption: true, describe: "FAST tokenizer directory" },
  actions: { type: "string", demandOption: true, describe: "Action chunks: JSON array N×H×D or .npy (N, H, D)" },
} as const;

interface EncodeArgs {
  tokenizer: string;
  actions: string;
  json: boolean;
}

const encodeCommand: CommandModule<object, EncodeArgs> = {
  command: "encode",
  describe: "Encode action chunks to FAST token ids",
  builder: (y: Argv<object>) =>
    y
      .options(TOKENIZER_AND_ACTIONS)
      .option("json", { type: "boolean", default: false, describe: 'Print {"ids": [[...], ...]}' }) as unknown as Argv<EncodeArgs>,
  handler: (args) =>
    run("encode", () => {
      const codec = loadCodec(args.tokenizer);
      const chunks = readActionsFile(args.actions);
      const ids = chunks.map((c, i) => {
        try {
          return Array.from(codec.encode(c));
        } catch (e) {
          if (e instanceof FastInputError) throw new FastInputError(`chunk ${i}: ${e.message}`);
          throw e;
        }
      });
      if (args.json) return out(JSON.stringify({ ids }));
      const total = ids.reduce((a, x) => a + x.length, 0);
      out(ids.map((x, i) => `chunk ${i} (${x.length} tokens): ${x.join(" ")}`).join("\n"));
      out(`${ids.length} chunks, ${fmt(total / ids.length, 3)} tokens per chunk on average`);
    }),
};

interface DecodeArgs {
  tokenizer: string;
  ids: string;
  horizon?: number;
  dim?: number;
  json: boolean;
}

const decodeCommand: CommandModule<object, DecodeArgs> = {
  command: "decode",
  describe: "Decode FAST token ids to action chunks (invalid sequences decode to zeros, with a status)",
  builder: (y: Argv<object>) =>
    y
      .option("tokenizer", { type: "string", demandOption: true, describe: "FAST tokenizer directory" })
      .option("ids", { type: "string", demandOption: true, describe: "JSON array of id lists" })
      .option("horizon", { type: "number", describe: "H, timesteps per chunk (default: the tokenizer's time_horizon)" })
      .option("dim", { type: "number", describe: "D, action dimensions (default: the tokenizer's action_dim)" })
      .option("json", { type: "boolean", default: false, describe: 'Print {"actions": [...], "status": [...]}' }) as unknown as Argv<DecodeArgs>,
  handler: (args) =>
    run("decode", () => {
      const codec = loadCodec(args.tokenizer);
      const lists = readIdsFile(args.ids);
      const shape = codec.processor.resolveShape({ horizon: args.horizon, dim: args.dim });
      const results = lists.map((ids) => codec.decode(ids, shape));
      const status = results.map((r) => (r.status === "ok" ? "ok" : `${r.status}: ${r.message}`));
      if (args.json) return out(JSON.stringify({ actions: results.map((r) => chunkToRows(r.actions)), status }));
      const lines: string[] = [];
      results.forEach((r, i) => {
        lines.push(`chunk ${i}: ${status[i]}`);
        for (const row of chunkToRows(r.actions)) lines.push(`  ${row.map((v) => fmt(v, 6)).join("  ")}`);
      });
      const bad = results.filter((r) => r.status !== "ok").length;
      lines.push(`${results.length} chunks decoded, ${bad} to zeros`);
      out(lines.join("\n"));
    }),
};

interface StatsArgs {
  tokenizer: string;
  actions: string;
  json: boolean;
}

const statsCommand: CommandModule<object, StatsArgs> = {
  command: "stats",
  describe: "Tokens per chunk, compression ratio and reconstruction error per dimension",
  builder: (y: Argv<object>) =>
    y
      .options(TOKENIZER_AND_ACTIONS)
      .option("json", { type: "boolean", default: false, describe: "Print a JSON report" }) as unknown as Argv<StatsArgs>,
  handler: (args) =>
    run("stats", () => {
      const codec = loadCodec(args.tokenizer);
      const s = tokenizationStats(codec, readActionsFile(args.actions));
      if (args.json) return out(JSON.stringify(s, null, 2));
      const t = s.tokensPerChunk;
      const r = s.reconstruction;
      out(
        [
          `${s.chunks} chunks${codec.normalizer ? ` (errors in raw units; ${codec.normalizer.spec.mode} normalization)` : ""}`,
          `  tokens per chunk: mean ${fmt(t.mean)}, median ${fmt(t.median)}, min ${t.min}, max ${t.max}`,
          `  compression ratio: ${fmt(s.compressionRatio)} coefficients per token`,
          `  decode failures: ${s.failedDecodes}`,
          `  reconstruction |error|: max ${fmt(r.maxAbsError)}, mean ${fmt(r.meanAbsError)}`,
          "  per dimension (max / mean):",
          ...r.maxAbsErrorPerDim.map((m, d) => `    dim ${d}: ${fmt(m)} / ${fmt(r.meanAbsErrorPerDim[d])}`),
        ].join("\n"),
      );
    }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const fastCommand: CommandModule<any, any> = {
  command: "fast <command>",
  describe: "FAST action tokenizer: fit, encode, decode, stats",
  builder: (y: Argv) =>
    y
      .command(fitCommand)
      .command(encodeCommand)
      .command(decodeCommand)
      .command(statsCommand)
      .demandCommand(1, "Name a fast sub-command: fit, encode, decode or stats."),
  handler: () => {},
};
