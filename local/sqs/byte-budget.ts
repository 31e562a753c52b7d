// The bytes stored across all queues, so a runaway producer gets OverLimit instead of exhausting
// the process's memory. Each message is charged its payload plus a fixed overhead: storing one
// costs ~1 KB of heap whatever its size, and one-byte messages used to fill the heap long before
// the payload limit (100,000 of them: 88 MB).

/** What storing a message costs beyond its payload (its record, ids, heap entries). */
export const PER_MESSAGE_OVERHEAD_BYTES = 1024;

export class ByteBudget {
  private charged = 0;

  constructor(readonly max: number) {}

  /** Bytes charged now, overheads included. */
  get used(): number {
    return this.charged;
  }

  tryReserve(payloadBytes: number): boolean {
    const bytes = payloadBytes + PER_MESSAGE_OVERHEAD_BYTES;
    if (this.charged + bytes > this.max) return false;
    this.charged += bytes;
    return true;
  }

  release(payloadBytes: number): void {
    this.charged = Math.max(0, this.charged - payloadBytes - PER_MESSAGE_OVERHEAD_BYTES);
  }
}
