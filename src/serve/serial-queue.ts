// ref: openpi src/openpi/serving/websocket_policy_server.py: requests on one connection are
// answered strictly in order, and its synchronous `infer` serialises inference across connections.

/** Runs async tasks one at a time, in submission order; a failed task does not stop the next. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The chain continues whether or not this task failed; the caller sees the failure.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
