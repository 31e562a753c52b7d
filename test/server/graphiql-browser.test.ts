// GraphiQL as a person meets it: headless Chromium opens the local server's `/`, the page renders
// from the npm-served assets with no network, the API key is already in the headers pane, and
// running the default query shows the API's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startTestServer, type TestServer } from '../support/local-server.ts';

const CHROMIUM = '/usr/bin/chromium';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the GraphiQL browser test needs Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  }
  server = await startTestServer();
  // As root in a sandbox, without GPU and without Chromium's own network chatter.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('GraphiQL in a browser', () => {
  it('renders offline with the API key prefilled and runs the default query', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    const origin = new URL(server.outputs.graphqlEndpoint).origin;
    await page.goto(`${origin}/`);
    await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
    expect(await page.content()).toContain(server.outputs.apiKey);

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('listProviders').waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toContain('"items": []');
    expect(failed).toEqual([]);
    await page.close();
  });
});
