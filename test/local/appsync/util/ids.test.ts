import { describe, expect, it } from 'vitest';
import { autoKsuid, autoUlid } from '../../../../local/appsync/util/ids.ts';

describe('ids with a fixed clock', () => {
  it('the ULID time part encodes the millisecond timestamp', () => {
    // 1469918176385 ms is "01ARYZ6S41" in the ULID specification's example.
    expect(autoUlid(1469918176385).slice(0, 10)).toBe('01ARYZ6S41');
  });

  it('ULIDs from later instants sort after earlier ones', () => {
    expect(autoUlid(1_700_000_000_000) < autoUlid(1_700_000_000_001)).toBe(true);
  });

  it('KSUIDs from later seconds sort after earlier ones (fixed width base62)', () => {
    const early = autoKsuid(1_600_000_000_000);
    const late = autoKsuid(1_600_000_100_000);
    expect(early).toHaveLength(27);
    expect(early < late).toBe(true);
  });
});
