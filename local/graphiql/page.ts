// GraphiQL at `/`, served from the graphiql, react and react-dom npm packages: no CDN (the local
// server works offline). The API key is prefilled in the headers editor. Subscriptions run over
// AppSync's real-time protocol (appsync-fetcher.js), so events show in the result pane live.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);

// React's `exports` map hides its umd/ folder from require.resolve, so files are found from each
// package's own package.json (which every one of them exports).
const ASSETS: Record<string, { pkg?: string; file: string; type: string }> = {
  '/graphiql/react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  '/graphiql/react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  '/graphiql/graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  '/graphiql/graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
  // Ours, next to this module.
  '/graphiql/appsync-fetcher.js': { file: 'appsync-fetcher.js', type: 'text/javascript' },
};

/** The asset paths the page loads; the server routes each of them here. */
export const GRAPHIQL_ASSET_PATHS = Object.keys(ASSETS);

const cache = new Map<string, Buffer>();

function asset(path: string): Buffer {
  let body = cache.get(path);
  if (!body) {
    const { pkg, file } = ASSETS[path];
    const dir = pkg ? dirname(require.resolve(`${pkg}/package.json`)) : dirname(fileURLToPath(import.meta.url));
    body = readFileSync(join(dir, file));
    cache.set(path, body);
  }
  return body;
}

export interface GraphiqlOptions {
  graphqlPath: string;
  /** The real-time WebSocket path subscriptions go to. */
  realtimePath: string;
  apiKey: string;
  defaultQuery: string;
}

function escapeForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function graphiqlHtml(options: GraphiqlOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>slotsync · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>body{margin:0;height:100vh}#graphiql{height:100vh}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/appsync-fetcher.js"></script>
<script>
  const fetcher = slotsyncFetcher(${escapeForScript(options.graphqlPath)}, ${escapeForScript(options.realtimePath)});
  const root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: 'headers',
    headers: ${escapeForScript(JSON.stringify({ 'x-api-key': options.apiKey }, null, 2))},
    shouldPersistHeaders: false,
    defaultQuery: ${escapeForScript(options.defaultQuery)},
  }));
</script>
</body>
</html>`;
}

/** Answers GET / and the GraphiQL assets; returns false for any other request. */
export function serveGraphiql(options: GraphiqlOptions, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/') {
    const body = graphiqlHtml(options);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  const spec = ASSETS[path];
  if (!spec) return false;
  // Read before the status line goes out, so a missing file becomes a clean 500, not a cut stream.
  const body = asset(path);
  res.writeHead(200, { 'content-type': `${spec.type}; charset=utf-8`, 'content-length': body.length, 'cache-control': 'public, max-age=3600' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
