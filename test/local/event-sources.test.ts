// The wiring's event sources as the local server starts them: a stream mapping's checkpoints are
// kept by function, so a wiring that maps the stream to one function twice is refused up front.
import { describe, expect, it } from 'vitest';
import { eventSources } from '../../infra/wiring.ts';
import { startEventSources } from '../../local/event-sources.ts';

describe('startEventSources', () => {
  it('refuses two stream mappings for one function before starting anything', async () => {
    const stream = eventSources.find((s) => s.kind === 'dynamodb-stream');
    if (!stream) throw new Error('the wiring has a stream mapping');
    const started: unknown[] = [];
    await expect(startEventSources([stream, { ...stream, batchSize: 1 }], {} as never, (stop) => started.push(stop))).rejects.toThrow(
      `the wiring maps the table's stream to ${stream.function} twice; one stream mapping per function`,
    );
    expect(started).toEqual([]);
  });
});
