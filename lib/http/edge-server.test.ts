import { request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { clientKey, requestClientAddress } from './client-address';
import { ConnectionLimiter } from './connection-limit';
import { createEdgeServer, type EdgeLimits } from './edge-server';

const LIMITS: EdgeLimits = {
  maxConnections: 100,
  maxConnectionsPerClient: 5,
  clientRate: { ratePerSecond: 1, burst: 3 },
  trustProxy: false,
};

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.destroy());
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function serve(limits: Partial<EdgeLimits> = {}, now?: () => number): Promise<number> {
  const server = createEdgeServer({
    limits: { ...LIMITS, ...limits },
    now,
    handle: (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** Opens a socket from localAddress and says whether the server kept it or closed it. */
function openIdle(port: number, localAddress: string): Promise<'kept' | 'closed'> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    sockets.push(socket);
    socket.on('error', () => resolve('closed'));
    socket.on('close', () => resolve('closed'));
    // A refused socket is closed as soon as it is accepted; one still open after this was kept.
    socket.on('connect', () =>
      setTimeout(() => resolve(socket.destroyed ? 'closed' : 'kept'), 150),
    );
  });
}

function get(
  port: number,
  path: string,
  localAddress = '127.0.0.1',
  headers: Record<string, string> = {},
) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = httpRequest(
      { port, host: '127.0.0.1', path, localAddress, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP edge server', () => {
  it('closes the connections one client opens past its cap, and still answers another client', async () => {
    const port = await serve({ maxConnectionsPerClient: 5 });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => openIdle(port, '127.0.0.1')),
    );
    expect(results.filter((result) => result === 'kept')).toHaveLength(5);
    expect(results.filter((result) => result === 'closed')).toHaveLength(7);

    // 127.0.0.2 is another client on the loopback network; the flooder's sockets are still open.
    expect(await get(port, '/', '127.0.0.2')).toMatchObject({ status: 200, body: 'ok' });
  });

  it('closes connections past the total cap whoever opens them', async () => {
    const port = await serve({ maxConnections: 6, maxConnectionsPerClient: 3 });
    const results = await Promise.all(
      ['127.0.0.1', '127.0.0.2', '127.0.0.3'].flatMap((address) =>
        Array.from({ length: 3 }, () => openIdle(port, address)),
      ),
    );
    expect(results.filter((result) => result === 'kept')).toHaveLength(6);
  });

  it("throttles a client past its rate with AWS's TooManyRequestsException on /aws, and recovers", async () => {
    let now = 5_000_000;
    const port = await serve({}, () => now);
    for (let i = 0; i < 3; i++)
      expect((await get(port, '/aws/lambda/2015-03-31/functions/')).status).toBe(200);
    const throttled = await get(port, '/aws/lambda/2015-03-31/functions/');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
    expect(throttled.headers['retry-after']).toBe('1');
    expect(JSON.parse(throttled.body)).toMatchObject({
      Type: 'User',
      Reason: 'CallerRateLimitExceeded',
      message: expect.stringMatching(/retry after 1 s/),
    });

    // Another client is not held to the first one's bucket.
    expect((await get(port, '/aws/lambda/2015-03-31/functions/', '127.0.0.2')).status).toBe(200);
    now += 1_000;
    expect((await get(port, '/aws/lambda/2015-03-31/functions/')).status).toBe(200);
  });

  it("answers the JSON API's shape on /api and plain text elsewhere; static files are not counted", async () => {
    const port = await serve({ clientRate: { ratePerSecond: 1, burst: 1 } }, () => 0);
    for (let i = 0; i < 5; i++)
      expect((await get(port, '/_next/static/chunks/app.js')).status).toBe(200);
    expect((await get(port, '/api/progress')).status).toBe(200);
    const json = await get(port, '/api/progress');
    expect(json.status).toBe(429);
    expect(JSON.parse(json.body)).toEqual({
      error: { status: 429, message: expect.stringMatching(/wait 1 s/) },
    });
    const page = await get(port, '/modules/lambda');
    expect(page).toMatchObject({
      status: 429,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' },
    });
  });

  it('counts clients behind a trusted proxy by the address the proxy appended', async () => {
    const port = await serve(
      { trustProxy: true, clientRate: { ratePerSecond: 1, burst: 1 } },
      () => 0,
    );
    expect(
      (await get(port, '/api/a', '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })).status,
    ).toBe(200);
    expect(
      (await get(port, '/api/a', '127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })).status,
    ).toBe(429);
    expect(
      (await get(port, '/api/a', '127.0.0.1', { 'x-forwarded-for': '10.0.0.9, 198.51.100.2' }))
        .status,
    ).toBe(200);
  });
});

describe('ConnectionLimiter', () => {
  it('forgets a client when its last connection closes', () => {
    const limiter = new ConnectionLimiter({ maxPerClient: 2, maxTotal: 3 });
    expect([limiter.tryAcquire('a'), limiter.tryAcquire('a'), limiter.tryAcquire('a')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.tryAcquire('b')).toBe(true);
    expect(limiter.tryAcquire('c')).toBe(false);
    limiter.release('a');
    limiter.release('a');
    expect(limiter.count('a')).toBe(0);
    expect(limiter.count()).toBe(1);
    expect(limiter.tryAcquire('c')).toBe(true);
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s is the client %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(requestClientAddress('127.0.0.1', '198.51.100.1', false)).toBe('127.0.0.1');
    expect(requestClientAddress('127.0.0.1', 'spoofed, 198.51.100.1', true)).toBe('198.51.100.1');
  });
});
