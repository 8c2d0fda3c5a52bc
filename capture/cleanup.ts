/**
 * A stack of synchronous undo steps (kill runners, delete namespaces, remove the cgroup),
 * registered as each resource is created and run in reverse by `finally` or by a signal
 * handler. Synchronous so that SIGINT/SIGTERM can clean up before exiting.
 */
export class Cleanup {
  private readonly steps: { what: string; fn: () => void }[] = [];
  private done = false;

  add(what: string, fn: () => void): void {
    this.steps.push({ what, fn });
  }

  /** Runs every step once, newest first; returns the failures (never throws). */
  run_all(): string[] {
    if (this.done) return [];
    this.done = true;
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const s = this.steps.pop()!;
      try {
        s.fn();
      } catch (err) {
        failures.push(`${s.what}: ${(err as Error).message}`);
      }
    }
    return failures;
  }
}
