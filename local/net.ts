import { createServer } from 'node:net';

/** A TCP port that was free a moment ago on `host` (the loopback interface by default). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not allocate a port'));
      });
    });
  });
}

/** Fails fast, with a one-line message naming the port, when `port` is taken; 0 always passes. */
export function ensurePortFree(port: number, host = '127.0.0.1'): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      fail(new Error(err.code === 'EADDRINUSE' ? `port ${port} is already in use; set PORT to another port` : err.message)),
    );
    probe.listen(port, host, () => probe.close(() => ok()));
  });
}
