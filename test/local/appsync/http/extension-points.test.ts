// Other parts of the local server share the port: extra routes and WebSocket upgrades.
import { request } from 'node:http';
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
