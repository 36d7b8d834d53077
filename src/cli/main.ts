// The `roboalign` command line: one yargs command module per file in ./commands.
import yargs from "yargs";
import { commands } from "./commands/index.js";

/** Runs the CLI on `argv` (without `node` and the script) and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("roboalign")
    .usage("$0 <command> [options]")
    .command(commands)
    .demandCommand(1, "Name a command; `roboalign --help` lists them.")
    .strict()
    .strictCommands()
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`roboalign: ${msg}\nRun \`roboalign --help\` for usage.\n`);
      exitCode = 2;
    });
  await parser.parseAsync();
  return exitCode || (process.exitCode as number | undefined) || 0;
}
