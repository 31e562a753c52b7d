// One WebSocket connection: the protocol state machine, its subscriptions (at most 100), and a
// bounded send buffer: a client that cannot keep up is disconnected, never allowed to grow memory.
import { WebSocket } from 'ws';
import type { AuthSuccess } from '../auth/index.ts';
import * as msg from './messages.ts';
import type { LiveSubscription, SubscriptionRegistry } from './registry.ts';
import { startSubscription, type StartContext } from './start.ts';

export interface ConnectionLimits {
  connectionTimeoutMs: number;
  maxSubscriptions: number;
  maxBufferedBytes: number;
}

export class RealtimeConnection {
  private readonly subscriptions = new Map<string, LiveSubscription>();
  /**
   * Ids whose `start` is being processed, each with a token for that start: a duplicate id is
   * refused, a `stop` cancels it, and a later start reusing the id is not mistaken for it.
   */
  private readonly pending = new Map<string, object>();
  private acknowledged = false;
  lastActivity = Date.now();

  constructor(
    private readonly ws: WebSocket,
    readonly caller: AuthSuccess,
    private readonly registry: SubscriptionRegistry,
    private readonly startContext: StartContext,
    private readonly limits: ConnectionLimits,
    private readonly peer: { sourceIp: string[]; host: string | null },
  ) {
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return this.send(msg.errorMessage(undefined, [{ message: 'Binary frames are not supported' }]));
      // A fault here is ours, not the client's: it ends this connection, never the server.
      this.onMessage(raw.toString()).catch((err: unknown) => {
        console.error(`appsync: real-time message failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        this.ws.terminate();
      });
    });
    ws.on('close', () => this.dispose());
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  send(message: unknown): boolean {
    return this.sendFrame(JSON.stringify(message));
  }

  sendFrame(frame: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.ws.terminate();
      return false;
    }
    this.ws.send(frame);
    return true;
  }

  keepAlive(): void {
    if (this.acknowledged) this.send(msg.keepAlive);
  }

  /**
   * An invalidated subscription ends with `complete`, as for a stop; the socket and its other
   * subscriptions stay. The docs say AppSync will "unsubscribe and close (invalidate)" the
   * connection, but Amplify's support for it (amplify-js#9898) reads a completion message.
   */
  invalidate(id: string): void {
    const sub = this.subscriptions.get(id);
    if (!sub) return;
    this.registry.remove(sub);
    this.subscriptions.delete(id);
    this.send(msg.complete(id));
  }

  close(code = 1000, reason = ''): void {
    this.ws.close(code, reason);
  }

  private acknowledge(): void {
    if (this.acknowledged) return;
    this.acknowledged = true;
    this.send(msg.connectionAck(this.limits.connectionTimeoutMs));
  }

  private async onMessage(raw: string): Promise<void> {
    this.lastActivity = Date.now();
    const message = msg.parseClientMessage(raw);
    if (typeof message === 'string') {
      this.send(msg.errorMessage(undefined, [{ errorType: 'MalformedMessage', message }]));
      return;
    }
    switch (message.type) {
      case 'connection_init':
        this.acknowledge();
        return;
      case 'stop': {
        this.pending.delete(message.id);
        const sub = this.subscriptions.get(message.id);
        if (sub) {
          this.registry.remove(sub);
          this.subscriptions.delete(message.id);
        }
        this.send(msg.complete(message.id));
        return;
      }
      case 'start':
        // connection_init is optional: a start on its own opens the session too.
        this.acknowledge();
        await this.start(message.id, message.data, message.authorization);
        return;
    }
  }

  private async start(id: string, data: string, authorization: Record<string, string>): Promise<void> {
    if (this.subscriptions.has(id) || this.pending.has(id)) {
      this.send(msg.errorMessage(id, [{ errorType: 'DuplicatedOperationError', message: `Subscription id ${id} is already in use on this connection` }]));
      return;
    }
    if (this.subscriptions.size + this.pending.size >= this.limits.maxSubscriptions) {
      this.send(msg.errorMessage(id, [{ errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${this.limits.maxSubscriptions} subscriptions reached` }]));
      return;
    }
    const token = {};
    this.pending.set(id, token);
    const outcome = await startSubscription(this.startContext, { data, authorization, sourceIp: this.peer.sourceIp, host: this.peer.host });
    if (this.pending.get(id) !== token) return;
    this.pending.delete(id);
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!outcome.ok) {
      this.send(msg.errorMessage(id, outcome.errors));
      return;
    }
    const live: LiveSubscription = { ...outcome.sub, id, subscriber: this };
    this.subscriptions.set(id, live);
    this.registry.add(live);
    // Live from here on: nothing published before start_ack is delivered.
    this.send(msg.startAck(id));
  }

  private dispose(): void {
    for (const sub of this.subscriptions.values()) this.registry.remove(sub);
    this.subscriptions.clear();
    this.pending.clear();
  }
}
