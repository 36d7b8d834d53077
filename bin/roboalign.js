#!/usr/bin/env node
// Entry point of the `roboalign` command: runs the compiled CLI in dist/.
import { main } from "../dist/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`roboalign: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
