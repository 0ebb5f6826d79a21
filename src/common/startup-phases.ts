/**
 * Where a start's time went: named phases, measured from the process's start (performance.now()
 * counts from it), for the one log line that says how long the start took (src/bootstrap.ts).
 */
export class StartupPhases {
  private readonly phases: [string, number][] = [];
  private last: number;

  /** `since`: where the first phase began (0, the process's start, for the entry point). */
  constructor(since = performance.now()) {
    this.last = since;
  }

  mark(phase: string): void {
    const now = performance.now();
    this.phases.push([phase, now - this.last]);
    this.last = now;
  }

  /** Milliseconds from the first phase's start to the last mark. */
  get total(): number {
    return Math.round(this.phases.reduce((sum, [, ms]) => sum + ms, 0));
  }

  toString(): string {
    return this.phases.map(([phase, ms]) => `${phase} ${Math.round(ms)} ms`).join(', ');
  }
}
