// GraphiQL at `/`, served from the graphiql, react and react-dom npm packages: no CDN (the local
// server works offline). The API key is prefilled in the headers editor.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);

const ASSETS: Record<string, { module: string; type: string }> = {
  '/graphiql/react.js': { module: 'react/umd/react.production.min.js', type: 'text/javascript' },
  '/graphiql/react-dom.js': { module: 'react-dom/umd/react-dom.production.min.js', type: 'text/javascript' },
  '/graphiql/graphiql.js': { module: 'graphiql/graphiql.min.js', type: 'text/javascript' },
  '/graphiql/graphiql.css': { module: 'graphiql/graphiql.min.css', type: 'text/css' },
};

const cache = new Map<string, Buffer>();

function asset(path: string): Buffer {
  let body = cache.get(path);
  if (!body) {
    body = readFileSync(require.resolve(ASSETS[path].module));
    cache.set(path, body);
  }
  return body;
}

export interface GraphiqlOptions {
  graphqlPath: string;
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
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${escapeForScript(options.graphqlPath)} });
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
  res.writeHead(200, { 'content-type': `${spec.type}; charset=utf-8`, 'cache-control': 'public, max-age=3600' });
  res.end(req.method === 'HEAD' ? undefined : asset(path));
  return true;
}
