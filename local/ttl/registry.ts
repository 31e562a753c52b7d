// Which stream REMOVE records are TTL deletions. In AWS, DynamoDB's TTL process marks its own
// deletions in the stream (userIdentity Service / dynamodb.amazonaws.com); DynamoDB Local has no
// TTL process, so the local sweeper announces each delete here before making it and settles it
// after, and the stream poller asks about every REMOVE record it sees.
//
// A deletion is matched by table, key and deleted image (when the stream carries the old image),
// so a user's later delete of a re-created item with the same key is not taken for the TTL one.
// Entries are not consumed: several event sources read the same stream and each must get the
// same answer. Memory stays bounded by a maximum entry count and a retention time.

/** An item key or image in DynamoDB JSON (SDK shape with Uint8Array, or Lambda shape with base64). */
export type AttributeMap = Record<string, unknown>;

export interface TtlDeletionTicket {
  /** The delete happened and removed this image; or `undefined`: it did not happen. */
  settle(deletedImage: AttributeMap | undefined): void;
}

interface Entry {
  createdAt: number;
  state: 'pending' | 'deleted';
  image?: string;
  settled: Promise<void>;
}

/** A finished TTL deletion as kept across restarts: stream records of it may still be unread. */
export interface SavedTtlDeletion {
  id: string;
  image?: string;
  createdAt: number;
}

export interface TtlDeletionRegistryOptions {
  maxEntries?: number;
  retentionMs?: number;
  /** How long a poller waits for a pending delete's outcome before calling the REMOVE a user's. */
  settleWaitMs?: number;
  now?: () => number;
}

export class TtlDeletionRegistry {
  private readonly entries = new Map<string, Entry[]>();
  private size = 0;
  private readonly maxEntries: number;
  private readonly retentionMs: number;
  private readonly settleWaitMs: number;
  private readonly now: () => number;

  constructor(options: TtlDeletionRegistryOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.retentionMs = options.retentionMs ?? 15 * 60_000;
    this.settleWaitMs = options.settleWaitMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Called by the sweeper just before its conditional delete of `key`. */
  begin(tableName: string, key: AttributeMap): TtlDeletionTicket {
    this.prune();
    if (this.size >= this.maxEntries) this.evictOldest();
    const id = entryId(tableName, key);
    let markSettled!: () => void;
    const entry: Entry = { createdAt: this.now(), state: 'pending', settled: new Promise((r) => (markSettled = r)) };
    const list = this.entries.get(id) ?? [];
    list.push(entry);
    this.entries.set(id, list);
    this.size++;
    let done = false;
    return {
      settle: (deletedImage) => {
        if (done) return;
        done = true;
        if (deletedImage) {
          entry.state = 'deleted';
          entry.image = canonical(deletedImage);
        } else {
          this.remove(id, entry);
        }
        markSettled();
      },
    };
  }

  /** Whether the REMOVE of `keys` (whose old image is `oldImage`, if the stream has it) was a TTL delete. */
  async isTtlDeletion(tableName: string, keys: AttributeMap, oldImage?: AttributeMap): Promise<boolean> {
    this.prune();
    const id = entryId(tableName, keys);
    const pending = (this.entries.get(id) ?? []).filter((entry) => entry.state === 'pending');
    if (pending.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((r) => (timer = setTimeout(r, this.settleWaitMs)));
      await Promise.race([Promise.all(pending.map((entry) => entry.settled)), waited]);
      clearTimeout(timer);
    }
    const image = oldImage ? canonical(oldImage) : undefined;
    return (this.entries.get(id) ?? []).some(
      (entry) => entry.state === 'deleted' && (image === undefined || entry.image === image),
    );
  }

  /** The deletions made (pending ones are not: their outcome is unknown). */
  snapshot(): SavedTtlDeletion[] {
    this.prune();
    const saved: SavedTtlDeletion[] = [];
    for (const [id, list] of this.entries) {
      for (const entry of list) if (entry.state === 'deleted') saved.push({ id, image: entry.image, createdAt: entry.createdAt });
    }
    return saved;
  }

  /** Takes back deletions a snapshot kept; those past retention or over the entry cap are left out. */
  restore(saved: readonly SavedTtlDeletion[]): number {
    const cutoff = this.now() - this.retentionMs;
    let restored = 0;
    for (const { id, image, createdAt } of [...saved].sort((a, b) => b.createdAt - a.createdAt)) {
      if (createdAt < cutoff || this.size >= this.maxEntries) continue;
      const list = this.entries.get(id) ?? [];
      list.push({ createdAt, state: 'deleted', image, settled: Promise.resolve() });
      this.entries.set(id, list);
      this.size++;
      restored++;
    }
    return restored;
  }

  private remove(id: string, entry: Entry): void {
    const list = this.entries.get(id);
    const index = list?.indexOf(entry) ?? -1;
    if (!list || index < 0) return;
    list.splice(index, 1);
    this.size--;
    if (list.length === 0) this.entries.delete(id);
  }

  private prune(): void {
    const cutoff = this.now() - this.retentionMs;
    for (const [id, list] of this.entries) {
      for (const entry of [...list]) {
        if (entry.state === 'deleted' && entry.createdAt < cutoff) this.remove(id, entry);
      }
    }
  }

  private evictOldest(): void {
    let oldest: { id: string; entry: Entry } | undefined;
    for (const [id, list] of this.entries) {
      for (const entry of list) {
        if (entry.state === 'deleted' && (!oldest || entry.createdAt < oldest.entry.createdAt)) oldest = { id, entry };
      }
    }
    if (oldest) this.remove(oldest.id, oldest.entry);
  }
}

function entryId(tableName: string, key: AttributeMap): string {
  return `${tableName}\u0000${canonical(key)}`;
}

/** One text per DynamoDB value whatever its source: sorted keys and sets, binary as base64. */
function canonical(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown, parentKey?: string): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    const items = value.map((item) => normalize(item));
    // Sets have no order; lists (L) keep theirs.
    return parentKey === 'SS' || parentKey === 'NS' || parentKey === 'BS' ? items.map(String).sort() : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) out[key] = normalize(child, key);
    }
    return out;
  }
  return value;
}
