// The policy server over real sockets on 127.0.0.1: metadata, lock-step replies, /healthz,
// error frames + 1011, keepalive pings during a slow inference.
import { afterEach, describe, expect, it } from "vitest";
import { packb, unpackb } from "../../../src/serve/msgpack-numpy.js";
import { NdArray } from "../../../src/serve/ndarray.js";
import { ERROR_CLOSE_REASON, type PolicyServer, type PolicyServerOptions, startPolicyServer } from "../../../src/serve/server.js";
import type { Policy, PolicyObservation } from "../../../src/vla/policy.js";
import { type Frame, TestClient } from "./ws-client.js";

/** A policy whose every infer() waits until the test releases it; records what it saw. */
class GatedPolicy implements Policy {
  readonly horizon = 3;
  readonly actionDim = 7;
  readonly seen: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  autoRelease = false;
  private gates: (() => void)[] = [];
  private watchers: { n: number; resolve: () => void }[] = [];

  async infer(obs: PolicyObservation): Promise<Float64Array> {
    this.seen.push(obs.instruction);
    const n = this.seen.length;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.watchers = this.watchers.filter((w) => (w.n <= n ? (w.resolve(), false) : true));
    if (!this.autoRelease) await new Promise<void>((r) => this.gates.push(r));
    this.inFlight--;
    return Float64Array.from({ length: this.horizon * this.actionDim }, (_, i) => n * 100 + i);
  }

  /** Resolves once the n-th infer() call (1-based) has started. */
  started(n: number): Promise<void> {
    if (this.seen.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ n, resolve }));
  }

  /** Lets the oldest waiting infer() finish. */
  release(): void {
    this.gates.shift()?.();
  }
}

const libero = (prompt: string) =>
  packb({
    "observation/image": NdArray.uint8(new Uint8Array(4 * 4 * 3), [4, 4, 3]),
    "observation/wrist_image": NdArray.uint8(new Uint8Array(4 * 4 * 3), [4, 4, 3]),
    "observation/state": NdArray.float64([0, 1, 2, 3, 4, 5, 6, 7]),
    prompt,
  });

type Reply = { actions: NdArray; policy_timing?: { infer_ms: number }; server_timing?: { infer_ms: number; prev_total_ms?: number } };
function reply(f: Frame): Reply {
  if (!("binary" in f) || !f.binary) throw new Error(`expected a binary reply, got ${JSON.stringify(f)}`);
  return unpackb(f.data) as Reply;
}

let server: PolicyServer | undefined;
const clients: TestClient[] = [];
async function start(o: Partial<PolicyServerOptions> & { policy: Policy }): Promise<string> {
  server = await startPolicyServer({ host: "127.0.0.1", port: 0, pingIntervalMs: 0, ...o });
  return `ws://127.0.0.1:${server.port}`;
}
async function connect(url: string, options?: { autoPong?: boolean }): Promise<TestClient> {
  const c = await TestClient.open(url, options);
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = undefined;
});

// A hang fails fast here instead of after the suite-wide two minutes.
describe("policy server", { timeout: 10_000 }, () => {
  it("sends the metadata map first, as one binary frame", async () => {
    const policy = new GatedPolicy();
    const url = await start({ policy, metadata: { reset_pose: [0, -1.5, 1.5, 0, 0, 0] } });
    const c = await connect(url);
    const f = await c.next();
    expect(f).toMatchObject({ binary: true });
    expect(unpackb((f as { data: Buffer }).data)).toEqual({ reset_pose: [0, -1.5, 1.5, 0, 0, 0] });

    const bare = await start({ policy });
    const d = await connect(bare);
    expect((await d.next()) as { data: Buffer }).toMatchObject({ data: Buffer.from([0x80]) });
  });

  it("answers requests lock-step, in order, one inference at a time per connection", async () => {
    const policy = new GatedPolicy();
    policy.autoRelease = true;
    const c = await connect(await start({ policy }));
    await c.next();
    // Three requests sent back to back: each waits for the one before.
    for (const p of ["a", "b", "c"]) c.send(libero(p));
    const replies = [reply(await c.next()), reply(await c.next()), reply(await c.next())];
    expect(policy.seen).toEqual(["a", "b", "c"]);
    expect(policy.maxInFlight).toBe(1);
    replies.forEach((r, i) => {
      expect(r.actions.dtype).toBe("<f8");
      expect(r.actions.shape).toEqual([3, 7]);
      expect(r.actions.toFloat64()[0]).toBe((i + 1) * 100);
      expect(typeof r.policy_timing?.infer_ms).toBe("number");
      expect(typeof r.server_timing?.infer_ms).toBe("number");
    });
    // prev_total_ms describes the previous cycle, so the first reply has none.
    expect(replies[0].server_timing).not.toHaveProperty("prev_total_ms");
    expect(typeof replies[1].server_timing?.prev_total_ms).toBe("number");
    expect(c.pending()).toBe(0);
  });

  it("leaves the timing maps out when asked (older ALOHA chunk brokers)", async () => {
    const policy = new GatedPolicy();
    policy.autoRelease = true;
    const c = await connect(await start({ policy, timing: false }));
    await c.next();
    c.send(libero("x"));
    expect(Object.keys(reply(await c.next()))).toEqual(["actions"]);
  });

  it("accepts the upgrade on any path and answers GET /healthz on the same port", async () => {
    const policy = new GatedPolicy();
    const url = await start({ policy });
    const c = await connect(`${url}/any/path?x=1`);
    expect(await c.next()).toMatchObject({ binary: true });

    const health = await fetch(`http://127.0.0.1:${server!.port}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await health.text()).toBe("OK\n");
    const other = await fetch(`http://127.0.0.1:${server!.port}/`);
    expect(other.status).toBe(426);
  });

  it("answers a malformed request with a text frame, closes 1011, and serves the next connection", async () => {
    const policy = new GatedPolicy();
    policy.autoRelease = true;
    const url = await start({ policy });
    const cases: [Buffer | string, RegExp][] = [
      [Buffer.from([0xc1, 0x00]), /MsgpackNumpyError: the frame is not one msgpack object/],
      [packb([1, 2, 3]), /ObservationError: a request must be a msgpack map/],
      [packb({ "observation/state": NdArray.float64([1]) }), /"observation\/image" is missing/],
      [packb({ foo: 1 }), /unknown observation layout/],
      ["{\"prompt\": \"text frame\"}", /got a text frame/],
    ];
    for (const [frame, message] of cases) {
      const bad = await connect(url);
      await bad.next();
      bad.send(frame);
      const err = await bad.next();
      expect(err).toMatchObject({ binary: false });
      expect((err as { text: string }).text).toMatch(message);
      expect(await bad.next()).toEqual({ closed: true, code: 1011, reason: ERROR_CLOSE_REASON });
    }
    const good = await connect(url);
    await good.next();
    good.send(libero("after errors"));
    expect(reply(await good.next()).actions.shape).toEqual([3, 7]);
  });

  it("reports a policy that returns the wrong number of actions", async () => {
    const policy: Policy = { horizon: 2, actionDim: 3, infer: async () => new Float64Array(5) };
    const c = await connect(await start({ policy }));
    await c.next();
    c.send(libero("x"));
    expect(((await c.next()) as { text: string }).text).toMatch(/returned 5 values where horizon × actionDim = 2 × 3 = 6/);
  });

  it("keeps other connections working while one is in inference, and when a client leaves mid-inference", async () => {
    const policy = new GatedPolicy();
    const url = await start({ policy });
    const a = await connect(url);
    const b = await connect(url);
    await a.next();
    await b.next();
    a.send(libero("a"));
    await policy.started(1);
    a.close(); // leaves while its inference runs; the reply goes nowhere, the server stays up
    b.send(libero("b"));
    policy.release();
    await policy.started(2);
    policy.release();
    expect(reply(await b.next()).actions.shape).toEqual([3, 7]);
    expect(policy.seen).toEqual(["a", "b"]);
  });

  it("answers pings while a slow inference is running", async () => {
    const policy = new GatedPolicy();
    const c = await connect(await start({ policy }));
    await c.next();
    c.send(libero("slow"));
    await policy.started(1);
    await c.ping(); // the pong comes back although the inference has not finished
    expect(c.pending()).toBe(0);
    policy.release();
    expect(reply(await c.next()).actions.shape).toEqual([3, 7]);
  });

  it("pings its clients and drops one that never answers", async () => {
    const policy = new GatedPolicy();
    const url = await start({ policy, pingIntervalMs: 30 });
    const live = await connect(url);
    const dead = await connect(url, { autoPong: false });
    await live.next();
    await dead.next();
    expect(await dead.next()).toMatchObject({ closed: true, code: 1006 });
    expect(dead.pings.length).toBeGreaterThan(0);
    expect(live.pings.length).toBeGreaterThan(0);
    expect(live.ws.readyState).toBe(live.ws.OPEN);
  });
});
