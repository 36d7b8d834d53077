// SIGINT / SIGTERM during training: the first signal asks the loop to stop after the current
// step and write a checkpoint; a second one exits at once (the last checkpoint stays valid
// because checkpoints are written to a temporary folder and renamed).
export class StopSignal {
  private requested: NodeJS.Signals | null = null;
  private readonly handler = (signal: NodeJS.Signals) => {
    if (this.requested) {
      process.stderr.write(`\n${signal} again: exiting without a checkpoint\n`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    this.requested = signal;
    process.stderr.write(`\n${signal}: finishing this step and writing a checkpoint (send it again to exit at once)\n`);
  };

  constructor() {
    process.on("SIGINT", this.handler);
    process.on("SIGTERM", this.handler);
  }

  get stopRequested(): NodeJS.Signals | null {
    return this.requested;
  }

  /** The exit code a stopped run should end with (128 + signal number). */
  get exitCode(): number {
    return this.requested === "SIGINT" ? 130 : this.requested === "SIGTERM" ? 143 : 0;
  }

  dispose(): void {
    process.off("SIGINT", this.handler);
    process.off("SIGTERM", this.handler);
  }
}
