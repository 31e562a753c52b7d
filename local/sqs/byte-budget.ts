// The payload bytes stored across all queues, so a runaway producer gets OverLimit instead of
// exhausting the process's memory.

export class ByteBudget {
  private used = 0;

  constructor(readonly max: number) {}

  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.max) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
