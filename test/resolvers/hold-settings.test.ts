// createBooking's hold step reads HOLD_SECONDS and MAX_ACTIVE_HOLDS through their declared ranges
// (functions/shared/model.ts API_SETTINGS). The local server refuses values outside them; a deployed
// one is clamped, and the TooManyHolds message names the cap actually applied, not the raw value.
import { describe, expect, it } from 'vitest';
import { bundleResolverCode } from '../../infra/bundle.ts';
import { evaluateCode } from '../../local/appsync/evaluate-code.ts';

const ROOT = process.cwd();
const ENTRY = 'resolvers/Mutation.createBooking/hold.4.[table].ts';

/** The step's response to a transaction refused by the hold counter's condition (item 2). */
async function tooManyHoldsMessage(env: Record<string, string>): Promise<string> {
  const code = await bundleResolverCode(ROOT, ENTRY);
  const out = evaluateCode({
    code,
    function: 'response',
    context: {
      arguments: { input: { slotId: 'slot-1' } },
      env,
      stash: {},
      error: { message: 'Transaction cancelled', type: 'DynamoDB:TransactionCanceledException' },
      result: { keys: null, cancellationReasons: [{ type: 'None' }, { type: 'None' }, { type: 'ConditionalCheckFailed' }] },
    },
  });
  expect(out.error).toMatchObject({ message: expect.any(String) });
  return (out.error as { message: string }).message;
}

describe('hold step settings', () => {
  it('names the cap in force: the value when in range, the bound when a deployed value is out of it, the default when none', async () => {
    expect(await tooManyHoldsMessage({ MAX_ACTIVE_HOLDS: '7' })).toBe('You already hold 7 slots; confirm or cancel one first');
    expect(await tooManyHoldsMessage({ MAX_ACTIVE_HOLDS: '1000' })).toBe('You already hold 100 slots; confirm or cancel one first');
    expect(await tooManyHoldsMessage({})).toBe('You already hold 3 slots; confirm or cancel one first');
  });

  it('raises a deployed value below the range to its bound, drops a fraction, and falls back to the default for one that is not a number or empty', async () => {
    const cap = async (value: string) => /You already hold (\S+) slots/.exec(await tooManyHoldsMessage({ MAX_ACTIVE_HOLDS: value }))?.[1];
    expect(await cap('0')).toBe('1');
    expect(await cap('-4')).toBe('1');
    expect(await cap('2.7')).toBe('2');
    expect(await cap('abc')).toBe('3');
    expect(await cap('')).toBe('3');
  });
});
