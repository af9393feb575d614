import type { Server, Socket } from 'node:net';
import { clientKey } from './client-address';

export interface ConnectionLimits {
  /** Connections open at once from one client (one IPv4 address or IPv6 /64). */
  maxPerClient: number;
  /** Connections open at once in all. */
  maxTotal: number;
}

/**
 * Counts open connections per client and in all, and says whether one more may
 * open. Its memory is bounded by the connections it admitted: a client's entry
 * goes when its last connection closes.
 */
export class ConnectionLimiter {
  private readonly perClient = new Map<string, number>();
  private open = 0;

  constructor(readonly limits: ConnectionLimits) {
    if (!(limits.maxPerClient >= 1) || !(limits.maxTotal >= limits.maxPerClient)) {
      throw new RangeError(
        `Connection limits need maxPerClient >= 1 and maxTotal >= maxPerClient (got ${limits.maxPerClient} and ${limits.maxTotal}).`,
      );
    }
  }

  /** Counts a new connection from client and returns true, or returns false and counts nothing. */
  tryAcquire(client: string): boolean {
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.limits.maxPerClient || this.open >= this.limits.maxTotal) return false;
    this.perClient.set(client, held + 1);
    this.open += 1;
    return true;
  }

  /** Uncounts a connection tryAcquire admitted. */
  release(client: string): void {
    const held = this.perClient.get(client);
    if (held === undefined) return;
    if (held <= 1) this.perClient.delete(client);
    else this.perClient.set(client, held - 1);
    this.open -= 1;
  }

  /** Connections open now, from one client or (without an argument) in all. */
  count(client?: string): number {
    return client === undefined ? this.open : (this.perClient.get(client) ?? 0);
  }
}

/**
 * Makes server close every connection over the limits as soon as it is accepted,
 * before a byte of it is parsed: one client holding thousands of idle sockets
 * then costs the server a bounded number of descriptors and no more.
 */
export function limitConnections(
  server: Server,
  limiter: ConnectionLimiter,
  onRefused?: (client: string) => void,
): void {
  server.on('connection', (socket: Socket) => {
    const client = clientKey(socket.remoteAddress);
    if (!limiter.tryAcquire(client)) {
      socket.destroy();
      onRefused?.(client);
      return;
    }
    socket.once('close', () => limiter.release(client));
  });
}
