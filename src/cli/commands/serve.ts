// `roboalign serve`: an openpi-compatible policy server (WebSocket + msgpack) for LIBERO, DROID
// and ALOHA clients. ref: openpi scripts/serve_policy.py (port 8000, metadata from the config).
import type { CommandModule } from "yargs";
import { loadServedPolicy } from "../../serve/load-policy.js";
import { startPolicyServer } from "../../serve/server.js";

interface ServeArgs {
  policy: string;
  port: number;
  host: string;
  "default-prompt"?: string;
  timing: boolean;
  quiet: boolean;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: "serve",
  describe: "Serve a policy over the openpi WebSocket protocol (GET /healthz on the same port)",
  builder: (y) =>
    y
      .option("policy", { type: "string", demandOption: true, describe: "policy folder holding policy.json ({\"kind\": \"constant\", ...})" })
      .option("port", { type: "number", default: 8000, describe: "TCP port (0 = any free port)" })
      .option("host", { type: "string", default: "0.0.0.0", describe: "address to listen on" })
      .option("default-prompt", { type: "string", describe: "prompt for requests without one (overrides policy.json's default_prompt)" })
      .option("timing", { type: "boolean", default: true, describe: "add policy_timing/server_timing to replies (--no-timing for ALOHA clients before June 2025)" })
      .option("quiet", { type: "boolean", default: false, describe: "do not log connections and request errors" })
      .check((a) => {
        if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new Error(`--port must be an integer in 0..65535, got ${a.port}`);
        return true;
      }),
  handler: async (a) => {
    const served = await loadServedPolicy(a.policy);
    const log = a.quiet ? undefined : (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const server = await startPolicyServer({
      policy: served.policy,
      host: a.host,
      port: a.port,
      metadata: served.metadata,
      defaultPrompt: a["default-prompt"] ?? served.defaultPrompt,
      timing: a.timing,
      log,
    });
    const { horizon, actionDim } = served.policy;
    process.stderr.write(`serving ${a.policy} (actions [${horizon}, ${actionDim}]) on ws://${server.host}:${server.port} — health: http://${server.host}:${server.port}/healthz\n`);
    // The listening socket keeps the process alive; stop cleanly on Ctrl-C or a service stop.
    const stop = () => {
      void server.close().then(() => served.policy.dispose?.()).finally(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  },
};
