import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { callerThrottledReply } from '../aws/errors';
import { clientKey, requestClientAddress } from './client-address';
import { ConnectionLimiter, limitConnections } from './connection-limit';
import { RateLimiter } from './rate-limit';

/** Longest wait for a request's headers: a client trickling them holds a socket no longer. */
export const HEADERS_TIMEOUT_MS = 20_000;
/** Longest wait for a whole request, body included: a 70 MB code upload at 5 Mbit/s fits. */
export const REQUEST_TIMEOUT_MS = 120_000;
/** How long an idle keep-alive connection stays open after its last response. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** How often Node looks for requests past those timeouts (its default, 30 s, lets them linger). */
export const CONNECTIONS_CHECK_INTERVAL_MS = 5_000;
/** Request header bytes accepted: Node's default, kept explicit so it cannot drift. */
export const MAX_HEADER_BYTES = 16 * 1024;
/**
 * Paths the request rate does not count: files served as they are, which a page
 * asks for by the dozen (a lab's editor alone loads many), so a classroom behind
 * one address would otherwise be throttled by its page loads.
 */
export const UNMETERED_PATH_PREFIXES = ['/_next/static/', '/monaco/', '/images/', '/favicon.ico'];
/** Paths answered in the AWS APIs' error shape, so SDKs see a throttle they know. */
const AWS_PATH_PREFIX = '/aws/';
/** Paths of the app's JSON API, answered with `{ error: { status, message } }`. */
const JSON_API_PATH_PREFIX = '/api/';

export interface EdgeLimits {
  maxConnections: number;
  maxConnectionsPerClient: number;
  clientRate: { ratePerSecond: number; burst: number };
  /** Read the client from X-Forwarded-For's last entry; only behind a proxy that appends it. */
  trustProxy: boolean;
}

export interface EdgeServerOptions {
  limits: EdgeLimits;
  /** The application: what the edge lets through. */
  handle: RequestListener;
  /** The rate limiter's clock, for tests. @default Date.now */
  now?: () => number;
  /** Told about each refusal, e.g. to log it (rarely: a refused client is not logged per request). */
  onRefused?: (what: 'connection' | 'rate', client: string) => void;
}

/**
 * A Node HTTP server that limits what a client can hold before the application
 * sees a request: connections per client and in all, the request rate per
 * client, header size and the time to send headers and body.
 */
export function createEdgeServer(options: EdgeServerOptions): Server {
  const { limits } = options;
  const clients = new RateLimiter({ ...limits.clientRate, now: options.now });
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS,
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    (req, res) => {
      if (
        isMetered(req.url) &&
        refuseOverRate(req, res, clients, limits.trustProxy, options.onRefused)
      )
        return;
      options.handle(req, res);
    },
  );
  const connections = new ConnectionLimiter({
    maxPerClient: limits.maxConnectionsPerClient,
    maxTotal: limits.maxConnections,
  });
  limitConnections(server, connections, (client) => options.onRefused?.('connection', client));
  return server;
}

function isMetered(url: string | undefined): boolean {
  return !UNMETERED_PATH_PREFIXES.some((prefix) => url?.startsWith(prefix));
}

/** Answers 429 in the shape the path's callers read, and returns true, when the client is over its rate. */
function refuseOverRate(
  req: IncomingMessage,
  res: ServerResponse,
  clients: RateLimiter,
  trustProxy: boolean,
  onRefused: EdgeServerOptions['onRefused'],
): boolean {
  const client = clientKey(
    requestClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy),
  );
  const decision = clients.take(client);
  if (decision.allowed) return false;
  onRefused?.('rate', client);
  const wait = decision.retryAfterSeconds;
  const path = req.url ?? '/';
  if (path.startsWith(AWS_PATH_PREFIX)) {
    const reply = callerThrottledReply(
      `Rate exceeded: this client sent more than ${clients.ratePerSecond} requests per second; retry after ${wait} s.`,
      wait,
    );
    res.writeHead(reply.status, reply.headers).end(reply.body);
  } else if (path.startsWith(JSON_API_PATH_PREFIX)) {
    const message = `Too many requests from this address: wait ${wait} s and try again.`;
    res
      .writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(wait),
        'cache-control': 'no-store',
      })
      .end(JSON.stringify({ error: { status: 429, message } }));
  } else {
    res
      .writeHead(429, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(wait) })
      .end(`Too many requests from this address: wait ${wait} s and reload.\n`);
  }
  return true;
}
