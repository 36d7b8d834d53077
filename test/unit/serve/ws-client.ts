// A small openpi-style test client over `ws`: frames arrive in a queue, read one at a time.
import { WebSocket, type RawData } from "ws";

export type Frame = { binary: true; data: Buffer } | { binary: false; text: string } | { closed: true; code: number; reason: string };

export class TestClient {
  private readonly frames: Frame[] = [];
  private waiters: ((f: Frame) => void)[] = [];
  readonly pings: number[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      this.push(isBinary ? { binary: true, data: buf } : { binary: false, text: buf.toString("utf8") });
    });
    ws.on("close", (code: number, reason: Buffer) => this.push({ closed: true, code, reason: reason.toString("utf8") }));
    ws.on("ping", () => this.pings.push(Date.now()));
    ws.on("error", () => undefined);
  }

  static open(url: string, options: { autoPong?: boolean } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, autoPong: options.autoPong ?? true });
      const client = new TestClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  private push(f: Frame): void {
    const w = this.waiters.shift();
    if (w) w(f);
    else this.frames.push(f);
  }

  /** The next frame (or the close), in arrival order. */
  next(): Promise<Frame> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Frames that arrived and were not read yet. */
  pending(): number {
    return this.frames.length;
  }

  send(data: Buffer | string): void {
    this.ws.send(data);
  }

  /** Resolves when the pong to a fresh ping arrives. */
  ping(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once("pong", () => resolve());
      this.ws.ping();
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
