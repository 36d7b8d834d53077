// `roboalign data inspect PATH`: summarizes a LeRobot v2 / RLDS TFRecord / LIBERO HDF5 / LLaVA
// JSON(L) dataset with the readers of src/data, listing every skipped item and why.
import type { Argv, CommandModule } from "yargs";
import { DataInputError, formatReport, inspectEpisodes, inspectLlava, LlavaReader, openDataset } from "../../data/index.js";

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

export const dataCommand: CommandModule<object, object> = {
  command: "data <command>",
  describe: "Inspect robot and VQA datasets (LeRobot v2, RLDS TFRecord, LIBERO HDF5, LLaVA JSON)",
  builder: (y: Argv<object>) => y.command(inspectCommand as unknown as CommandModule<object, object>).demandCommand(1),
  handler: () => {},
};
