// Worker-thread side of the evaluation pool: builds its own env and policy from the serialisable spec
// (a Policy object cannot cross threads) and runs the jobs it is sent, one at a time.
import { parentPort } from "node:worker_threads";
import { EpisodeRunner } from "./episode-runner.js";
import { transferablesOf, type FromWorker, type ToWorker } from "./worker-messages.js";

const port = parentPort;
if (!port) throw new Error("worker-entry is a worker_threads script; start it through runJobs() in worker-pool.ts");

let runner: EpisodeRunner | undefined;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const fail = (e: unknown) => send({ type: "error", message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });

// Messages are handled strictly in order: the pool sends a job only after the previous result.
let chainOfWork: Promise<void> = Promise.resolve();
port.on("message", (m: ToWorker) => {
  chainOfWork = chainOfWork.then(async () => {
    try {
      if (m.type === "init") {
        runner = await EpisodeRunner.create(m.spec, m.runner);
        send({ type: "ready" });
      } else if (m.type === "job") {
        if (!runner) throw new Error("worker got a job before init");
        const result = await runner.run(m.job);
        send({ type: "result", result }, transferablesOf(result));
      } else {
        await runner?.dispose();
        runner = undefined;
        send({ type: "closed" });
        port.close();
      }
    } catch (e) {
      fail(e);
    }
  });
});
