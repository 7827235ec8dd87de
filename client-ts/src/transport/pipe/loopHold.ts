// Keeps Node's event loop alive while a call waits for something that holds no handle of its own.
//
// The helper's child-process handle is unref'd (an idle registry must not keep Node running), and so is its
// connection while no request is on it. A call that waits in between — for a dead helper's exit, before a new one
// is started on its socket path — would then leave the loop nothing to wait for: Node would end the program there,
// with exit code 0 and the rest of it never run. A hold is a ref'd timer that never fires, kept exactly while at
// least one such wait is under way.

/** Counts waits; the loop stays alive while the count is above zero. */
export class LoopHold {
  #count = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Keeps the loop alive until `work` settles; returns `work`'s result. */
  async around<T>(work: Promise<T>): Promise<T> {
    if (this.#count++ === 0) this.#timer = setInterval(() => {}, 0x7fffffff);
    try {
      return await work;
    } finally {
      if (--this.#count === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    }
  }
}
