// `roboalign tokenizer train`: a small byte-level BPE text tokenizer in Qwen's layout, for tiny
// models that should stay cheap on a CPU.
import { existsSync, readFileSync } from "node:fs";
import type { CommandModule } from "yargs";
import { addActionTokensToFiles, trainQwenBpeTokenizer, writeTokenizerFiles } from "../../text/index.js";

interface TrainArgs {
  corpus: string[];
  "vocab-size": number;
  "action-tokens": number;
  out: string;
}

/** Text files (one document per line) or JSONL with a "text" field per line. */
function* readCorpus(files: string[]): Generator<string> {
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`corpus file ${file} not found`);
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      if (file.endsWith(".jsonl")) {
        const o = JSON.parse(line) as { text?: unknown };
        if (typeof o.text === "string") yield o.text;
      } else {
        yield line;
      }
    }
  }
}

const train: CommandModule<object, TrainArgs> = {
  command: "train",
  describe: "Train a byte-level BPE tokenizer with the Qwen special tokens and chat template",
  builder: (y) =>
    y
      .option("corpus", { type: "string", array: true, demandOption: true, describe: "text files (a document per line) or .jsonl with a \"text\" field" })
      .option("vocab-size", { type: "number", default: 4096, describe: "learned vocabulary (bytes + merges); special tokens come after it" })
      .option("action-tokens", { type: "number", default: 0, describe: "also add <action_start>, <action_end> and this many <action_k> tokens (FAST ids)" })
      .option("out", { type: "string", demandOption: true, describe: "output folder (tokenizer.json, tokenizer_config.json)" }),
  handler: (a) => {
    const result = trainQwenBpeTokenizer(readCorpus(a.corpus), { vocabSize: a["vocab-size"] });
    const files = a["action-tokens"] > 0 ? addActionTokensToFiles(result, a["action-tokens"]).files : result;
    writeTokenizerFiles(a.out, files);
    process.stdout.write(
      `wrote ${a.out}: ${result.learnedVocabSize} learned tokens (${result.merges} merges, stopped by ${result.stoppedBy}) + Qwen special tokens${a["action-tokens"] > 0 ? ` + ${a["action-tokens"] + 2} action tokens` : ""}\n`,
    );
  },
};

export const tokenizerCommand: CommandModule = {
  command: "tokenizer <command>",
  describe: "Train text tokenizers for small models",
  builder: (y) => y.command(train).demandCommand(1),
  handler: () => undefined,
};
