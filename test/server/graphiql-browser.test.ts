// GraphiQL as a person meets it: headless Chromium opens the local server's `/`, the page renders
// from the npm-served assets with no network, the API key is already in the headers pane, running
// the default query shows the API's answer, and a subscription shows each event as it is published.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { CreateAvailabilityDocument, CreateProviderDocument } from '../../client/generated/operations.ts';
import { ok, userAuth } from '../fixtures/api/schedule.ts';
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

/** A new page on the server's GraphiQL, rendered. */
async function openGraphiql(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${new URL(server.outputs.graphqlEndpoint).origin}/`);
  await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
  return page;
}

/** A provider (in UTC) owned by a new member of the providers group. */
async function newProvider(username: string, name: string) {
  const owner = await userAuth(server, username, ['providers']);
  const { createProvider } = await ok(server, owner, CreateProviderDocument, { input: { name, timeZone: 'UTC' } });
  return { owner, createProvider };
}

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

  it('tells subscriptions from queries and mutations as GraphQL picks the operation', async () => {
    const page = await openGraphiql();
    const types = await page.evaluate(() => {
      // Runs in the page: its globals, not Node's.
      const type = (globalThis as unknown as { slotsyncOperationType(q: string, name?: string): string }).slotsyncOperationType;
      return [
        type('{ listProviders { items { id } } }'),
        type('subscription { onSlotChanged(providerId: "p") { slotId } }'),
        type('# subscription in a comment\nquery Q($s: String = "subscription") { a }'),
        type('fragment F on Slot { id }\nsubscription Watch($p: ID!) { onSlotChanged(providerId: $p) { ...F } }'),
        type('query A { a }\nsubscription B { b }', 'B'),
        type('query A { a }\nsubscription B { b }', 'A'),
        type('mutation ($x: ID!) { deleteSlot(id: $x) { id } }'),
        // A name from the editor's previous content: a one-operation document runs its operation.
        type('subscription Watch { onSlotChanged(providerId: "p") { slotId } }', 'Providers'),
        // ...still one operation when a field inside it is aliased `query`.
        type('subscription Watch { onSlotChanged(providerId: "p") { query: slotId } }', 'Providers'),
        // A stale name in a document of several runs none of them: the API answers the error.
        type('subscription A { a }\nquery B { b }', 'Providers'),
      ];
    });
    expect(types).toEqual(['query', 'subscription', 'query', 'subscription', 'subscription', 'query', 'mutation', 'subscription', 'subscription', 'query']);
    await page.close();
  });

  it("subscribes with the document's own operation when GraphiQL passes a stale name, and ends on the endpoint's refusal with its errors", async () => {
    const { createProvider } = await newProvider('graphiql-stale', 'Stale Clinic');
    const page = await openGraphiql();
    const paths = { graphql: new URL(server.outputs.graphqlEndpoint).pathname, realtime: new URL(server.outputs.realtimeEndpoint).pathname, apiKey: server.outputs.apiKey, providerId: createProvider.id };
    const results = await page.evaluate(async ({ graphql, realtime, apiKey, providerId }) => {
      type Iterator = { next(): Promise<{ value: unknown; done: boolean }>; return(): Promise<unknown> };
      const fetcher = (globalThis as unknown as { slotsyncFetcher(g: string, r: string): (params: object, options: object) => Iterator }).slotsyncFetcher(graphql, realtime);
      const options = { headers: { 'x-api-key': apiKey } };
      const stale = fetcher({ query: `subscription Watch { onSlotChanged(providerId: "${providerId}") { slotId } }`, operationName: 'Providers' }, options);
      const started = await stale.next();
      await stale.return();
      const refused = fetcher({ query: 'subscription { noSuchField }' }, options);
      return [started, await refused.next(), await refused.next()];
    }, paths);
    expect(results[0]).toEqual({ done: false, value: { data: null, extensions: { subscription: 'started: each event shows here as it arrives' } } });
    const [{ message }] = (results[1].value as { errors: Array<{ message: string }> }).errors;
    expect(message).toContain('noSuchField');
    expect(results[2]).toEqual({ done: true });
    await page.close();
  });

  it('runs a subscription over the real-time endpoint and shows each event as it arrives', async () => {
    const { owner, createProvider } = await newProvider('graphiql-owner', 'Live Clinic');
    const page = await openGraphiql();
    const subscription = `subscription { onSlotChanged(providerId: "${createProvider.id}") { slotId status reason } }`;
    await page.evaluate((query) => {
      const page = globalThis as unknown as { document: { querySelector(s: string): { CodeMirror: { setValue(v: string): void } } } };
      page.document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query);
    }, subscription);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('started: each event shows here as it arrives').waitFor({ timeout: 20_000 });

    const date = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await ok(server, owner, CreateAvailabilityDocument, {
      input: { providerId: createProvider.id, daysOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'], startTime: '09:00', endTime: '09:30', slotDurationMinutes: 30, validFrom: date, validTo: date },
    });
    await result.getByText('"GENERATED"').waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toContain('"onSlotChanged"');
    await page.close();
  });
});

