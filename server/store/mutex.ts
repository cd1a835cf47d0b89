/**
 * A promise queue: `run` calls its function only after every earlier call has settled.
 * Used to serialise publishes in one process (PostgreSQL deployments add an advisory
 * lock on top, since several processes publish there).
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
