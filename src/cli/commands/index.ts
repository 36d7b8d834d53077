// Every CLI command, in the order `roboalign --help` lists them.
import type { CommandModule } from "yargs";
import { dataCommand } from "./data.js";
import { doctorCommand } from "./doctor.js";
import { fastCommand } from "./fast.js";
import { generateCommand } from "./generate.js";
import { modelCommand } from "./model.js";
import { simCommand } from "./sim.js";
import { tokenizerCommand } from "./tokenizer.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [doctorCommand, tokenizerCommand, modelCommand, generateCommand, fastCommand, simCommand, dataCommand];
