// A raw `ws` client for the AppSync real-time protocol: every frame it receives is kept in order,
// and tests wait for the next frame that matches, with a bounded wait (never a timed assertion).
import { WebSocket, type ClientOptions } from 'ws';

export interface Frame {
  type: string;
  id?: string;
  payload?: Record<string, unknown> & { data?: unknown; errors?: Array<Record<string, unknown>> };
}

export const DEFAULT_WAIT_MS = 10_000;

/** Waits until `check` returns a value other than undefined, polling; throws after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export class RawClient {
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  private readonly taken = new Set<number>();
  private firstUntaken = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => this.frames.push(JSON.parse(raw.toString()) as Frame));
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  /** Opens a socket and resolves once it is open; rejects if the upgrade is refused. */
  static open(url: string, protocols: string[], options?: ClientOptions): Promise<RawClient> {
    const ws = new WebSocket(url, protocols, options);
    const client = new RawClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * The earliest frame not yet taken that satisfies `match` (keep-alives skipped), taken now. Frames
   * for other subscriptions stay for later calls, so each subscription can be read in its own order.
   */
  async next(match: (f: Frame) => boolean = () => true, what = 'a frame', timeoutMs?: number): Promise<Frame> {
    const index = await waitFor(
      () => {
        for (let i = this.firstUntaken; i < this.frames.length; i += 1) {
          if (!this.taken.has(i) && this.frames[i].type !== 'ka' && match(this.frames[i])) return i;
        }
        return undefined;
      },
      what,
      timeoutMs,
    );
    this.taken.add(index);
    while (this.taken.has(this.firstUntaken)) {
      this.taken.delete(this.firstUntaken);
      this.firstUntaken += 1;
    }
    return this.frames[index];
  }

  /** The earliest frame not yet taken, other than `ka`: used to prove nothing else came before it. */
  nextFrame(what = 'the next frame'): Promise<Frame> {
    return this.next(() => true, what);
  }

  nextOfType(type: string, id?: string): Promise<Frame> {
    return this.next((f) => f.type === type && (id === undefined || f.id === id), `${type}${id ? ` for ${id}` : ''}`);
  }

  closed(timeoutMs?: number): Promise<number> {
    return waitFor(() => this.closeCode ?? undefined, 'the socket to close', timeoutMs);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}
