// One-line progress display on a TTY (scenario, repetition, implementation, elapsed); silent otherwise.
// Updated only between trials, so the orchestrator stays idle while a window is measured.

export class Progress {
  private readonly started = performance.now();
  constructor(
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(text: string): void {
    if (!this.enabled) return;
    const elapsed = ((performance.now() - this.started) / 1000).toFixed(0);
    const line = `[${elapsed}s] ${text}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns || 100) - 1)}`);
  }

  /** Prints a line that stays (a warning, a failure). */
  note(text: string): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
    this.stream.write(`${text}\n`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}
