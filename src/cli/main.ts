// The `roboalign` command line: one yargs command module per file in ./commands.
import yargs from "yargs";
import { commands } from "./commands/index.js";

/** A usage mistake yargs found (unknown flag, missing option, conflict): no handler may run after it. */
class UsageError extends Error {}

/** Runs the CLI on `argv` (without `node` and the script) and resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
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
      // Throwing stops yargs before the command's handler runs on invalid input.
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`roboalign: ${e.message}\nRun \`roboalign --help\` for usage.\n`);
    return 2;
  }
  return (process.exitCode as number | undefined) || 0;
}
