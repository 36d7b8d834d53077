// Every CLI command, in the order `roboalign --help` lists them.
import type { CommandModule } from "yargs";
import { dataCommand } from "./data.js";
import { doctorCommand } from "./doctor.js";
import { evalCommand } from "./eval.js";
import { fastCommand } from "./fast.js";
import { generateCommand } from "./generate.js";
import { grpoCommand } from "./grpo.js";
import { modelCommand } from "./model.js";
import { pipelineCommand } from "./pipeline.js";
import { sftCommand } from "./sft.js";
import { serveCommand } from "./serve.js";
import { simCommand } from "./sim.js";
import { tokenizerCommand } from "./tokenizer.js";
import { vlaCommand } from "./vla.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [pipelineCommand, doctorCommand, tokenizerCommand, modelCommand, generateCommand, fastCommand, simCommand, dataCommand, sftCommand, grpoCommand, vlaCommand, evalCommand, serveCommand];
