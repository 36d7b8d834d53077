// Worker-thread bootstrap for running from TypeScript sources (vitest): registers ts-hooks.mjs, then
// imports the worker entry named in workerData.entry. The compiled CLI starts worker-entry.js directly.
import { register } from "node:module";
import { workerData } from "node:worker_threads";

register("./ts-hooks.mjs", import.meta.url);
await import(workerData.entry);
