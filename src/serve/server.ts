// ref: openpi src/openpi/serving/websocket_policy_server.py (metadata first, lock-step replies,
// text-frame error + close 1011, /healthz); reference/policy-server.md §2.1, §2.2, §2.6 and §8.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { Policy } from "../vla/policy.js";
import { MsgpackNumpyError, packb } from "./msgpack-numpy.js";
import { ObservationError } from "./observation.js";
import { handleRequest, type HandlerOptions } from "./request-handler.js";
import { SerialQueue } from "./serial-queue.js";

export interface PolicyServerOptions {
  policy: Policy;
  /** Default "0.0.0.0" (all interfaces), as upstream. */
  host?: string;
  /** Default 8000; 0 picks a free port (see `PolicyServer.port`). */
  port?: number;
  /** Sent as the first frame of every connection; always a map (clients call `.get` on it). */
  metadata?: Record<string, unknown>;
  /** Used when a request has no "prompt" (the ALOHA clients never send one). */
  defaultPrompt?: string;
  /** Adds policy_timing/server_timing to replies (default true). */
  timing?: boolean;
  /** Server keepalive ping period, and how long a pong may take (default 20 000 ms, as upstream; 0 = off). */
  pingIntervalMs?: number;
  /** Largest request accepted; bigger ones are closed with 1009 (default 256 MiB; upstream has none). */
  maxPayloadBytes?: number;
  /** One line per event (connections, errors); default silent. */
  log?: (line: string) => void;
}

export interface PolicyServer {
  readonly host: string;
  readonly port: number;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

/** The close reason upstream sends after the error text frame (61 bytes, within RFC 6455's 123). */
export const ERROR_CLOSE_REASON = "Internal server error. Traceback included in previous frame.";
const INTERNAL_ERROR = 1011;

class ProtocolError extends Error {
  override name = "ProtocolError";
}

export async function startPolicyServer(o: PolicyServerOptions): Promise<PolicyServer> {
  const log = o.log ?? (() => undefined);
  const handler: HandlerOptions = { policy: o.policy, inference: new SerialQueue(), defaultPrompt: o.defaultPrompt, timing: o.timing ?? true };
  const metadataFrame = packb(o.metadata ?? {});
  const pingMs = o.pingIntervalMs ?? 20_000;

  const http = createServer(healthz);
  // No `path`: upstream accepts the upgrade on any path. No compression, no subprotocol.
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: o.maxPayloadBytes ?? 256 * 2 ** 20 });
  wss.on("error", (e) => log(`websocket server error: ${e.message}`));
  wss.on("connection", (ws, req) => serveConnection(ws, req, handler, metadataFrame, pingMs, log));

  const host = o.host ?? "0.0.0.0";
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(
        e.code === "EADDRINUSE"
          ? new Error(`port ${o.port ?? 8000} on ${host} is already in use; stop the other server or pick another with --port`)
          : new Error(`cannot listen on ${host}:${o.port ?? 8000}: ${e.message}`),
      );
    };
    http.once("error", onError);
    http.listen(o.port ?? 8000, host, () => {
      http.off("error", onError);
      resolve();
    });
  });
  http.on("error", (e) => log(`http server error: ${e.message}`));
  const port = (http.address() as AddressInfo).port;

  return {
    host,
    port,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Plain HTTP: `GET /healthz` → 200 "OK\n"; anything else → 426, as the upstream library answers. */
function healthz(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? "").split("?")[0];
  if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": "3", Connection: "close" });
    res.end(req.method === "HEAD" ? undefined : "OK\n");
    return;
  }
  const body = "Failed to open a WebSocket connection: this server speaks the openpi policy protocol over WebSocket.\n";
  res.writeHead(426, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)), Connection: "close", Upgrade: "websocket" });
  res.end(body);
}

function serveConnection(ws: WebSocket, req: IncomingMessage, handler: HandlerOptions, metadataFrame: Buffer, pingMs: number, log: (line: string) => void): void {
  const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
  log(`connection from ${peer} opened`);
  // Per connection: requests are answered one at a time, in order (frames carry no ids).
  const lockstep = new SerialQueue();
  let failed = false;
  let prevTotalMs: number | undefined;
  let waitStart = performance.now();

  ws.on("error", (e) => log(`connection from ${peer}: ${e.message}`));
  ws.send(metadataFrame);

  ws.on("message", (data: RawData, isBinary: boolean) => {
    void lockstep.run(async () => {
      // After an error the connection is closing; frames still queued get no reply.
      if (failed || ws.readyState !== WebSocket.OPEN) return;
      try {
        if (!isBinary) throw new ProtocolError("expected a binary frame holding a msgpack map of observations; got a text frame");
        const r = await handleRequest(toBuffer(data), prevTotalMs, handler);
        // The client left during inference: nothing to answer, as upstream exits quietly.
        if (ws.readyState !== WebSocket.OPEN) return;
        await send(ws, r.reply);
        // Upstream's prev_total_ms: from when the server began waiting for a request until its
        // reply was handed to the socket, so it includes the client's idle time.
        const now = performance.now();
        prevTotalMs = now - waitStart;
        waitStart = now;
      } catch (e) {
        failed = true;
        const err = e as Error;
        // A bad request is the client's to fix: its message says enough. Anything else gets the stack.
        log(`connection from ${peer}: request failed: ${isRequestError(err) ? `${err.name}: ${err.message}` : (err.stack ?? String(err))}`);
        if (ws.readyState !== WebSocket.OPEN) return;
        // A text frame (never binary) in place of the reply, then 1011: the stock client raises
        // RuntimeError with this text. Name and message only: it is shown to people.
        ws.send(`${err.name ?? "Error"}: ${err.message ?? String(err)}\n`);
        ws.close(INTERNAL_ERROR, ERROR_CLOSE_REASON);
      }
    });
  });

  // Dead-peer detection as upstream: a ping every period, closed when the last one got no pong.
  // Pongs to the client's own pings are automatic in ws and need only a free event loop.
  let alive = true;
  ws.on("pong", () => {
    alive = true;
  });
  const timer =
    pingMs > 0
      ? setInterval(() => {
          if (!alive) {
            log(`connection from ${peer}: keepalive ping timeout`);
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
        }, pingMs)
      : undefined;
  timer?.unref();
  ws.on("close", (code) => {
    if (timer) clearInterval(timer);
    log(`connection from ${peer} closed (${code})`);
  });
}

function isRequestError(e: unknown): boolean {
  return e instanceof ProtocolError || e instanceof MsgpackNumpyError || e instanceof ObservationError;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function send(ws: WebSocket, frame: Buffer): Promise<void> {
  return new Promise((resolve) => {
    // A failed send means the peer is gone; the close handler logs it.
    ws.send(frame, () => resolve());
  });
}
