/**
 * Resources register how to undo themselves; teardown runs them newest-first exactly once,
 * whatever the exit path (normal end, error, SIGINT, SIGTERM).
 */
export type Disposer = () => Promise<void> | void;

export class Teardown {
  private readonly stack: { name: string; dispose: Disposer }[] = [];
  private running: Promise<TeardownReport> | undefined;

  add(name: string, dispose: Disposer): void {
    this.stack.push({ name, dispose });
  }

  run(): Promise<TeardownReport> {
    this.running ??= this.runOnce();
    return this.running;
  }

  private async runOnce(): Promise<TeardownReport> {
    const failures: { name: string; error: string }[] = [];
    while (this.stack.length > 0) {
      const item = this.stack.pop()!;
      try {
        await item.dispose();
      } catch (e) {
        failures.push({ name: item.name, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { failures };
  }
}

export interface TeardownReport {
  failures: { name: string; error: string }[];
}
