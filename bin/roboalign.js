#!/usr/bin/env node
// Entry point of the `roboalign` command: runs the compiled CLI in dist/.
import { main } from "../dist/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // Expected failures print their message (and fix hint); ROBOALIGN_DEBUG=1 adds the stack.
    const debug = Boolean(process.env.ROBOALIGN_DEBUG);
    const code = err && err.code ? ` [${err.code}]` : "";
    const text = debug && err && err.stack ? err.stack : err && err.message ? err.message : String(err);
    process.stderr.write(`roboalign${code}: ${text}\n`);
    if (err && err.hint) process.stderr.write(`hint: ${err.hint}\n`);
    process.exitCode = 1;
  },
);
