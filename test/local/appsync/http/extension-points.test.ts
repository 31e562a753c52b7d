// Other parts of the local server share the port: extra routes and WebSocket upgrades.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendJson } from '../../../../local/appsync/http/respond.ts';
import { readJson, startServer, type TestServer } from './support.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
  s.http.route('GET', '/demo/config', (_req, res) => sendJson(res, 200, { graphqlUrl: s.url }));
  s.http.onUpgrade((req, socket) => {
    if (req.url !== '/graphql/realtime') return false;
    socket.end('HTTP/1.1 101 Switching Protocols\r\nupgrade: test\r\nconnection: upgrade\r\n\r\n');
    return true;
  });
});
afterAll(() => s.close());

function upgrade(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.base}${path}`, { headers: { connection: 'upgrade', upgrade: 'test' } });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

it('serves routes added by other modules', async () => {
  const res = await fetch(`${s.base}/demo/config`);
  expect(await readJson(res)).toEqual({ graphqlUrl: s.url });
});

it('answers HEAD on a GET route as GET without the body (health checks such as wget --spider)', async () => {
  const res = await fetch(`${s.base}/demo/config`, { method: 'HEAD' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.text()).toBe('');
});

it('hands upgrades to the handler that claims the path and refuses the rest', async () => {
  expect(await upgrade('/graphql/realtime')).toBe(101);
  expect(await upgrade('/elsewhere')).toBe(404);
});

it('a client that resets its socket as its upgrade is refused costs the server nothing', async () => {
  const port = Number(new URL(s.base).port);
  for (let i = 0; i < 20; i += 1) {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET /elsewhere HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n');
        socket.resetAndDestroy();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
  }
  expect(await upgrade('/elsewhere')).toBe(404);
});
